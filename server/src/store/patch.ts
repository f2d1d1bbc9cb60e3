/**
 * The fields of a patch that may change: listed keys with a value. Undefined means "leave as is", and
 * keys outside the list (id, createdAt, lastSeq smuggled in at runtime) are dropped.
 */
export function pickPatch<T extends object, K extends keyof T>(
  patch: T,
  keys: readonly K[],
): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) {
    if (patch[key] !== undefined) out[key] = patch[key];
  }
  return out;
}

export const SITE_FIELDS = [
  'key',
  'name',
  'allowedOrigins',
  'timezone',
  'color',
  'position',
  'launcherText',
  'greeting',
  'businessHours',
  'alertAfterSeconds',
  'slaSeconds',
  'identitySecret',
  'lang',
  'amberAfterSeconds',
  'ringTimeoutSeconds',
  'autoAwayMinutes',
  'typingPreview',
  'prechat',
  'texts',
  'teams',
] as const;

export const OPERATOR_FIELDS = [
  'name',
  'role',
  'passwordHash',
  'capacity',
  'status',
  'active',
  'teamIds',
] as const;

export const VISITOR_FIELDS = [
  'name',
  'email',
  'lang',
  'userAgent',
  'lastSeenAt',
  'userId',
  'verified',
  'timezone',
  'attributes',
] as const;

export const CONVERSATION_FIELDS = [
  'status',
  'operatorId',
  'enqueuedAt',
  'assignedAt',
  'endedAt',
  'rating',
  'ratingComment',
  'visitorName',
  'visitorEmail',
  'tags',
  'teamId',
] as const;

export const CANNED_FIELDS = ['shortcut', 'text', 'operatorId'] as const;
