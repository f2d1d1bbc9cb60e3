import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../core/clock.js';
import type { Store } from '../store/types.js';
import type { Directory } from './directory.js';
import type { Presence } from './presence.js';

/**
 * A single node's proof of life, kept in a small file beside its data: rewritten every period while the
 * node runs, removed by a clean shutdown. After a crash no shutdown closed the operators' online
 * intervals; the last stamp says when the node was last known to be alive, so coverage counts at most
 * one period of the downtime instead of all of it. (A cluster does not need it: a dead node's lease expires
 * within seconds and the surviving nodes close its operators' intervals.)
 */
export class AliveStamp {
  private cancel: (() => void) | null = null;

  constructor(
    private readonly file: string,
    private readonly clock: Clock,
    private readonly periodMs: number,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** When the previous life of this node last said it was alive (null: clean shutdown or first start). */
  last(): number | null {
    try {
      const at = Number(readFileSync(this.file, 'utf8').trim());
      return Number.isFinite(at) && at > 0 ? at : null;
    } catch {
      return null;
    }
  }

  start(): void {
    this.write();
    const again = () => {
      this.cancel = this.clock.setTimer(this.periodMs, () => {
        this.write();
        again();
      });
    };
    again();
  }

  /** Clean shutdown: stop stamping and remove the stamp (nothing is left open to close). */
  stop(): void {
    this.cancel?.();
    this.cancel = null;
    rmSync(this.file, { force: true });
  }

  private write(): void {
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      // Written whole then renamed: a crash mid-write never leaves a torn stamp.
      writeFileSync(`${this.file}.tmp`, String(this.clock.now()));
      renameSync(`${this.file}.tmp`, this.file);
    } catch (err) {
      this.log.warn({ err }, 'could not write the alive stamp');
    }
  }
}

/**
 * Closes the online intervals a single node leaves behind: at shutdown (now), and at start after a crash
 * (at the last alive stamp when there is one; a repeated offline after a clean shutdown changes nothing).
 */
export class PresenceRecord {
  constructor(
    private readonly d: {
      store: Store;
      directory: Directory;
      presence: Presence;
      clock: Clock;
      log: FastifyBaseLogger;
      stamp: AliveStamp | null;
    },
  ) {}

  async restarted(): Promise<void> {
    const now = this.d.clock.now();
    const last = this.d.stamp?.last() ?? null;
    const online = this.d.directory.allOperators().filter((op) => op.active && op.chosen !== 'offline');
    await this.offline(online, last === null ? now : Math.min(last, now), 'restart');
    this.d.stamp?.start();
  }

  async shutdown(): Promise<void> {
    const online = this.d.directory
      .allOperators()
      .filter((op) => (this.d.presence.of(op.id)?.status ?? 'offline') !== 'offline');
    await this.offline(online, this.d.clock.now(), 'shutdown');
    this.d.stamp?.stop();
  }

  private async offline(
    ops: readonly { id: string; siteIds: string[] }[],
    at: number,
    reason: 'restart' | 'shutdown',
  ): Promise<void> {
    await Promise.all(
      ops.map((op) =>
        this.d.store.appendEvent({
          siteId: null,
          conversationId: null,
          operatorId: op.id,
          type: 'operator_status',
          at,
          data: { status: 'offline', reason, siteIds: op.siteIds },
        }),
      ),
    ).catch((err) => this.d.log.error({ err }, `failed to record ${reason} presence`));
  }
}
