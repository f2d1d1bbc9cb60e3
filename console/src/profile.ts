import type { OperatorProfile } from '@beseda/shared/types';
import { browserLang, isLang, type Lang, setLang } from './i18n/index.js';

/**
 * The operator's console language, kept on the server (PATCH /api/me/profile) so it follows them to every
 * device: applied at sign-in, changed from the language picker. Signed out, the picker only changes this
 * browser; a language picked on the sign-in page is saved to the account when it has none yet.
 */

export type SaveLocale = (locale: Lang | null) => Promise<unknown>;

let signedIn = false;
/** The account's choice; null = follow the browser. */
let accountLocale: Lang | null = null;
/** Picked on the sign-in page, before we knew the account. */
let pickedSignedOut: Lang | null = null;

/** At sign-in (and session check): the account's language wins; none = the browser's (or the one just picked). */
export function applyProfile(profile: OperatorProfile | undefined, save: SaveLocale): Promise<void> {
  signedIn = true;
  accountLocale = isLang(profile?.locale) ? profile.locale : null;
  if (accountLocale) {
    setLang(accountLocale);
    pickedSignedOut = null;
    return Promise.resolve();
  }
  const picked = pickedSignedOut;
  pickedSignedOut = null;
  if (picked) return chooseLocale(picked, save);
  setLang(browserLang());
  return Promise.resolve();
}

export function signedOut(): void {
  signedIn = false;
  accountLocale = null;
}

/** The picker's value: the account's choice when signed in (null = "browser language"). */
export function localeChoice(current: Lang): Lang | null {
  return signedIn ? accountLocale : current;
}

/**
 * The operator picked a language (null = follow the browser). Shown at once; saved to the account when signed
 * in. Rejects when saving failed (the language stays in use here).
 */
export async function chooseLocale(next: Lang | null, save: SaveLocale): Promise<void> {
  setLang(next ?? browserLang());
  if (!signedIn) {
    pickedSignedOut = next;
    return;
  }
  accountLocale = next;
  await save(next);
}
