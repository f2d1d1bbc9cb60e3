/**
 * Every localStorage key the widget uses, in one place. Keys are namespaced by site key so two sites
 * embedded on one origin (or a staging and a live key) never read each other's identity or chat.
 *
 * vid, token  visitor identity returned by `welcome`, presented on the next upgrade
 * chat        the shown conversation: id, view, last seq seen (resume cursor) and its cached messages
 * outbox      messages written but not yet acknowledged by the server
 * open        '1' while the panel is open, so it reopens after a navigation
 * look        `color|foreground|position` from the site config, so the launcher paints right at once
 */
export type StorageName = 'vid' | 'token' | 'chat' | 'outbox' | 'open' | 'look';

export const storageKey = (site: string, name: StorageName): string => `beseda:${site}:${name}`;
