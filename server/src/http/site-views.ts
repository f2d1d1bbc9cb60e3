import type { SiteAdmin, SiteSettings } from '@beseda/shared';
import type { Site } from '../store/types.js';

export const siteSettings = (s: Site): SiteSettings => ({
  id: s.id,
  key: s.key,
  name: s.name,
  timezone: s.timezone,
  color: s.color,
  position: s.position,
  launcherText: s.launcherText,
  greeting: s.greeting,
  lang: s.lang,
  businessHours: s.businessHours,
  alertAfterSeconds: s.alertAfterSeconds,
  amberAfterSeconds: s.amberAfterSeconds,
  slaSeconds: s.slaSeconds,
  ringTimeoutSeconds: s.ringTimeoutSeconds,
  autoAwayMinutes: s.autoAwayMinutes,
  typingPreview: s.typingPreview,
  prechat: s.prechat,
  texts: s.texts,
  teams: s.teams,
});

export const siteAdmin = (s: Site): SiteAdmin => ({
  ...siteSettings(s),
  allowedOrigins: s.allowedOrigins,
  identitySecret: s.identitySecret,
});
