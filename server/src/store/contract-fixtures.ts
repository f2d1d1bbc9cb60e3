import { randomUUID } from 'node:crypto';
import type { NewMessage, NewSite, Store, Visitor } from './types.js';

export const newSite = (over: Partial<NewSite> = {}): NewSite => ({
  key: `key-${randomUUID()}`,
  name: 'Shop',
  allowedOrigins: ['https://shop.example'],
  timezone: 'Europe/Berlin',
  color: '#0055ff',
  position: 'right',
  launcherText: 'Chat with us',
  greeting: 'Hi!',
  businessHours: null,
  alertAfterSeconds: 60,
  slaSeconds: 30,
  identitySecret: 'secret',
  lang: 'cs',
  amberAfterSeconds: 45,
  ringTimeoutSeconds: 20,
  autoAwayMinutes: 5,
  typingPreview: true,
  prechat: { enabled: true, requireEmail: true, topics: ['Sales', 'Support'] },
  ...over,
});

export const newVisitor = (
  siteId: string,
  over: Partial<Visitor> = {},
): Parameters<Store['createVisitor']>[0] => ({
  siteId,
  tokenHash: 'hash',
  name: null,
  email: null,
  lang: null,
  userAgent: null,
  createdAt: 1_000,
  lastSeenAt: 1_000,
  ...over,
});

export const visitorMessage = (
  conversationId: string,
  text: string,
  over: Partial<NewMessage> = {},
): NewMessage => ({
  conversationId,
  clientId: `c-${randomUUID()}`,
  author: 'visitor',
  operatorId: null,
  authorName: null,
  text,
  at: 2_000,
  ...over,
});

export async function rejectionCode(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return (err as { code?: unknown }).code;
  }
  throw new Error('expected the promise to reject');
}
