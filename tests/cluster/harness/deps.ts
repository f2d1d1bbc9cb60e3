import { createRequire } from 'node:module';
import { resolve } from 'node:path';

/**
 * The PostgreSQL and Redis clients the server itself uses, loaded from the server package: the tests
 * package does not declare them (pnpm keeps undeclared packages unreachable from tests/), and the harness
 * should speak to the services with the same drivers as the nodes do.
 */
export const ROOT = resolve(import.meta.dirname, '../../..');
const fromServer = createRequire(resolve(ROOT, 'server/package.json'));

type PostgresFn = typeof import('../../../server/node_modules/postgres/types/index.js');
type RedisModule = typeof import('../../../server/node_modules/ioredis/built/index.js');

export const postgres = fromServer('postgres') as PostgresFn;
export const Redis = (fromServer('ioredis') as RedisModule).Redis;
export type Sql = ReturnType<PostgresFn>;
export type RedisClient = InstanceType<RedisModule['Redis']>;
