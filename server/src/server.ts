import { type Config, ConfigError, loadConfig, printableConfig } from './config.js';

/**
 * Listens, prints the first-start login once, and shuts down gracefully on SIGINT/SIGTERM:
 * not-ready first (load balancers stop sending), then sockets close with 1012, then the store flushes.
 */
const startedAt = performance.now();
let config: Config;
try {
  config = loadConfig();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  for (const problem of err.problems) console.error(`config: ${problem}`);
  console.error('config: see the Configuration table in README.md (or run with --print-config)');
  process.exit(2);
}
if (process.argv.includes('--print-config')) {
  console.log(printableConfig(config));
  process.exit(0);
}

// Imported after the config is known good: a bad config fails in milliseconds, not after loading Fastify.
const { buildApp } = await import('./app.js');
const app = await buildApp({ config });
await app.ready();
const boot = app.boot;
const address = await app.listen({ port: config.port, host: config.host });
const base = config.publicUrl ?? address.replace('127.0.0.1', 'localhost');
app.log.info(
  {
    startMs: Math.round(performance.now() - startedAt),
    // CPU time says more than wall time on a busy machine.
    cpuMs: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1000),
    rssMb: Math.round(process.memoryUsage.rss() / 1048576),
    node: config.nodeId,
    store: app.store.kind,
  },
  'ready',
);

const lines = [
  '',
  `  Beseda is running at ${base}`,
  `  Demo page:  ${base}/`,
  `  Console:    ${base}/console/`,
];
if (boot.created && boot.password) {
  lines.push(
    `  First start: owner login ${boot.email} / ${boot.password}`,
    '  (shown once; reset it with `pnpm reset-password`)',
  );
} else if (boot.created) {
  lines.push(`  First start: owner login ${boot.email} with OWNER_PASSWORD`);
}
console.log(`${lines.join('\n')}\n`);

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) process.exit(1);
    closing = true;
    app.readiness.drain();
    app.log.info(
      { drainDelayMs: config.drainDelayMs },
      `${signal}: not ready; closing sockets after the drain delay`,
    );
    setTimeout(() => {
      app.close().then(
        () => process.exit(0),
        (err) => {
          app.log.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    }, config.drainDelayMs);
  });
}
