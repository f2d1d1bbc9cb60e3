/**
 * Sets a new password for an operator or owner, directly in the store the server uses:
 *   pnpm reset-password owner@beseda.local [new-password]
 * Without a password a random one is generated and printed. Honours DATA_DIR and DATABASE_URL.
 */
import { generatePassword, hashPassword } from '../server/src/auth/passwords.js';
import { loadConfig } from '../server/src/config.js';
import { openStore } from '../server/src/store/index.js';

const [email, given] = process.argv.slice(2);
if (!email) {
  console.error('usage: pnpm reset-password EMAIL [NEW_PASSWORD]');
  process.exit(2);
}
const config = loadConfig();
const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
try {
  const op = await store.getOperatorByEmail(email.toLowerCase());
  if (!op) {
    console.error(`No operator with email ${email}`);
    process.exitCode = 1;
  } else {
    const password = given ?? generatePassword();
    await store.updateOperator(op.id, { passwordHash: await hashPassword(password), active: true });
    console.log(`Password for ${op.email} set${given ? '' : `: ${password}`}`);
  }
} finally {
  await store.close();
}
