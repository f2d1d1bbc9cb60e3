import { describe, expect, it } from 'vitest';
import { isSameOrigin, originAllowed } from './origin.js';

describe('same-origin and allowed origins', () => {
  it('without PUBLIC_URL the Host header decides', () => {
    expect(isSameOrigin('http://localhost:3000', 'localhost:3000')).toBe(true);
    expect(isSameOrigin('http://evil.example', 'localhost:3000')).toBe(false);
    expect(isSameOrigin(undefined, 'localhost:3000')).toBe(false);
    expect(isSameOrigin('not a url', 'localhost:3000')).toBe(false);
  });

  it('with PUBLIC_URL only its exact origin is self, whatever Host the client sent', () => {
    const pub = 'https://chat.shop.example/';
    expect(isSameOrigin('https://chat.shop.example', 'chat.shop.example', pub)).toBe(true);
    // An attacker's page whose DNS points at this server sends a matching Host: not self any more.
    expect(isSameOrigin('https://evil.example', 'evil.example', pub)).toBe(false);
    expect(isSameOrigin('http://chat.shop.example', 'chat.shop.example', pub)).toBe(false);
    expect(isSameOrigin('https://chat.shop.example:8443', 'chat.shop.example:8443', pub)).toBe(false);
  });

  it('other origins need the site list (exact, case- and slash-insensitive) or *', () => {
    const pub = 'https://chat.shop.example';
    expect(originAllowed('https://evil.example', 'evil.example', [], pub)).toBe(false);
    expect(originAllowed('https://Shop.example', 'x', ['https://shop.example/'], pub)).toBe(true);
    expect(originAllowed('https://chat.shop.example', 'x', [], pub)).toBe(true);
    expect(originAllowed('https://any.example', 'x', ['*'], pub)).toBe(true);
    expect(originAllowed(undefined, 'x', ['*'], pub)).toBe(false);
  });
});
