/**
 * What happened to each message of one phase, indexed by message number. Arrays are preallocated so the
 * hot path never allocates; a phase that would exceed `capacity` simply stops sending.
 */
export class Ledger {
  readonly code: number;
  private readonly sentAt: Float64Array;
  private readonly done: Uint8Array;
  readonly acked: Uint8Array;
  /** Pair that sent each message (part of its clientId, needed again for the storage check). */
  readonly pairOf: Int32Array;
  /** Latency (ms) of each delivery, in delivery order. */
  readonly latencies: Float64Array;
  sent = 0;
  delivered = 0;
  duplicates = 0;
  ackCount = 0;

  constructor(
    readonly phase: string,
    readonly capacity: number,
  ) {
    this.code = phase.charCodeAt(0);
    this.sentAt = new Float64Array(capacity);
    this.done = new Uint8Array(capacity);
    this.acked = new Uint8Array(capacity);
    this.pairOf = new Int32Array(capacity);
    this.latencies = new Float64Array(capacity);
  }

  /** Reserves the next message number for pair `p`, or -1 when the ledger is full. */
  take(now: number, p: number): number {
    if (this.sent >= this.capacity) return -1;
    const i = this.sent++;
    this.sentAt[i] = now;
    this.pairOf[i] = p;
    return i;
  }

  deliver(i: number, now: number): boolean {
    if (i >= this.sent || this.done[i]) {
      this.duplicates++;
      return false;
    }
    this.done[i] = 1;
    this.latencies[this.delivered++] = now - this.sentAt[i]!;
    return true;
  }

  ack(i: number): void {
    if (i < this.sent && !this.acked[i]) {
      this.acked[i] = 1;
      this.ackCount++;
    }
  }
}

/** N established visitor→operator pairs of one relay, driven by the load phases. */
export interface PairSet {
  readonly name: string;
  readonly size: number;
  /** Whether visitors get an ack per message (Beseda does, after the commit; the raw relay does not). */
  readonly acks: boolean;
  /** Sends message `i` of `ledger`'s phase from pair `p`'s visitor. */
  send(p: number, ledger: Ledger, i: number): void;
  /** Called for every bench message an operator socket receives (phase letter code, index, pair). */
  onDeliver: (phase: number, i: number, p: number, at: number) => void;
  /** Called for every ack a visitor socket receives (Beseda only). */
  onAck: (phase: number, i: number) => void;
  /** Error frames visitors or operators got after setup, and the first one's text. */
  errors: { count: number; first: string | null };
  close(): void;
}

/** Runs `fn(0..n-1)` with bounded concurrency until all ran or `deadline` (performance.now()) passed. */
export async function pool(
  n: number,
  concurrency: number,
  deadline: number,
  fn: (k: number) => Promise<void>,
): Promise<{ ok: number; failed: number; firstError: string | null; timedOut: boolean }> {
  let next = 0;
  let ok = 0;
  let failed = 0;
  let firstError: string | null = null;
  let timedOut = false;
  const worker = async () => {
    while (next < n) {
      if (performance.now() > deadline) {
        timedOut = true;
        return;
      }
      const k = next++;
      try {
        await fn(k);
        ok++;
      } catch (err) {
        failed++;
        firstError ??= err instanceof Error ? err.message : String(err);
        // A server that refuses everything should not cost the whole deadline.
        if (failed > 50 && ok === 0) return;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  return { ok, failed, firstError, timedOut };
}
