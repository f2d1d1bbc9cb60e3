/**
 * What the console keeps in this browser between reloads: unsent drafts per chat and which inbox items
 * (offline messages, missed chats) this operator opened; their status is the server's. An interface so the store is tested without a DOM; the
 * browser implementation uses localStorage and fails quietly (private mode, storage full).
 */
export interface LocalMemory {
  draft(conversationId: string): string;
  saveDraft(conversationId: string, text: string): void;
  /** Inbox item ids this operator opened ('read'). */
  marked(kind: 'read'): ReadonlySet<string>;
  mark(kind: 'read', conversationId: string): void;
}

const DRAFT_PREFIX = 'beseda.console.draft.';
const MARK_KEY = { read: 'beseda.console.offlineRead' } as const;
/** Enough for weeks of offline messages; the oldest ids drop out first. */
const MAX_MARKED = 500;

export function browserMemory(storage: Storage | undefined = globalThis.localStorage): LocalMemory {
  const get = (key: string): string | null => {
    try {
      return storage?.getItem(key) ?? null;
    } catch {
      return null;
    }
  };
  const set = (key: string, value: string | null): void => {
    try {
      if (value === null) storage?.removeItem(key);
      else storage?.setItem(key, value);
    } catch {
      // storage disabled or full: the value lasts until reload
    }
  };
  const readMarks = (kind: 'read'): string[] => {
    try {
      const value: unknown = JSON.parse(get(MARK_KEY[kind]) ?? '[]');
      return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
    } catch {
      return [];
    }
  };
  return {
    draft: (id) => get(DRAFT_PREFIX + id) ?? '',
    saveDraft: (id, text) => set(DRAFT_PREFIX + id, text === '' ? null : text),
    marked: (kind) => new Set(readMarks(kind)),
    mark(kind, id) {
      const ids = readMarks(kind).filter((x) => x !== id);
      ids.push(id);
      set(MARK_KEY[kind], JSON.stringify(ids.slice(-MAX_MARKED)));
    },
  };
}

/** For tests and for browsers without storage. */
export function memoryOnly(): LocalMemory {
  const drafts = new Map<string, string>();
  const marks = { read: new Set<string>() };
  return {
    draft: (id) => drafts.get(id) ?? '',
    saveDraft: (id, text) => (text === '' ? drafts.delete(id) : drafts.set(id, text)),
    marked: (kind) => new Set(marks[kind]),
    mark: (kind, id) => marks[kind].add(id),
  };
}
