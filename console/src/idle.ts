import type { OperatorStatus } from '@beseda/shared/types';

/**
 * Automatic away: an online operator who has not touched the console for the site's `autoAwayMinutes`
 * becomes away, and comes back online on the next input — but only if the away was automatic. An away
 * (or offline) the operator chose stays until they change it.
 *
 * `idleStep` is the whole decision, pure; `createIdleTracker` runs it on an injected clock so the tests
 * drive time by hand.
 */

export interface IdleState {
  lastInputAt: number;
  /** The status the server last reported for me. */
  status: OperatorStatus;
  /** We set the current away ourselves and may lift it. */
  auto: boolean;
  /** 0 = automatic away is off. */
  timeoutMs: number;
}

export type IdleEvent =
  | { type: 'input'; at: number }
  | { type: 'tick'; at: number }
  /** The server reported my status (after my own change, another tab's, or an automatic one). */
  | { type: 'status'; status: OperatorStatus; at: number }
  /** The operator picked a status by hand: whatever it is, it is no longer ours to undo. */
  | { type: 'manual'; status: OperatorStatus; at: number }
  | { type: 'config'; timeoutMs: number; at: number };

export type IdleEffect = 'go-away' | 'go-online' | null;

export function initialIdleState(at: number, status: OperatorStatus, timeoutMs: number): IdleState {
  return { lastInputAt: at, status, auto: false, timeoutMs };
}

export function idleStep(state: IdleState, event: IdleEvent): { state: IdleState; effect: IdleEffect } {
  switch (event.type) {
    case 'input': {
      const next = { ...state, lastInputAt: event.at };
      if (state.auto) return { state: { ...next, auto: false }, effect: 'go-online' };
      return { state: next, effect: null };
    }
    case 'tick': {
      if (state.auto || state.status !== 'online' || state.timeoutMs <= 0) return { state, effect: null };
      if (event.at - state.lastInputAt < state.timeoutMs) return { state, effect: null };
      return { state: { ...state, auto: true }, effect: 'go-away' };
    }
    case 'status': {
      // Our automatic away is confirmed by an 'away'; anything else means someone else decided. Coming
      // online (e.g. in another tab) is activity: the idle time counts from then, not from our last input.
      const auto = state.auto && event.status === 'away';
      const cameOnline = event.status === 'online' && state.status !== 'online';
      const lastInputAt = cameOnline ? Math.max(state.lastInputAt, event.at) : state.lastInputAt;
      return { state: { ...state, status: event.status, auto, lastInputAt }, effect: null };
    }
    case 'manual':
      return { state: { ...state, status: event.status, auto: false, lastInputAt: event.at }, effect: null };
    case 'config':
      return { state: { ...state, timeoutMs: Math.max(0, event.timeoutMs) }, effect: null };
  }
}

/** When the next tick could change anything, or null when no timer is needed. */
export function nextCheckAt(state: IdleState): number | null {
  if (state.auto || state.status !== 'online' || state.timeoutMs <= 0) return null;
  return state.lastInputAt + state.timeoutMs;
}

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface IdleTracker {
  /** Any keyboard, pointer or wheel input in the console. Cheap: it only records the time. */
  input(): void;
  status(status: OperatorStatus): void;
  manual(status: OperatorStatus): void;
  setTimeoutMs(ms: number): void;
  readonly state: IdleState;
  stop(): void;
}

/**
 * One timer at a time, armed for the moment the operator would become idle. Input does not re-arm it
 * (mouse moves are frequent); when it fires early it re-arms for the remaining time.
 */
export function createIdleTracker(opts: {
  clock: Clock;
  status: OperatorStatus;
  timeoutMs: number;
  onEffect: (effect: Exclude<IdleEffect, null>) => void;
}): IdleTracker {
  const { clock } = opts;
  let state = initialIdleState(clock.now(), opts.status, opts.timeoutMs);
  let timer: unknown = null;
  let armedFor: number | null = null;
  let stopped = false;

  function run(event: IdleEvent): void {
    const result = idleStep(state, event);
    state = result.state;
    if (result.effect) opts.onEffect(result.effect);
    arm();
  }

  function arm(): void {
    if (stopped) return;
    const at = nextCheckAt(state);
    if (at === armedFor) return;
    if (timer !== null) clock.clearTimeout(timer);
    timer = null;
    armedFor = at;
    if (at === null) return;
    if (at <= clock.now()) {
      armedFor = null;
      run({ type: 'tick', at: clock.now() });
      return;
    }
    timer = clock.setTimeout(
      () => {
        timer = null;
        armedFor = null;
        run({ type: 'tick', at: clock.now() });
      },
      Math.max(0, at - clock.now()),
    );
  }

  arm();
  return {
    input() {
      // Only the wake-up from an automatic away needs the full step; otherwise recording the time is enough.
      if (state.auto) run({ type: 'input', at: clock.now() });
      else state = { ...state, lastInputAt: clock.now() };
    },
    status: (status) => run({ type: 'status', status, at: clock.now() }),
    manual: (status) => run({ type: 'manual', status, at: clock.now() }),
    setTimeoutMs: (ms) => run({ type: 'config', timeoutMs: ms, at: clock.now() }),
    get state() {
      return state;
    },
    stop() {
      stopped = true;
      if (timer !== null) clock.clearTimeout(timer);
      timer = null;
    },
  };
}

/**
 * The auto-away delay for an operator of several sites: the shortest one that is switched on, since a
 * visitor of that site would otherwise be routed to someone who is not there.
 */
export function autoAwayMs(minutes: readonly number[]): number {
  const on = minutes.filter((m) => m > 0);
  return on.length ? Math.min(...on) * 60_000 : 0;
}
