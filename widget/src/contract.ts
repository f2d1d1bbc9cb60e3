/**
 * The seam between the loader (dist/widget.js, no framework) and the lazily loaded chat UI
 * (dist/chat.js). Types only: both bundles compile against it, neither ships it.
 */

/** What the host page can call as `window.Beseda`; calls made before the UI loads are queued. */
export interface WidgetApi {
  open(): void;
  close(): void;
  toggle(): void;
}

export type Command = keyof WidgetApi;

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
  lang: string;
}

/** The chat module's only export that the loader uses. */
export type Mount = (ctx: MountContext) => WidgetApi;

declare global {
  interface Window {
    Beseda?: WidgetApi;
  }
}
