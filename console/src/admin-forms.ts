import type { SiteAdmin, SitePatch } from '@beseda/shared/types';
import './i18n/pages.js';
import { t } from './i18n/index.js';

/**
 * Pure helpers behind the admin forms: allowed origins typed one per line, threshold sanity, and the
 * patch that holds only what the owner changed (so two owners editing different fields do not undo
 * each other).
 */

const ORIGIN = /^(\*|https?:\/\/[^/\s]+)$/;

/** One origin per line (or comma-separated); a trailing slash is forgiven, anything else is reported. */
export function parseOrigins(text: string): { origins: string[]; invalid: string[] } {
  const origins: string[] = [];
  const invalid: string[] = [];
  for (const raw of text.split(/[\n,]/)) {
    const value = raw.trim().replace(/\/+$/, '');
    if (!value) continue;
    if (!ORIGIN.test(value)) invalid.push(raw.trim());
    else if (!origins.includes(value.toLowerCase())) origins.push(value.toLowerCase());
  }
  return { origins, invalid };
}

/** Problems with the queue thresholds, or null. Mirrors the server's limits so the form can say why. */
export function thresholdProblem(amberAfterSeconds: number, alertAfterSeconds: number): string | null {
  if (!Number.isInteger(amberAfterSeconds) || amberAfterSeconds < 5) return t('sites.amberMin');
  if (!Number.isInteger(alertAfterSeconds) || alertAfterSeconds < 10) return t('sites.alertMin');
  if (amberAfterSeconds >= alertAfterSeconds) return t('sites.amberBefore');
  return null;
}

const EDITABLE_KEYS = [
  'name',
  'allowedOrigins',
  'timezone',
  'color',
  'position',
  'launcherText',
  'greeting',
  'lang',
  'businessHours',
  'alertAfterSeconds',
  'amberAfterSeconds',
  'slaSeconds',
  'ringTimeoutSeconds',
  'autoAwayMinutes',
  'typingPreview',
  'prechat',
] as const satisfies ReadonlyArray<keyof SitePatch & keyof SiteAdmin>;

/** The owner-editable fields as the form holds them (the server validates the values, e.g. `lang`). */
export type SiteDraft = Partial<Pick<SiteAdmin, (typeof EDITABLE_KEYS)[number]>>;

/** The fields of `draft` that differ from `original` (deep-compared as JSON). */
export function sitePatch(original: SiteAdmin, draft: SiteDraft): SitePatch {
  const patch: Record<string, unknown> = {};
  for (const key of EDITABLE_KEYS) {
    const value = draft[key];
    if (value === undefined) continue;
    if (JSON.stringify(value) !== JSON.stringify(original[key])) patch[key] = value;
  }
  return patch as SitePatch;
}

/** Every IANA zone the browser knows, for the timezone picker; a short list when it cannot tell. */
export function timezones(): string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: string) => string[] };
  try {
    const zones = intl.supportedValuesOf?.('timeZone');
    if (zones?.length) return zones.includes('UTC') ? zones : ['UTC', ...zones];
  } catch {
    // fall through
  }
  return ['UTC', 'Europe/London', 'Europe/Prague', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo'];
}

/**
 * Fills fields a site may lack (a server older than the console, or a site created before a setting
 * existed) with the defaults new sites get, so the form never reads `undefined`.
 */
export function withSiteDefaults(
  site: Partial<SiteAdmin> & Pick<SiteAdmin, 'id' | 'key' | 'name'>,
): SiteAdmin {
  return {
    timezone: 'UTC',
    color: '#2354d6',
    position: 'right',
    launcherText: 'Chat with us',
    greeting: '',
    lang: 'en',
    businessHours: null,
    alertAfterSeconds: 240,
    amberAfterSeconds: 60,
    slaSeconds: 30,
    ringTimeoutSeconds: 0,
    autoAwayMinutes: 0,
    typingPreview: false,
    teams: [],
    allowedOrigins: [],
    identitySecret: '',
    ...site,
    prechat: { enabled: false, requireEmail: false, topics: [], ...site.prechat },
  };
}
