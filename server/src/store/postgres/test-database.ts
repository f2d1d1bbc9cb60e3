import postgres from 'postgres';

// The PostgreSQL that the store's tests use, and whether it can be reached: suites skip with a visible
// notice when it cannot, and fail instead under CI.

export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const IN_CI = Boolean(process.env.CI) && process.env.CI !== 'false';

/** The URL for messages, without its password. */
export function shownUrl(raw = TEST_DATABASE_URL): string {
  try {
    const u = new URL(raw);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable database URL)';
  }
}

/** Why the test database cannot be reached, or null when it can. */
export async function unreachableReason(): Promise<string | null> {
  const sql = postgres(TEST_DATABASE_URL, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`select 1`;
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    await sql.end({ timeout: 1 });
  }
}
