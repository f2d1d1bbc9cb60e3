import { buildApp } from './app.js';
import { loadConfig } from './config.js';

/** Listens, prints the first-start login once, and shuts down gracefully on SIGINT/SIGTERM. */
const config = loadConfig();
const app = await buildApp({ config });
await app.ready();
const boot = app.boot;
const address = await app.listen({ port: config.port, host: config.host });
const base = config.publicUrl ?? address.replace('127.0.0.1', 'localhost');

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
    app.log.info(`${signal}: draining sockets and flushing the store`);
    app.close().then(
      () => process.exit(0),
      (err) => {
        app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
