import type { NewSite } from '../store/types.js';

/** Settings of a new site before the owner changes anything (first start and POST /api/admin/sites). */
export const DEFAULT_SITE: Omit<NewSite, 'key' | 'name' | 'identitySecret'> = {
  allowedOrigins: [],
  timezone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
  color: '#2354d6',
  position: 'right',
  launcherText: 'Chat with us',
  greeting: 'Hi! How can we help you today?',
  lang: 'en',
  businessHours: null,
  alertAfterSeconds: 240,
  amberAfterSeconds: 60,
  slaSeconds: 30,
  // An assigned chat nobody answers within 45 s goes to the next operator (docs/console.md says why 45).
  ringTimeoutSeconds: 45,
  autoAwayMinutes: 10,
  typingPreview: false,
  prechat: { enabled: false, requireEmail: false, topics: [] },
};
