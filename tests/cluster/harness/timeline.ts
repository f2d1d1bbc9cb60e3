import type { Message } from '@beseda/shared';

/**
 * What a real client (widget or console) holds of one conversation, kept by the protocol's gap rule
 * (PROTOCOL-NOTES 1): `lastSeq` is the contiguous watermark; a live frame applies when `prev <= lastSeq`,
 * otherwise it is buffered and the gap is filled by `sync {afterSeq: lastSeq}`; history answers are
 * contiguous. Tests compare `held` with the store, and `appliedOrder` says in which order a user saw them.
 */
export class Timeline {
  lastSeq = 0;
  readonly held = new Map<number, Message>();
  /** Seqs in the order they were applied (shown). Strictly increasing unless the rule is broken. */
  readonly appliedOrder: number[] = [];
  /** Live frames that arrived before a message they follow. */
  readonly buffered = new Map<number, { message: Message; prev: number }>();
  duplicates = 0;
  gaps = 0;
  /** A sync for the current gap is in flight (the rule asks once per gap). */
  syncInFlight = false;
  /** Frames without `prev` (the server should always send it). */
  missingPrev = 0;

  constructor(readonly conversationId: string) {}

  /** A live `message` frame. Returns true when a sync should be sent now. */
  onLive(message: Message, prevField: number | undefined): boolean {
    let prev = prevField;
    if (prev === undefined) {
      this.missingPrev++;
      prev = message.seq - 1;
    }
    if (message.seq <= this.lastSeq || this.buffered.has(message.seq)) {
      this.duplicates++;
      return false;
    }
    if (prev <= this.lastSeq) {
      this.apply(message);
      this.drain();
      return this.needsSync();
    }
    this.buffered.set(message.seq, { message, prev });
    return this.needsSync();
  }

  /** A `history` frame (hello replay or sync answer): contiguous, in seq order. */
  onHistory(messages: Message[]): boolean {
    this.syncInFlight = false;
    for (const m of [...messages].sort((a, b) => a.seq - b.seq)) {
      if (m.seq <= this.lastSeq) {
        this.duplicates++;
        continue;
      }
      this.buffered.delete(m.seq);
      this.apply(m);
    }
    this.drain();
    return this.needsSync();
  }

  private apply(m: Message) {
    this.held.set(m.seq, m);
    this.appliedOrder.push(m.seq);
    this.lastSeq = m.seq;
  }

  private drain() {
    for (;;) {
      const next = [...this.buffered.values()]
        .filter((b) => b.prev <= this.lastSeq)
        .sort((a, b) => a.message.seq - b.message.seq)[0];
      if (!next) return;
      this.buffered.delete(next.message.seq);
      if (next.message.seq > this.lastSeq) this.apply(next.message);
    }
  }

  private needsSync(): boolean {
    if (this.buffered.size === 0 || this.syncInFlight) return false;
    this.gaps++;
    this.syncInFlight = true;
    return true;
  }

  /** After a reconnect the in-flight sync is lost with the socket. */
  resetSync() {
    this.syncInFlight = false;
  }

  seqs(): number[] {
    return [...this.held.keys()].sort((a, b) => a - b);
  }

  texts(): string[] {
    return this.seqs().map((s) => this.held.get(s)!.text);
  }

  /** True when the applied order never went backwards and nothing was applied twice. */
  inOrder(): boolean {
    return this.appliedOrder.every((s, i) => i === 0 || s > this.appliedOrder[i - 1]!);
  }
}
