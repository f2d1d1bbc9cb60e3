/**
 * Ids for outgoing messages, unique per sender (the server dedupes retries by them). Uses
 * getRandomValues rather than randomUUID, which browsers only offer on https or localhost.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

export function newClientId(length = 21): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let id = '';
  for (const b of bytes) id += ALPHABET[b & 63];
  return id;
}
