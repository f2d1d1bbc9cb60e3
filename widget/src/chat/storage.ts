/** The part of Web Storage the widget uses; injectable so the connection is testable in Node. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** In-memory stand-in: used when localStorage is unavailable (sandboxed iframe, privacy mode) and in tests. */
export function memoryStorage(): StorageLike & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

/**
 * localStorage, or memory when touching it throws (SecurityError when storage is blocked). Writes can
 * still fail later (quota), so every access goes through the guarded helpers below.
 */
export function browserStorage(): StorageLike {
  try {
    const s = globalThis.localStorage;
    s.getItem('beseda');
    return s;
  } catch {
    return memoryStorage();
  }
}

export function readJson<T>(storage: StorageLike, key: string): T | null {
  try {
    const raw = storage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null; // unreadable or corrupted by someone else: start clean rather than crash
  }
}

/**
 * Writes a value, or removes the key for null, so absent keys mean "nothing there" to the loader.
 * False when the write failed (quota exceeded): the caller's memory stays authoritative for this page.
 */
export function write(storage: StorageLike, key: string, value: string | null): boolean {
  try {
    if (value === null) storage.removeItem(key);
    else storage.setItem(key, value);
    return true;
  } catch {
    return false;
  }
}
