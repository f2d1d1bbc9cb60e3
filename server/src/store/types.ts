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

/**
 * The durable store. Two implementations (SQLite default, PostgreSQL for several nodes) pass one
 * contract suite (store/contract.ts). Every method is async so both fit; every write resolves only
 * after it is durably committed ("persist, then publish").
 */

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
  createdAt: number;
}
export type NewSite = Omit<Site, 'id' | 'createdAt'> & { id?: string; createdAt?: number };

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
  createdAt: number;
}
export type NewOperator = Omit<Operator, 'id' | 'createdAt' | 'status' | 'active'> & { id?: string };

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

export interface Store {
  readonly kind: 'sqlite' | 'postgres';

  createSite(site: NewSite): Promise<Site>;
  getSite(id: string): Promise<Site | null>;
  getSiteByKey(key: string): Promise<Site | null>;
  listSites(): Promise<Site[]>;
  updateSite(id: string, patch: Partial<Omit<Site, 'id' | 'createdAt'>>): Promise<Site>;

  createOperator(op: NewOperator): Promise<Operator>;
  getOperator(id: string): Promise<Operator | null>;
  getOperatorByEmail(email: string): Promise<Operator | null>;
  listOperators(siteId?: string): Promise<Operator[]>;
  updateOperator(
    id: string,
    patch: Partial<
      Pick<Operator, 'name' | 'role' | 'passwordHash' | 'capacity' | 'status' | 'active' | 'siteIds'>
    >,
  ): Promise<Operator>;

  createSession(session: Session): Promise<void>;
  getSession(token: string): Promise<Session | null>;
  deleteSession(token: string): Promise<void>;

  createVisitor(
    v: Omit<Visitor, 'id' | 'userId' | 'verified' | 'timezone' | 'attributes'> &
      Partial<Pick<Visitor, 'id' | 'userId' | 'verified' | 'timezone' | 'attributes'>>,
  ): Promise<Visitor>;
  getVisitor(id: string): Promise<Visitor | null>;
  updateVisitor(
    id: string,
    patch: Partial<
      Pick<
        Visitor,
        | 'name'
        | 'email'
        | 'lang'
        | 'userAgent'
        | 'lastSeenAt'
        | 'userId'
        | 'verified'
        | 'timezone'
        | 'attributes'
      >
    >,
  ): Promise<void>;
  /** Newest first. */
  listVisitorConversations(visitorId: string, limit: number): Promise<Conversation[]>;
  appendPageView(p: PageViewRecord): Promise<void>;
  /** Newest first. */
  listPageViews(visitorId: string, limit: number): Promise<PageViewRecord[]>;

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

  createConversation(
    c: Pick<Conversation, 'siteId' | 'visitorId' | 'status' | 'createdAt' | 'enqueuedAt'> &
      Partial<Pick<Conversation, 'visitorName' | 'visitorEmail' | 'id'>>,
  ): Promise<Conversation>;
  getConversation(id: string): Promise<Conversation | null>;
  updateConversation(id: string, patch: ConversationPatch): Promise<Conversation>;
  /** The visitor's conversation in state queued or active, if any (at most one). */
  findOpenConversation(visitorId: string): Promise<Conversation | null>;
  /** Every queued or active conversation: the relay rebuilds its live state from these on start. */
  listOpenConversations(): Promise<Conversation[]>;

  /**
   * Assigns the next seq of the conversation and stores the message durably (writes issued in the
   * same tick share one transaction: group commit). A retry with the same (conversationId, clientId)
   * stores nothing and returns the original with duplicate = true.
   */
  appendMessage(m: NewMessage): Promise<{ message: Message; duplicate: boolean }>;
  /** Messages with seq > afterSeq in seq order. */
  listMessages(conversationId: string, afterSeq: number, limit?: number): Promise<Message[]>;

  appendEvent(e: ChatEventRecord): Promise<void>;
  listEvents(conversationId: string): Promise<ChatEventRecord[]>;

  /** Ended/missed/offline conversations for the history page, newest first; `q` is full-text. */
  searchTranscripts(query: TranscriptQuery & { siteIds: string[] }): Promise<TranscriptListRows>;

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
