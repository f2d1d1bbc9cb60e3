import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

/**
 * On phones the chats page is three screens (list → chat → visitor card) instead of three columns; which
 * one shows is local UI state, shared by the panels through this context. On wide screens it is ignored.
 */
export type Screen = 'list' | 'chat' | 'card';

export const ScreenContext = createContext<(screen: Screen) => void>(() => {});

export function useSetScreen(): (screen: Screen) => void {
  return useContext(ScreenContext);
}

/** Below this width the panels become screens (matches the CSS breakpoint). */
export const NARROW_QUERY = '(max-width: 899px)';

export function isNarrow(): boolean {
  return typeof matchMedia === 'function' && matchMedia(NARROW_QUERY).matches;
}
