import { t } from '../i18n/index.js';
import { CannedManager } from './CannedManager.js';

/** Lazy-loaded #/canned: the operator's own canned responses (and, for owners, the shared ones). */
export default function CannedPage() {
  return (
    <div class="settings-page">
      <header class="settings-head">
        <h1>{t('canned.heading')}</h1>
        <p class="muted">{t('canned.lead')}</p>
      </header>
      <CannedManager scope="all" />
    </div>
  );
}
