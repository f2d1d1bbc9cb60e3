import '../i18n/pages.js';
import { type MessageKey, t } from '../i18n/index.js';
import { type AdminSection, routeHref } from '../router.js';
import { AdminOperators } from './AdminOperators.js';
import { AdminSites } from './AdminSites.js';
import { CannedManager } from './CannedManager.js';
import { useConsole } from './hooks.js';

const SECTIONS: ReadonlyArray<[AdminSection, MessageKey]> = [
  ['operators', 'admin.tab.operators'],
  ['sites', 'admin.tab.sites'],
  ['canned', 'admin.tab.canned'],
];

/** Lazy-loaded #/admin for owners. The server enforces the role; this only avoids showing dead ends. */
export default function AdminPage({ section }: { section: AdminSection }) {
  const isOwner = useConsole((s) => s.me?.role === 'owner' || s.me?.role === 'admin');
  if (!isOwner) {
    return (
      <div class="settings-page">
        <p class="form-error" role="alert" data-testid="admin-forbidden">
          {t('admin.forbidden')}
        </p>
      </div>
    );
  }
  return (
    <div class="settings-page">
      <nav class="subnav" aria-label={t('admin.sections')}>
        {SECTIONS.map(([id, label]) => (
          <a
            key={id}
            href={routeHref({ page: 'admin', section: id })}
            aria-current={section === id ? 'page' : undefined}
            data-testid={`admin-tab-${id}`}
          >
            {t(label)}
          </a>
        ))}
      </nav>
      {section === 'operators' && <AdminOperators />}
      {section === 'sites' && <AdminSites />}
      {section === 'canned' && <CannedManager scope="shared" />}
    </div>
  );
}
