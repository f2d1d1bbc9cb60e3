import { ENV } from '../config.js';

const PLAIN = new Set(['—', 'generated', 'random', 'off']);

/** The README "Configuration" table rows, generated from the config schema (a test keeps them equal). */
export function configTableRows(): string[] {
  return Object.entries(ENV).map(([name, spec]) => {
    const def = PLAIN.has(spec.defaultDoc) ? spec.defaultDoc : `\`${spec.defaultDoc}\``;
    return `| \`${name}\` | ${def} | ${spec.doc} |`;
  });
}

export function configTable(): string {
  return ['| variable | default | meaning |', '|---|---|---|', ...configTableRows()].join('\n');
}
