import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeContract } from '../contract.js';
import { openSqliteStore } from './sqlite-store.js';

storeContract('sqlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'beseda-store-'));
  // A nested path also checks that the store creates its parent directory.
  const file = join(dir, 'data', 'beseda.db');
  return {
    open: () => openSqliteStore({ file }),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
});
