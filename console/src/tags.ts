/**
 * Conversation tags as the server stores them: trimmed, lower-case, unique, at most 20 of at most 40
 * characters. Normalising on the client too keeps the chips on screen equal to what comes back.
 */
export const MAX_TAGS = 20;
export const MAX_TAG_LENGTH = 40;

export function normalizeTag(raw: string): string {
  return raw.trim().replace(/\s+/g, ' ').toLowerCase().slice(0, MAX_TAG_LENGTH).trim();
}

/** Adds one or more tags typed as "a, b"; returns the same array when nothing changes. */
export function addTags(tags: readonly string[], raw: string): readonly string[] {
  const next = [...tags];
  for (const part of raw.split(',')) {
    const tag = normalizeTag(part);
    if (tag && !next.includes(tag) && next.length < MAX_TAGS) next.push(tag);
  }
  return next.length === tags.length ? tags : next;
}

export function removeTag(tags: readonly string[], tag: string): readonly string[] {
  return tags.includes(tag) ? tags.filter((t) => t !== tag) : tags;
}

/** Suggestions not already on the conversation, in the server's order (most used first). */
export function tagSuggestions(found: readonly string[], current: readonly string[], limit = 8): string[] {
  return found.filter((t) => !current.includes(t)).slice(0, limit);
}
