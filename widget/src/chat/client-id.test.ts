import { expect, it } from 'vitest';
import { newClientId } from './client-id.js';

it('client ids match the protocol ClientId pattern and do not repeat', () => {
  const ids = new Set<string>();
  for (let i = 0; i < 5000; i++) {
    const id = newClientId();
    expect(id).toMatch(/^[A-Za-z0-9_-]{16}$/);
    ids.add(id);
  }
  expect(ids.size).toBe(5000);
});
