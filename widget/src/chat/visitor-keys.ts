/** A new visitor's id and secret token, made in the browser (PROTOCOL-NOTES item 4). */
export interface VisitorKeys {
  vid: string;
  token: string;
}

/** vid: a random UUID; token: 32 random bytes, base64url (what the server stores a hash of). */
export function newVisitorIdentity(c: Crypto = crypto): VisitorKeys {
  const bytes = c.getRandomValues(new Uint8Array(32));
  const token = btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
  return { vid: c.randomUUID(), token };
}
