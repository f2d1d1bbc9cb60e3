import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, ENV, loadConfig, printableConfig } from '../config.js';
import { configTable } from './config-table.js';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('configuration schema', () => {
  it('is exactly the table in the README (regenerate it from configTable() when this fails)', () => {
    const section = readme.slice(readme.indexOf('## Configuration'));
    const table = section.slice(
      section.indexOf('| variable'),
      section.indexOf('\n\n', section.indexOf('| variable')),
    );
    expect(table).toBe(configTable());
  });

  it('reports every problem on its own line, naming the variable and what it expects', () => {
    expect(
      problems({
        PORT: '80a',
        HEARTBEAT_MS: '10',
        LOG_LEVEL: 'loud',
        TRUST_PROXY: 'maybe',
        DATABASE_URL: 'mysql://db/beseda',
        PUBLIC_URL: 'chat.example.com',
        OWNER_EMAIL: 'nobody',
      }),
    ).toEqual([
      'PORT="80a": expected a whole number',
      'DATABASE_URL=(secret): expected a postgres:// or postgresql:// URL',
      'PUBLIC_URL="chat.example.com": expected a http:// or https:// URL',
      'OWNER_EMAIL="nobody": expected an email address',
      'LOG_LEVEL="loud": expected one of fatal, error, warn, info, debug, trace, silent',
      'HEARTBEAT_MS="10": expected a whole number from 1000 to 600000',
      'TRUST_PROXY="maybe": expected 1/0, true/false, yes/no or on/off',
    ]);
  });

  it('refuses invalid combinations with the reason', () => {
    expect(problems({ REDIS_URL: 'redis://127.0.0.1:6379' })).toEqual([
      'REDIS_URL is set but DATABASE_URL is not a postgres:// URL: cluster nodes must share one PostgreSQL database (a SQLite file is local to one node)',
    ]);
    expect(problems({ REDIS_URL: 'redis://127.0.0.1:6379', DATABASE_URL: 'postgres://db/beseda' })).toEqual(
      [],
    );
    expect(problems({ NODE_HEARTBEAT_MS: '2000', NODE_LEASE_MS: '3000' })).toEqual([
      'NODE_LEASE_MS=3000 must be at least 2 × NODE_HEARTBEAT_MS (4000), or one late heartbeat declares a live node dead',
    ]);
  });

  it('keeps the meaning of every existing setting', () => {
    const c = loadConfig({
      PORT: '8080',
      SESSION_TTL_HOURS: '2',
      TRUST_PROXY: '1',
      REDIS_URL: 'rediss://:pw@redis:6380',
      DATABASE_URL: 'postgresql://u:p@db/beseda',
      REDIS_PREFIX: 'shop:',
      NODE_ID: 'node-a',
    });
    expect(c).toMatchObject({
      port: 8080,
      sessionTtlMs: 7_200_000,
      trustProxy: true,
      redisPrefix: 'shop:',
      nodeId: 'node-a',
      nodeHeartbeatMs: 1000,
      nodeLeaseMs: 4000,
    });
    expect(loadConfig({}, { port: 0 }).port).toBe(0);
  });

  it('masks secrets when printing the effective config', () => {
    const env = {
      DATABASE_URL: 'postgres://beseda:db-secret@db/beseda',
      REDIS_URL: 'redis://:redis-secret@redis:6379',
      OWNER_PASSWORD: 'owner-secret',
      METRICS_TOKEN: 'metrics-secret-0123456789',
    };
    const printed = printableConfig(loadConfig(env), env);
    for (const secret of Object.values(env).map((v) => v.match(/[a-z]+-secret[-0-9]*/)![0]))
      expect(printed).not.toContain(secret);
    expect(printed).toContain('DATABASE_URL=postgres://beseda:***@db/beseda');
    expect(printed).toContain('OWNER_PASSWORD=***');
    expect(printed.split('\n')).toHaveLength(Object.keys(ENV).length);
  });
});
