import type { Message } from '@beseda/shared/types';

/**
 * Gap detection for the shown conversation (PROTOCOL-NOTES item 1). Live `message` frames carry `prev`,
 * the seq of the previous message a visitor may see (internal notes take seqs too, so `seq - 1` says
 * nothing). The client's `lastSeq` is a contiguous watermark: everything visible up to it is held.
 *   seq <= lastSeq          duplicate: dropped
 *   prev <= lastSeq         applies; buffered frames that now connect follow, in seq order
 *   prev >  lastSeq         kept aside; `sync {afterSeq: lastSeq}` asked once per watermark
 * A `history` answer (hello replay or sync) is contiguous: it moves the watermark to its last seq and
 * releases what it connects. A frame without `prev` (a server older than this rule) applies when its seq
 * is new, as before. Frames may arrive out of seq order (several nodes publish): this rule, not arrival
 * order, is what keeps the resume cursor exact. Pure bookkeeping: the caller applies and sends.
 */
export class GapFilter {
  private conversationId: string | null = null;
  private readonly held = new Map<number, { prev: number; message: Message }>();
  /** The watermark a sync was asked for (one question per gap). */
  private asked: number | null = null;

  /** A new socket: its hello replays everything after the watermark, so nothing held is needed any more. */
  reset(): void {
    this.held.clear();
    this.asked = null;
  }

  /** A live message; returns what to apply now, in order, and the `afterSeq` of a sync to send (or null). */
  message(m: Message, prev: number | undefined, lastSeq: number): { apply: Message[]; sync: number | null } {
    this.follow(m.conversationId);
    if (m.seq <= lastSeq) return { apply: [], sync: null };
    if (prev === undefined) return { apply: [m], sync: null };
    if (prev > lastSeq) {
      this.held.set(m.seq, { prev, message: m });
      return { apply: [], sync: this.ask(lastSeq) };
    }
    return { apply: [m, ...this.release(m.seq)], sync: null };
  }

  /**
   * A contiguous history of `conversationId`; `upTo` is the watermark after applying it. Returns the held
   * messages it connects and, when some are still held beyond a gap, the sync to ask next.
   */
  history(conversationId: string, upTo: number): { apply: Message[]; sync: number | null } {
    this.follow(conversationId);
    this.asked = null;
    const apply = this.release(upTo);
    const last = apply.at(-1)?.seq ?? upTo;
    return { apply, sync: this.held.size ? this.ask(last) : null };
  }

  get holding(): number {
    return this.held.size;
  }

  private follow(conversationId: string): void {
    if (conversationId === this.conversationId) return;
    this.conversationId = conversationId;
    this.reset();
  }

  private ask(lastSeq: number): number | null {
    if (this.asked === lastSeq) return null;
    this.asked = lastSeq;
    return lastSeq;
  }

  /** Held messages that connect to `watermark`, in seq order; the ones it already covers are dropped. */
  private release(watermark: number): Message[] {
    const out: Message[] = [];
    let w = watermark;
    for (;;) {
      let next: { prev: number; message: Message } | undefined;
      for (const [seq, h] of this.held) {
        if (seq <= w) this.held.delete(seq);
        else if (h.prev <= w && (!next || seq < next.message.seq)) next = h;
      }
      if (!next) return out;
      this.held.delete(next.message.seq);
      out.push(next.message);
      w = next.message.seq;
    }
  }
}
