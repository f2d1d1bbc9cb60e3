import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The server's own store, bootstrap and auth helpers, loaded from the checkout under test (`--server-root`)
 * so seeding and the final check use exactly that checkout's schema and migrations.
 */
async function serverModules(root: string) {
  const load = <T>(rel: string): Promise<T> => import(pathToFileURL(join(root, rel)).href) as Promise<T>;
  const [store, boot, passwords, tokens, sessions] = await Promise.all([
    load<typeof import('../../server/src/store/index.js')>('server/src/store/index.ts'),
    load<typeof import('../../server/src/bootstrap.js')>('server/src/bootstrap.ts'),
    load<typeof import('../../server/src/auth/passwords.js')>('server/src/auth/passwords.ts'),
    load<typeof import('../../server/src/auth/tokens.js')>('server/src/auth/tokens.ts'),
    load<typeof import('../../server/src/auth/sessions.js')>('server/src/auth/sessions.ts'),
  ]);
  return { ...store, ...boot, ...passwords, ...tokens, ...sessions };
}

export const OWNER_EMAIL = 'owner@bench.local';
export const OWNER_PASSWORD = 'bench-owner-password';

/**
 * Prepares the data directory before the server child starts: the demo site and owner (exactly what the
 * server's first start would create), then the bench operators with live sessions. Sessions are written
 * directly because logging in thousands of operators over REST would cost one scrypt each (~100 ms on
 * this machine) and trip the 10-per-minute login limit; the bench logs in once over REST to prove the
 * path works. The relay loads these operators when it starts.
 */
export async function seedBeseda(
  root: string,
  dataDir: string,
  operators: number,
  capacity: number,
): Promise<string[]> {
  const { openStore, bootstrap, hashPassword, newToken, hashToken, SESSION_COOKIE } =
    await serverModules(root);
  const store = await openStore({ dataDir });
  try {
    await bootstrap(store, { ownerEmail: OWNER_EMAIL, ownerPassword: OWNER_PASSWORD });
    const site = await store.getSiteByKey('demo');
    if (!site) throw new Error('bootstrap created no demo site');
    // One hash for all: every operator gets the same password, and scrypt is deliberately slow.
    const passwordHash = await hashPassword('bench-operator-password');
    const cookies: string[] = [];
    for (let j = 0; j < operators; j++) {
      const op = await store.createOperator({
        email: `op${j}@bench.local`,
        name: `Operator ${j}`,
        role: 'operator',
        passwordHash,
        capacity,
        siteIds: [site.id],
      });
      // Chosen status online: the relay makes them live-online as soon as their socket says hello.
      await store.updateOperator(op.id, { status: 'online' });
      const token = newToken();
      await store.createSession({
        token: hashToken(token),
        operatorId: op.id,
        expiresAt: Date.now() + 86_400_000,
      });
      cookies.push(`${SESSION_COOKIE}=${token}`);
    }
    return cookies;
  } finally {
    await store.close();
  }
}

export interface StoredCheck {
  /** Visitor messages of the bench found in the SQLite file. */
  stored: number;
  /** clientIds that were acked but are missing from the file (should be 0). */
  missingAcked: number;
  /** clientIds that were sent but are missing (includes sends the server never acked). */
  missingSent: number;
  sentTotal: number;
  ackedTotal: number;
}

/**
 * Reads the SQLite file after the server has stopped, through the same Store the server uses, and checks
 * every message the bench sent is there.
 */
export async function checkStored(
  root: string,
  dataDir: string,
  conversationIds: readonly string[],
  sent: ReadonlySet<string>,
  acked: ReadonlySet<string>,
): Promise<Omit<StoredCheck, 'sentTotal' | 'ackedTotal'>> {
  const { openStore } = await serverModules(root);
  const store = await openStore({ dataDir });
  try {
    const found = new Set<string>();
    for (const id of conversationIds) {
      for (const m of await store.listMessages(id, 0)) {
        if (m.author === 'visitor' && m.clientId) found.add(m.clientId);
      }
    }
    let stored = 0;
    let missingSent = 0;
    let missingAcked = 0;
    for (const c of sent) {
      if (found.has(c)) stored++;
      else missingSent++;
    }
    for (const c of acked) if (!found.has(c)) missingAcked++;
    return { stored, missingAcked, missingSent };
  } finally {
    await store.close();
  }
}
