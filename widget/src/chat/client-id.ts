const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

/**
 * A client-generated message id: 16 characters of [A-Za-z0-9_-] (96 bits), matching the protocol's
 * ClientId pattern. The server dedupes retries by it, so it must not repeat across tabs or reloads;
 * crypto randomness makes that safe without coordination. 64 symbols divide 256, so `& 63` is unbiased.
 */
export function newClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let id = '';
  for (const b of bytes) id += ALPHABET[b & 63];
  return id;
}
