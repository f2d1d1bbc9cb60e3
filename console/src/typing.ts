/**
 * Throttles the operator's typing signal: `active: true` at most every `repeatMs` while keys are pressed,
 * `active: false` once the draft is emptied, sent, or untouched for `idleMs`. The visitor side expires
 * a stale "typing" by itself, so a lost `false` is harmless.
 */
export interface TypingNotifier {
  input(conversationId: string, hasText: boolean): void;
  stop(conversationId: string): void;
}

export function createTypingNotifier(
  send: (conversationId: string, active: boolean) => void,
  repeatMs = 3000,
  idleMs = 4000,
): TypingNotifier {
  const lastSent = new Map<string, number>();
  const idle = new Map<string, ReturnType<typeof setTimeout>>();

  function stop(conversationId: string): void {
    const timer = idle.get(conversationId);
    if (timer !== undefined) clearTimeout(timer);
    idle.delete(conversationId);
    if (lastSent.delete(conversationId)) send(conversationId, false);
  }

  function input(conversationId: string, hasText: boolean): void {
    if (!hasText) {
      stop(conversationId);
      return;
    }
    const now = Date.now();
    const last = lastSent.get(conversationId);
    if (last === undefined || now - last >= repeatMs) {
      lastSent.set(conversationId, now);
      send(conversationId, true);
    }
    const timer = idle.get(conversationId);
    if (timer !== undefined) clearTimeout(timer);
    idle.set(
      conversationId,
      setTimeout(() => stop(conversationId), idleMs),
    );
  }

  return { input, stop };
}
