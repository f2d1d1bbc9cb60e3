import type { Command, UiApi, WidgetApi } from './contract.js';

/** The calls forwarded to the chat UI; showLauncher/hideLauncher act at once in the loader. */
export const COMMANDS: readonly Command[] = [
  'open',
  'close',
  'toggle',
  'identify',
  'setAttributes',
  'setLanguage',
  'setTeam',
  'on',
  'off',
];

type AnyFn = (...args: unknown[]) => void;

/**
 * `window.Beseda` before and after the chat UI exists. Until `attach(ui)`, every call is queued in order
 * (and asks for the UI to load); `attach` replays the queue, then calls go straight through. A call that
 * throws never stops the replay nor reaches the host page. Also callable as `Beseda('open')`, the form a
 * pre-load stub queues (`Beseda.q`), so `adopt` can replay what the page asked before the loader ran.
 */
export function commandQueue(load: () => void, launcher: { hidden: boolean }) {
  const queue: [Command, unknown[]][] = [];
  let ui: UiApi | undefined;
  const run = (u: UiApi, c: Command, a: unknown[]) => {
    try {
      (u[c] as AnyFn)(...a);
    } catch {
      // a bad argument from the host page: ignored, like any unknown call
    }
  };
  const api = ((c: string, ...a: unknown[]) => {
    const f = Object.hasOwn(api, c) ? (api as unknown as Record<string, unknown>)[c] : null;
    if (typeof f === 'function') f(...a);
  }) as WidgetApi;
  for (const c of COMMANDS) {
    (api as unknown as Record<string, AnyFn>)[c] = (...a) => {
      if (ui) run(ui, c, a);
      else {
        queue.push([c, a]);
        load();
      }
    };
  }
  api.showLauncher = () => {
    launcher.hidden = false;
  };
  api.hideLauncher = () => {
    launcher.hidden = true;
  };
  return {
    api,
    attach(u: UiApi) {
      ui = u;
      for (const [c, a] of queue.splice(0)) run(u, c, a);
    },
    /** Replays calls a stub recorded as argument lists, e.g. `[['identify', {...}], ['open']]`. */
    adopt(calls: ArrayLike<unknown>[] | undefined) {
      for (const args of calls ?? []) (api as unknown as AnyFn)(...Array.from(args));
    },
  };
}
