import { generatePassword, hashPassword } from './auth/passwords.js';
import { newToken } from './auth/tokens.js';
import { DEFAULT_SITE } from './http/site-defaults.js';
import type { Store } from './store/types.js';

export interface BootstrapResult {
  created: boolean;
  email: string;
  password: string | null;
  siteKey: string;
}

/**
 * First start: a demo site and an owner account, so the product is usable at once. The generated
 * password is printed once and never stored in clear; OWNER_PASSWORD sets it instead.
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
  if ((await store.listOperators()).length > 0)
    return { created: false, email: opts.ownerEmail, password: null, siteKey };

  const password = opts.ownerPassword ?? generatePassword();
  const sites = await store.listSites();
  const owner = await store.createOperator({
    email: opts.ownerEmail.toLowerCase(),
    name: 'Owner',
    role: 'owner',
    passwordHash: await hashPassword(password),
    capacity: 3,
    siteIds: sites.map((s) => s.id),
  });
  // The owner is the first operator too: online as soon as they open the console.
  await store.updateOperator(owner.id, { status: 'online' });
  return { created: true, email: opts.ownerEmail, password: opts.ownerPassword ? null : password, siteKey };
}
