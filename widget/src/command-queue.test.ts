import { describe, expect, it, vi } from 'vitest';
import { commandQueue } from './command-queue.js';
import type { UiApi } from './contract.js';

function fakeUi(log: string[]): UiApi {
  const rec =
    (name: string) =>
    (...args: unknown[]) =>
      void log.push(
        `${name}(${args.map((a) => (typeof a === 'function' ? 'fn' : JSON.stringify(a))).join(',')})`,
      );
  return {
    open: rec('open'),
    close: rec('close'),
    toggle: rec('toggle'),
    identify: rec('identify'),
    setAttributes: rec('setAttributes'),
    setLanguage: rec('setLanguage'),
    setTeam: rec('setTeam'),
    on: rec('on'),
    off: rec('off'),
  };
}

describe('host page API queue (loader)', () => {
  it('queues calls with their arguments until the UI attaches, asks for it to load, then replays in order', () => {
    const load = vi.fn();
    const launcher = { hidden: false };
    const q = commandQueue(load, launcher);
    const fn = () => {};
    q.api.identify({ name: 'Eva' });
    q.api.on('message', fn);
    q.api.setLanguage('cs');
    q.api.open();
    expect(load).toHaveBeenCalled();
    const log: string[] = [];
    q.attach(fakeUi(log));
    expect(log).toEqual(['identify({"name":"Eva"})', 'on("message",fn)', 'setLanguage("cs")', 'open()']);
    q.api.close();
    expect(log.at(-1)).toBe('close()'); // straight through now
  });

  it('hides and shows the launcher at once, without loading the UI', () => {
    const load = vi.fn();
    const launcher = { hidden: false };
    const q = commandQueue(load, launcher);
    q.api.hideLauncher();
    expect(launcher.hidden).toBe(true);
    q.api('showLauncher');
    expect(launcher.hidden).toBe(false);
    expect(load).not.toHaveBeenCalled();
  });

  it('adopts the calls a pre-load stub recorded, and is callable as Beseda(command, ...args)', () => {
    const q = commandQueue(() => {}, { hidden: false });
    // What `window.Beseda = function () { (Beseda.q = Beseda.q || []).push(arguments) }` collects:
    const stub = [['setAttributes', { plan: 'pro' }] as unknown[], ['toggle'] as unknown[]];
    q.adopt(stub);
    q.api('open');
    q.api('constructor' as never); // not a command: ignored
    q.api('nope' as never);
    const log: string[] = [];
    q.attach(fakeUi(log));
    expect(log).toEqual(['setAttributes({"plan":"pro"})', 'toggle()', 'open()']);
  });

  it('a call that throws in the UI stops neither the replay nor reaches the host page', () => {
    const q = commandQueue(() => {}, { hidden: false });
    q.api.identify(null as never);
    q.api.open();
    const log: string[] = [];
    const ui = fakeUi(log);
    ui.identify = () => {
      throw new Error('bad input');
    };
    expect(() => q.attach(ui)).not.toThrow();
    expect(log).toEqual(['open()']);
    expect(() => q.api.identify({})).not.toThrow();
  });
});
