import { generatePassword, hashPassword } from './auth/passwords.js';
import { newToken } from './auth/tokens.js';
import { DEFAULT_SITE } from './http/site-defaults.js';
import type { Operator, Store } from './store/types.js';

export interface BootstrapResult {
  created: boolean;
  email: string;
  password: string | null;
  siteKey: string;
}

/**
 * First start: a demo site and the installation admin's account, so the product is usable at once. The
 * generated password is printed once and never stored in clear; OWNER_PASSWORD sets it instead.
 * Installations from before the admin role: the oldest active owner becomes the installation admin.
 */
export async function bootstrap(
  store: Store,
  opts: { ownerEmail: string; ownerPassword?: string | undefined },
): Promise<BootstrapResult> {
  let site = await store.getSiteByKey('demo');
  if (!site && (await store.listSites()).length === 0) {
    site = await store.createSite({
      ...DEFAULT_SITE,
      key: 'demo',
      name: 'Demo shop',
      identitySecret: newToken(),
    });
  }
  const siteKey = site?.key ?? (await store.listSites())[0]?.key ?? 'demo';
  const operators = await store.listOperators();
  if (operators.length > 0) {
    await ensureAdmin(store, operators);
    return { created: false, email: opts.ownerEmail, password: null, siteKey };
  }

  const password = opts.ownerPassword ?? generatePassword();
  const sites = await store.listSites();
  const owner = await store.createOperator({
    email: opts.ownerEmail.toLowerCase(),
    name: 'Owner',
    role: 'admin',
    passwordHash: await hashPassword(password),
    capacity: 3,
    siteIds: sites.map((s) => s.id),
  });
  // The admin is the first operator too: online as soon as they open the console.
  await store.updateOperator(owner.id, { status: 'online' });
  return { created: true, email: opts.ownerEmail, password: opts.ownerPassword ? null : password, siteKey };
}

/**
 * Before roles were split every owner administered every site. So that someone still can, the oldest active
 * owner is promoted when no active admin exists; the role column is plain text, no schema change is needed.
 * Other owners keep their role and from now on administer only their own sites.
 */
async function ensureAdmin(store: Store, operators: Operator[]): Promise<void> {
  if (operators.some((o) => o.active && o.role === 'admin')) return;
  const oldest = operators
    .filter((o) => o.active && o.role === 'owner')
    .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))[0];
  if (oldest) await store.updateOperator(oldest.id, { role: 'admin' });
}
