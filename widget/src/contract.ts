/**
 * The seam between the loader (dist/widget.js, no framework) and the lazily loaded chat UI
 * (dist/chat.js), and the host page API (`window.Beseda`). Types only: both bundles compile against it,
 * neither ships it. docs/widget-api.md documents every call and event.
 */
import type { ErrorCode, WidgetConfig } from '@beseda/shared/types';

export interface Identity {
  name?: string;
  email?: string;
  userId?: string;
  /** Unix seconds; part of the signed string. */
  expiresAt?: number;
  /** HMAC-SHA256 hex of `userId|email|name|expiresAt` with the site's identity secret. */
  signature?: string;
}

export type Attributes = Record<string, string | number | boolean>;

export interface MessageEventDetail {
  author: 'visitor' | 'operator' | 'system';
  text: string;
  /** Milliseconds since the Unix epoch. */
  at: number;
  /** The operator's name for operator messages, else null. */
  name: string | null;
}

export interface WidgetEvents {
  ready: undefined;
  open: undefined;
  close: undefined;
  message: MessageEventDetail;
  unreadChange: { count: number };
}
export type WidgetEventName = keyof WidgetEvents;
export type Listener<E extends WidgetEventName = WidgetEventName> = (detail: WidgetEvents[E]) => void;

/** What the chat UI implements; the loader forwards (or queues) every call but the launcher ones. */
export interface UiApi {
  open(): void;
  close(): void;
  toggle(): void;
  identify(identity: Identity): void;
  setAttributes(attributes: Attributes): void;
  setLanguage(lang: string): void;
  /**
   * The team (department) a new chat goes to, by id or name (case-insensitive); the visitor is not asked.
   * Stored; null lets the visitor choose again.
   */
  setTeam(team: string | null): void;
  on<E extends WidgetEventName>(event: E, fn: Listener<E>): void;
  off<E extends WidgetEventName>(event: E, fn: Listener<E>): void;
}
export type Command = keyof UiApi;

/** `window.Beseda`: methods, and callable as `Beseda('open')` so a pre-load stub's queue works too. */
export interface WidgetApi extends UiApi {
  (command: Command | 'showLauncher' | 'hideLauncher', ...args: unknown[]): void;
  showLauncher(): void;
  hideLauncher(): void;
}

export interface MountContext {
  /** The shadow root the loader created; the UI renders and injects its styles only in here. */
  root: ShadowRoot;
  /** The shadow host (`<beseda-widget>`); carries the colour custom properties and `data-pos`. */
  host: HTMLElement;
  /** The loader's launcher button; the UI decorates it (badge, open state) but does not replace it. */
  launcher: HTMLButtonElement;
  /** Origin of the script's src, e.g. `https://chat.example.com`. */
  base: string;
  site: string;
  /** `data-lang` of the script tag, or ''. */
  lang: string;
  config: BootConfig;
  /** The panel was open on this tab's previous page: show it again (a chat another tab opened does not). */
  reopen: boolean;
}

/**
 * The site config the loader fetched at start (`GET /api/widget/config?site=…&lang=…`): the config, or the
 * refusal (`{error, message}`: unknown site, origin not allowed) with CORS headers so it can be read, or
 * null when the request failed (offline, blocked).
 */
export type BootConfig = Promise<
  (WidgetConfig & { error?: undefined }) | { error: ErrorCode; message: string } | null
>;

/** The chat bundle's `mount`, handed to the loader as `document.currentScript.m` (no global). */
export type Mount = (ctx: MountContext) => UiApi;

declare global {
  interface Window {
    Beseda?: WidgetApi;
  }
}
