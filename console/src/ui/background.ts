import { useEffect } from 'preact/hooks';
import {
  type AlertMemory,
  alertText,
  detectAlerts,
  emptyAlertMemory,
  nextLateAt,
  thresholdsOf,
} from '../alerts.js';
import { visitorLabel } from '../format.js';
import { createActivityReporter } from '../idle.js';
import type { ConsoleState } from '../state.js';
import { useStore } from './hooks.js';
import { beep, desktopNotify, isMuted, unlockAudio } from './notify.js';

/**
 * Work the console does without being looked at: ringing for new and overdue visitors, and telling the
 * server the operator is there (it decides auto-away). Decisions live in the pure alerts/idle modules and
 * on the server; these hooks only feed them the state and the clock and carry out the result.
 */

/** Sound + desktop notification for new chats, new queue entries and waits past the site threshold. */
export function useAlerts(): void {
  const store = useStore();
  useEffect(() => {
    let memory: AlertMemory = emptyAlertMemory;
    let seen: { chats: unknown; queue: unknown; sites: unknown } | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;

    function check(force = false): void {
      const s: ConsoleState = store.getState();
      // The connection reports "open" just before the welcome is applied: wait for the snapshot, or
      // every chat already there would ring as new.
      if (s.connection.phase !== 'open' || !s.me || s.welcomes === 0) return;
      // Drafts change the state on every key press; only chats, queue and settings matter here.
      if (!force && seen && seen.chats === s.chats && seen.queue === s.queue && seen.sites === s.sites)
        return;
      seen = { chats: s.chats, queue: s.queue, sites: s.sites };
      const input = {
        chats: Object.values(s.chats).map((c) => c.conversation),
        queue: s.queue,
        now: store.serverNow(),
        thresholds: (siteId: string) => thresholdsOf(s.sites, siteId),
        pickedByMe: store.pickedByMe(),
      };
      const result = detectAlerts(memory, input);
      memory = result.memory;
      if (result.alerts.length > 0) {
        if (!isMuted()) beep(result.alerts.some((a) => a.kind === 'late') ? 'late' : 'new');
        for (const alert of result.alerts.slice(0, 3)) {
          const { title, body } = alertText(alert, visitorLabel(alert.visitorName, alert.visitorId));
          desktopNotify(title, body, `${alert.kind}:${alert.conversationId}`, () => {
            if (alert.kind === 'queued' || (alert.kind === 'late' && alert.where === 'queue')) {
              location.hash = '#/chats';
            } else {
              location.hash = '#/chats';
              store.openChat(alert.conversationId);
            }
          });
        }
      }
      // Wake exactly when the next wait crosses its threshold rather than polling.
      if (timer !== null) clearTimeout(timer);
      const at = nextLateAt(input, memory);
      timer = at === null ? null : setTimeout(() => check(true), Math.max(250, at - store.serverNow() + 50));
    }

    const unsubscribe = store.subscribe(() => check());
    check();
    // Browsers only let a page make sound after the user interacted with it.
    const unlock = () => unlockAudio();
    addEventListener('pointerdown', unlock, { capture: true });
    addEventListener('keydown', unlock, { capture: true });
    return () => {
      unsubscribe();
      if (timer !== null) clearTimeout(timer);
      removeEventListener('pointerdown', unlock, { capture: true });
      removeEventListener('keydown', unlock, { capture: true });
    };
  }, [store]);
}

const INPUT_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;

/**
 * Tells the server the operator is at the console (throttled). The server decides auto-away from the
 * sites' autoAwayMinutes and ends an automatic away on the next report (routing decide.ts).
 */
export function useAutoAway(): void {
  const store = useStore();
  useEffect(() => {
    const reporter = createActivityReporter({ now: () => Date.now(), report: () => store.reportActivity() });
    let welcomes = store.getState().welcomes;
    const unsubscribe = store.subscribe(() => {
      // A new session on the server: its countdown started at connect; the next input is reported at once.
      const w = store.getState().welcomes;
      if (w !== welcomes) {
        welcomes = w;
        reporter.reset();
      }
    });
    const input = () => reporter.input();
    for (const type of INPUT_EVENTS) addEventListener(type, input, { capture: true, passive: true });
    return () => {
      unsubscribe();
      for (const type of INPUT_EVENTS) removeEventListener(type, input, { capture: true });
    };
  }, [store]);
}
