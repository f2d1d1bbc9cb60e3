import fp from 'fastify-plugin';

/** Throws (or rejects) when the dependency is not usable. */
export type ReadinessCheck = () => Promise<unknown> | unknown;

export interface ReadinessReport {
  ready: boolean;
  draining: boolean;
  /** name → `ok`, `failed` or `timeout` (details go to the log, not to whoever asks). */
  checks: Record<string, 'ok' | 'failed' | 'timeout'>;
}

/**
 * What load balancers ask before sending traffic: every registered dependency answers, and the node is not
 * draining. Other plugins add their own checks (`app.readiness.register('redis', () => redis.ping())`).
 */
export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();
  private isDraining = false;

  constructor(
    private readonly timeoutMs: number,
    private readonly onFailure: (name: string, err: unknown) => void = () => {},
  ) {}

  register(name: string, check: ReadinessCheck): void {
    if (this.checks.has(name)) throw new Error(`readiness check "${name}" is already registered`);
    this.checks.set(name, check);
  }

  /** From now on the node answers not-ready (SIGTERM: before sockets close, so balancers stop sending). */
  drain(): void {
    this.isDraining = true;
  }

  get draining(): boolean {
    return this.isDraining;
  }

  async report(): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]) => [name, await this.run(name, check)] as const),
    );
    const checks = Object.fromEntries(entries);
    return {
      ready: !this.draining && entries.every(([, r]) => r === 'ok'),
      draining: this.draining,
      checks,
    };
  }

  private async run(name: string, check: ReadinessCheck): Promise<'ok' | 'failed' | 'timeout'> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((r) => {
      timer = setTimeout(() => r('timeout'), this.timeoutMs);
    });
    try {
      const result = await Promise.race([
        Promise.resolve()
          .then(check)
          .then(() => 'ok' as const),
        timeout,
      ]);
      if (result === 'timeout') this.onFailure(name, new Error(`no answer within ${this.timeoutMs} ms`));
      return result;
    } catch (err) {
      this.onFailure(name, err);
      return 'failed';
    } finally {
      clearTimeout(timer);
    }
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    readiness: Readiness;
  }
}

/** Decorates `app.readiness` and serves GET /readyz (200 ready, 503 not ready). */
export const readinessPlugin = fp<{ timeoutMs?: number }>(
  async (app, opts) => {
    const readiness = new Readiness(opts.timeoutMs ?? 2_000, (name, err) =>
      app.log.warn({ err, check: name }, 'readiness check failed'),
    );
    app.decorate('readiness', readiness);
    app.addHook('preClose', async () => readiness.drain());
    app.get('/readyz', { logLevel: 'warn' }, async (_req, reply) => {
      const report = await readiness.report();
      return reply
        .code(report.ready ? 200 : 503)
        .header('cache-control', 'no-store')
        .send(report);
    });
  },
  { name: 'ops-readiness' },
);
