import { randomUUID } from 'node:crypto';
import type {
  Conversation,
  NewConversation,
  NewSite,
  NewVisitor,
  Operator,
  OperatorPatch,
  Site,
  Visitor,
} from './types.js';

// The rows both dialects insert, built once: defaults live here, not in each implementation.

export function siteRow(site: NewSite): Site {
  return {
    ...site,
    texts: site.texts ?? {},
    teams: site.teams ?? [],
    id: site.id ?? randomUUID(),
    // Creation time of an account record, not of a chat: no clock decision depends on it.
    createdAt: site.createdAt ?? Date.now(),
  };
}

export function visitorRow(v: NewVisitor): Visitor {
  return {
    id: v.id ?? randomUUID(),
    siteId: v.siteId,
    tokenHash: v.tokenHash,
    name: v.name,
    email: v.email,
    lang: v.lang,
    userAgent: v.userAgent,
    userId: v.userId ?? null,
    verified: v.verified ?? false,
    timezone: v.timezone ?? null,
    attributes: v.attributes ?? {},
    createdAt: v.createdAt,
    lastSeenAt: v.lastSeenAt,
  };
}

export function conversationRow(c: NewConversation): Conversation {
  return {
    id: c.id ?? randomUUID(),
    siteId: c.siteId,
    teamId: c.teamId ?? null,
    visitorId: c.visitorId,
    status: c.status,
    operatorId: null,
    createdAt: c.createdAt,
    enqueuedAt: c.enqueuedAt,
    assignedAt: null,
    endedAt: null,
    lastSeq: 0,
    rating: null,
    ratingComment: null,
    visitorName: c.visitorName ?? null,
    visitorEmail: c.visitorEmail ?? null,
    tags: [],
    routingRev: 0,
  };
}

/**
 * The operator's own settings in a patch (console language, "I answer chats"). Unlike the other fields,
 * null is a value here (back to "follow the browser" / "not asked"); only undefined leaves one as is.
 */
export function profileFields(patch: OperatorPatch): Partial<Pick<Operator, 'locale' | 'answersChats'>> {
  return {
    ...(patch.locale !== undefined ? { locale: patch.locale } : {}),
    ...(patch.answersChats !== undefined ? { answersChats: patch.answersChats } : {}),
  };
}
