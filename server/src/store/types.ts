import type {
  ConversationStatus,
  Message,
  MessageAuthor,
  OperatorStatus,
  Rating,
  Role,
  TranscriptList,
  TranscriptQuery,
} from '@beseda/shared';

export interface BusinessHours {
  /** 0 = Sunday … 6 = Saturday; minutes from local midnight in the site's timezone. */
  days: { day: number; from: number; to: number }[];
}

export interface Site {
  id: string;
  key: string;
  name: string;
  allowedOrigins: string[];
  timezone: string;
  color: string;
  position: 'left' | 'right';
  launcherText: string;
  greeting: string;
  /** null = always open. */
  businessHours: BusinessHours | null;
  /** Seconds a visitor may wait before operators are alerted. */
  alertAfterSeconds: number;
  slaSeconds: number;
  /** HMAC secret for identity verification of visitors (issue: widget identify). */
  identitySecret: string;
  /** Default widget language: en | cs | ru. */
  lang: string;
  /** Queue colour turns amber after this many seconds of waiting (red after alertAfterSeconds). */
  amberAfterSeconds: number;
  /** An assigned chat not answered within this many seconds goes to the next operator; 0 = off. */
  ringTimeoutSeconds: number;
  /** Console sets an idle operator away after this many minutes; 0 = off. */
  autoAwayMinutes: number;
  /** Operators see the visitor's draft while typing (the widget discloses it). */
  typingPreview: boolean;
  prechat: { enabled: boolean; requireEmail: boolean; topics: string[] };
  /** Widget texts per language (key: en | cs | ru …); a missing text falls back to the fields above. */
  texts: Record<string, SiteTexts>;
  /** Teams (departments) in display order; each has its own queue (routing scope `teamScope`). */
  teams: SiteTeam[];
  createdAt: number;
}
export interface SiteTeam {
  id: string;
  name: string;
}
export interface SiteTexts {
  launcherText?: string;
  greeting?: string;
  offlineText?: string;
  prechatText?: string;
}
export type NewSite = Omit<Site, 'id' | 'createdAt' | 'texts' | 'teams'> & {
  id?: string;
  createdAt?: number;
  texts?: Record<string, SiteTexts>;
  teams?: SiteTeam[];
};

export interface Operator {
  id: string;
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
  capacity: number;
  /** Last status chosen by the operator; the live status is the relay's. */
  status: OperatorStatus;
  active: boolean;
  siteIds: string[];
  /** Teams of their sites they answer for (ids in `Site.teams`; stale ids are ignored by routing). */
  teamIds: string[];
  createdAt: number;
  /** Console language chosen by the operator (en | cs | ru); null = follow the browser. */
  locale: string | null;
  /**
   * The operator's own answer to "do you answer chats?" (setup checklist): null = never asked, false = does
   * not (kept at capacity 0, so routing never offers them a chat), true = does.
   */
  answersChats: boolean | null;
}
export type NewOperator = Omit<
  Operator,
  'id' | 'createdAt' | 'status' | 'active' | 'locale' | 'answersChats' | 'teamIds'
> & { id?: string; locale?: string | null; answersChats?: boolean | null; teamIds?: string[] };

export interface Session {
  token: string;
  operatorId: string;
  expiresAt: number;
}

export interface Visitor {
  id: string;
  siteId: string;
  /** scrypt/sha256 hash of the secret token, never the token itself. */
  tokenHash: string;
  name: string | null;
  email: string | null;
  lang: string | null;
  userAgent: string | null;
  /** Set by a signed identify (core/identity.ts); unsigned identities stay false. */
  userId: string | null;
  verified: boolean;
  /** IANA timezone reported by the widget. */
  timezone: string | null;
  /** Custom attributes from the host page / pre-chat form. */
  attributes: Record<string, string | number | boolean>;
  createdAt: number;
  lastSeenAt: number;
}

export interface Conversation {
  id: string;
  siteId: string;
  /** The team whose queue routes the chat (null: the whole site's); changed by a transfer to a team. */
  teamId: string | null;
  visitorId: string;
  status: ConversationStatus;
  operatorId: string | null;
  createdAt: number;
  enqueuedAt: number | null;
  assignedAt: number | null;
  endedAt: number | null;
  lastSeq: number;
  rating: Rating | null;
  ratingComment: string | null;
  visitorName: string | null;
  visitorEmail: string | null;
  /** Lower-case, unique, at most 20. */
  tags: string[];
  /**
   * Fencing token of the last routing write (see `Store.commit`): a routing decision carrying a revision
   * at or below this one is stale and is refused.
   */
  routingRev: number;
}
export type ConversationPatch = Partial<
  Pick<
    Conversation,
    | 'tags'
    | 'status'
    | 'operatorId'
    | 'enqueuedAt'
    | 'assignedAt'
    | 'endedAt'
    | 'rating'
    | 'ratingComment'
    | 'visitorName'
    | 'visitorEmail'
    | 'teamId'
  >
>;

export interface NewMessage {
  conversationId: string;
  /** null for system messages. Dedupe key together with conversationId. */
  clientId: string | null;
  author: MessageAuthor;
  operatorId: string | null;
  authorName: string | null;
  text: string;
  at: number;
  /**
   * Store it only while the conversation is active (and, with `operatorId`, assigned to that operator);
   * otherwise the write is refused as an unknown conversation. Lets a node send on what it remembers of a
   * conversation instead of reading it first: the store checks under the row lock it takes anyway.
   */
  requireActive?: { operatorId?: string };
}

export const EVENT_TYPES = [
  'enqueued',
  'assigned',
  'first_reply',
  'transferred',
  'ended',
  'missed',
  'rated',
  'offline_message',
  'operator_status',
  'page_view',
  'ring_timeout',
  /** A chat lost its operator (grace expired, deactivated) and went back to the queue. */
  'requeued',
  /** Transferred to another team's queue (or back to the whole site's): data {from, to, by}. */
  'team_changed',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface ChatEventRecord {
  id?: number;
  siteId: string | null;
  conversationId: string | null;
  operatorId: string | null;
  type: EventType;
  at: number;
  data: Record<string, unknown> | null;
}

/** What one stored message came to. */
export interface AppendResult {
  message: Message;
  /** A retry of a stored clientId: nothing was written and `message` is the original. */
  duplicate: boolean;
  /**
   * The seq of the conversation's latest non-note message before this one (0 = none): the `prev` of the
   * visitor's live frame. For a duplicate, the value stored with the original.
   */
  prevPublic: number;
}

/** One state change, stored in one transaction (see `ConversationStore.commit`). */
export interface UnitOfWork {
  conversation?: {
    id: string;
    patch: ConversationPatch;
    /** Routing revision: applies only if the stored routingRev is below it, and then becomes it. */
    fence?: number;
  };
  messages?: NewMessage[];
  events?: ChatEventRecord[];
}

export interface UnitResult {
  /** false = fenced out by a newer routing revision: nothing of the unit was stored. */
  applied: boolean;
  /** The conversation after the unit (as stored when fenced out); null when the unit had none. */
  conversation: Conversation | null;
  /** In the order of `unit.messages`; empty when fenced out. */
  messages: AppendResult[];
}

export type NewConversation = Pick<
  Conversation,
  'siteId' | 'visitorId' | 'status' | 'createdAt' | 'enqueuedAt'
> &
  Partial<Pick<Conversation, 'visitorName' | 'visitorEmail' | 'id' | 'teamId'>>;

export type NewVisitor = Omit<Visitor, 'id' | 'userId' | 'verified' | 'timezone' | 'attributes'> &
  Partial<Pick<Visitor, 'id' | 'userId' | 'verified' | 'timezone' | 'attributes'>>;

export type VisitorPatch = Partial<
  Pick<
    Visitor,
    'name' | 'email' | 'lang' | 'userAgent' | 'lastSeenAt' | 'userId' | 'verified' | 'timezone' | 'attributes'
  >
>;

export type OperatorPatch = Partial<
  Pick<
    Operator,
    | 'name'
    | 'role'
    | 'passwordHash'
    | 'capacity'
    | 'status'
    | 'active'
    | 'siteIds'
    | 'locale'
    | 'answersChats'
    | 'teamIds'
  >
>;

/** Receives events after the transaction that stored them committed, in commit order, with their ids. */
export type EventsListener = (events: ChatEventRecord[]) => void;

/** The hot path: visitors, conversations, messages and events. */
export interface ConversationStore {
  createVisitor(v: NewVisitor): Promise<Visitor>;
  /**
   * Idempotent create by id (the widget generates it): inserts unless a visitor with this id exists, and
   * returns the stored one either way; `created` tells which. The caller checks the token.
   */
  ensureVisitor(v: NewVisitor & { id: string }): Promise<{ visitor: Visitor; created: boolean }>;
  getVisitor(id: string): Promise<Visitor | null>;
  updateVisitor(id: string, patch: VisitorPatch): Promise<void>;
  /** Newest first. */
  listVisitorConversations(visitorId: string, limit: number): Promise<Conversation[]>;
  appendPageView(p: PageViewRecord): Promise<void>;
  /** Newest first. */
  listPageViews(visitorId: string, limit: number): Promise<PageViewRecord[]>;

  /** Rejects with `conflict` when the visitor already has an open (queued/active) conversation. */
  createConversation(c: NewConversation): Promise<Conversation>;
  /**
   * The visitor's open conversation, created if there is none. Race-safe across nodes: one open
   * conversation per visitor is a unique index, and the loser of a race reads the winner's.
   */
  openConversation(c: NewConversation): Promise<{ conversation: Conversation; created: boolean }>;
  getConversation(id: string): Promise<Conversation | null>;
  updateConversation(id: string, patch: ConversationPatch): Promise<Conversation>;
  /** The visitor's conversation in state queued or active, if any (at most one). */
  findOpenConversation(visitorId: string): Promise<Conversation | null>;
  /** Every queued or active conversation (with routingRev): live routing state is rebuilt from these. */
  listOpenConversations(): Promise<Conversation[]>;

  /**
   * Assigns the next seq of the conversation and stores the message durably (writes issued in the
   * same tick share one transaction: group commit). A retry with the same (conversationId, clientId)
   * stores nothing and returns the original with duplicate = true.
   */
  appendMessage(m: NewMessage): Promise<AppendResult>;
  /** Messages with seq > afterSeq in seq order. */
  listMessages(conversationId: string, afterSeq: number, limit?: number): Promise<Message[]>;

  appendEvent(e: ChatEventRecord): Promise<void>;
  listEvents(conversationId: string): Promise<ChatEventRecord[]>;

  /**
   * Stores a conversation change, its messages and its events in one transaction (group commit). With
   * `fence`, nothing of the unit is stored unless the conversation's routingRev is below the fence.
   * Rejects (storing nothing of the unit) on an unknown conversation or a constraint violation.
   */
  commit(unit: UnitOfWork): Promise<UnitResult>;
  /** Subscribes to committed events (appendEvent and commit); returns the unsubscribe function. */
  onEvents(listener: EventsListener): () => void;
}

/** Installation accounts: sites, operators, sessions. */
export interface AccountStore {
  createSite(site: NewSite): Promise<Site>;
  getSite(id: string): Promise<Site | null>;
  getSiteByKey(key: string): Promise<Site | null>;
  listSites(): Promise<Site[]>;
  updateSite(id: string, patch: Partial<Omit<Site, 'id' | 'createdAt'>>): Promise<Site>;

  createOperator(op: NewOperator): Promise<Operator>;
  getOperator(id: string): Promise<Operator | null>;
  getOperatorByEmail(email: string): Promise<Operator | null>;
  listOperators(siteId?: string): Promise<Operator[]>;
  updateOperator(id: string, patch: OperatorPatch): Promise<Operator>;

  createSession(session: Session): Promise<void>;
  getSession(token: string): Promise<Session | null>;
  deleteSession(token: string): Promise<void>;
}

/** Content operators curate: canned replies and tags. */
export interface ContentStore {
  /** Shared ones (operatorId null) of the given sites or of no site, plus the operator's personal ones; by shortcut. */
  listCanned(operatorId: string, siteIds: string[]): Promise<CannedRecord[]>;
  getCanned(id: string): Promise<CannedRecord | null>;
  createCanned(c: Omit<CannedRecord, 'id'>): Promise<CannedRecord>;
  updateCanned(
    id: string,
    patch: Partial<Pick<CannedRecord, 'shortcut' | 'text' | 'operatorId'>>,
  ): Promise<CannedRecord>;
  deleteCanned(id: string): Promise<void>;
  /** Tags used on conversations of these sites starting with `prefix`, most used first. */
  listTags(siteIds: string[], prefix: string, limit: number): Promise<string[]>;
}

export interface SearchStore {
  /** Ended/missed/offline conversations for the history page, newest first; `q` is full-text. */
  searchTranscripts(query: TranscriptQuery & { siteIds: string[] }): Promise<TranscriptListRows>;
}

/**
 * The durable store. Two implementations (SQLite default, PostgreSQL for several nodes) pass one
 * contract suite (store/contract.ts). Every method is async so both fit; every write resolves only
 * after it is durably committed ("persist, then publish").
 */
import type { InboxStore } from './inbox-types.js';

export * from './inbox-types.js';

export interface Store extends ConversationStore, AccountStore, ContentStore, SearchStore, InboxStore {
  readonly kind: 'sqlite' | 'postgres';
  /** A cheap round trip to the database, for readiness checks; rejects when it is unreachable. */
  ping(): Promise<void>;
  /** Waits for pending group commits and closes the connection. */
  close(): Promise<void>;
}

export interface PageViewRecord {
  visitorId: string;
  url: string;
  title: string | null;
  referrer: string | null;
  at: number;
}

export interface CannedRecord {
  id: string;
  shortcut: string;
  text: string;
  /** null = shared with the team. */
  operatorId: string | null;
  siteId: string | null;
  createdAt: number;
}

export interface TranscriptListRows {
  items: { conversation: Conversation; messageCount: number; snippet: string }[];
  nextBefore: number | null;
}

export type { TranscriptList };
