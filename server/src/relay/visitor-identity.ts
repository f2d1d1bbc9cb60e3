import type { ConversationView, VisitorServerFrame } from '@beseda/shared';
import type { Clock } from '../core/clock.js';
import { BesedaError } from '../core/errors.js';
import { type IdentityClaim, identityToStore, verifyIdentity } from '../core/identity.js';
import type { Conversation, Store, Visitor } from '../store/types.js';
import type { Delivery } from './delivery.js';
import type { Directory } from './directory.js';
import { ensureStored, type SessionVisitor } from './lazy-visitor.js';

export type IdentifyClaim = IdentityClaim & { attributes?: Record<string, string | number | boolean> };

/**
 * Who the visitor is, from the host page's JS API or the pre-chat form (issue #9 point 9). Decided against
 * the stored visitor under the caller's visitor lock (another tab may have verified it meanwhile):
 * - a valid signature marks the identity verified and is stored exactly as signed;
 * - an unsigned, expired or forged one is kept as unverified and never replaces a verified identity;
 * - a verified identity of another user than the one this visitor is verified as is refused with
 *   `identity_changed` and changes nothing: the second person on a shared browser must not inherit the
 *   first one's conversations. The client then starts a new visitor session and identifies there.
 */
export async function identifyVisitor(
  d: { store: Store; directory: Directory; delivery: Delivery; clock: Clock },
  visitor: SessionVisitor,
  claim: IdentifyClaim,
  view: (c: Conversation, v: Visitor) => ConversationView,
): Promise<VisitorServerFrame> {
  const site = d.directory.site(visitor.siteId);
  const verdict = site ? verifyIdentity(site.identitySecret, claim, d.clock.now()) : 'unsigned';
  const verified = verdict === 'verified';
  if (visitor.stored) Object.assign(visitor, await d.store.getVisitor(visitor.id));
  else await ensureStored(d.store, visitor);
  if (verified && visitor.verified && !sameUser(visitor, claim))
    throw new BesedaError(
      'identity_changed',
      'This visitor is verified as another user: start a new visitor session for this one',
    );
  const patch: Parameters<Store['updateVisitor']>[1] = {};
  if (verified || !visitor.verified) {
    Object.assign(patch, identityToStore(claim, verified));
    patch.verified = verified;
  }
  if (claim.attributes) patch.attributes = { ...visitor.attributes, ...claim.attributes };
  await d.store.updateVisitor(visitor.id, patch);
  Object.assign(visitor, patch);
  const conv = await d.store.findOpenConversation(visitor.id);
  if (conv && (patch.name !== undefined || patch.email !== undefined)) {
    const saved = await d.store.updateConversation(conv.id, {
      visitorName: visitor.name,
      visitorEmail: visitor.email,
    });
    d.delivery.toConversation(conv.id, { type: 'chat', conversation: view(saved, visitor) });
  }
  return { type: 'identity', verified: visitor.verified, status: verdict };
}

/**
 * Whether a verified claim names the user this visitor is verified as: by `userId` when either side has
 * one (an email change of the same account is the same user), else by the email as signed.
 */
export function sameUser(stored: Visitor, claim: IdentityClaim): boolean {
  const userId = claim.userId || null;
  if (stored.userId || userId) return stored.userId === userId;
  return stored.email === (claim.email || null);
}
