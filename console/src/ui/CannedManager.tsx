import type { CannedResponse, SiteSettings } from '@beseda/shared/types';
import { useState } from 'preact/hooks';
import { api, errorText } from '../api.js';
import { shortcutProblem } from '../canned.js';
import { t } from '../i18n/index.js';
import { useConsole, useStore } from './hooks.js';

interface Draft {
  id: string | null;
  shortcut: string;
  text: string;
  shared: boolean;
  siteId: string;
}

const EMPTY: Draft = { id: null, shortcut: '', text: '', shared: false, siteId: '' };

/**
 * List + form for canned responses. `scope` decides which ones are shown: the canned page shows the
 * operator's personal ones and, read-only unless they are an owner, the shared ones; the admin page shows
 * only shared ones. After every change the store reloads the list the composer uses.
 */
export function CannedManager({ scope }: { scope: 'all' | 'shared' }) {
  const store = useStore();
  const items = useConsole((s) => s.canned);
  const isOwner = useConsole((s) => s.me?.role === 'owner' || s.me?.role === 'admin');
  const sites = useConsole((s) => s.sites);
  const [draft, setDraft] = useState<Draft>(() => ({ ...EMPTY, shared: scope === 'shared' }));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const shown = items
    .filter((i) => scope === 'all' || i.operatorId === null)
    .sort(
      (a, b) =>
        Number(a.operatorId === null) - Number(b.operatorId === null) || a.shortcut.localeCompare(b.shortcut),
    );
  const canEdit = (item: CannedResponse) => item.operatorId !== null || isOwner;

  async function save(e: Event) {
    e.preventDefault();
    const shortcut = draft.shortcut.trim().replace(/^\//, '');
    const problem = shortcutProblem(shortcut) ?? (draft.text.trim() ? null : t('canned.textEmpty'));
    if (problem) return setError(problem);
    setBusy(true);
    setError(null);
    const body = {
      shortcut,
      text: draft.text.trim(),
      shared: draft.shared,
      ...(draft.shared ? { siteId: draft.siteId || null } : {}),
    };
    try {
      if (draft.id) await api.canned.update(draft.id, body);
      else await api.canned.create(body);
      setDraft({ ...EMPTY, shared: scope === 'shared' });
      await store.reloadCanned();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  async function remove(item: CannedResponse) {
    if (!confirm(t('canned.deleteConfirm', { shortcut: item.shortcut }))) return;
    try {
      await api.canned.remove(item.id);
      if (draft.id === item.id) setDraft({ ...EMPTY, shared: scope === 'shared' });
      await store.reloadCanned();
    } catch (err) {
      setError(errorText(err));
    }
  }

  return (
    <div class="canned-manager">
      <form class="card-form" onSubmit={save} data-testid="canned-form">
        <h2>{draft.id ? t('canned.edit', { shortcut: draft.shortcut }) : t('canned.new')}</h2>
        <label>
          {t('canned.shortcut')}
          <span class="with-prefix">
            <span aria-hidden="true">/</span>
            <input
              type="text"
              value={draft.shortcut}
              maxLength={41}
              required
              placeholder="refund"
              onInput={(e) => setDraft({ ...draft, shortcut: e.currentTarget.value })}
              data-testid="canned-shortcut"
            />
          </span>
        </label>
        <label>
          {t('canned.text')}
          <textarea
            rows={4}
            value={draft.text}
            maxLength={4000}
            required
            placeholder={t('canned.placeholder')}
            onInput={(e) => setDraft({ ...draft, text: e.currentTarget.value })}
            data-testid="canned-text"
          />
        </label>
        <p class="hint">
          {t('canned.placeholders', { visitor: '{{visitor.name}}', operator: '{{operator.name}}' })}
        </p>
        {isOwner && scope === 'all' && (
          <label class="check">
            <input
              type="checkbox"
              checked={draft.shared}
              onChange={(e) => setDraft({ ...draft, shared: e.currentTarget.checked })}
              data-testid="canned-shared"
            />
            {t('canned.sharedWithTeam')}
          </label>
        )}
        {draft.shared && isOwner && (
          <SitePicker
            sites={sites}
            value={draft.siteId}
            onChange={(siteId) => setDraft({ ...draft, siteId })}
          />
        )}
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
        <div class="form-actions">
          {draft.id && (
            <button
              type="button"
              class="btn ghost"
              onClick={() => setDraft({ ...EMPTY, shared: scope === 'shared' })}
            >
              {t('canned.cancel')}
            </button>
          )}
          <button type="submit" class="btn primary" disabled={busy} data-testid="canned-save">
            {draft.id ? t('canned.save') : t('canned.add')}
          </button>
        </div>
      </form>

      <ul class="canned-list" data-testid="canned-list">
        {shown.length === 0 && <li class="empty">{t('canned.none')}</li>}
        {shown.map((item) => (
          <li key={item.id} class="canned-row" data-testid="canned-row" data-shortcut={item.shortcut}>
            <div class="row">
              <span class="canned-shortcut">/{item.shortcut}</span>
              <span class="pill">
                {item.operatorId === null
                  ? `${t('canned.shared')}${item.siteId ? ` · ${sites[item.siteId]?.name ?? t('canned.oneSite')}` : ''}`
                  : t('canned.personal')}
              </span>
            </div>
            <p class="canned-body">{item.text}</p>
            {canEdit(item) && (
              <div class="form-actions">
                <button
                  type="button"
                  class="btn small"
                  onClick={() =>
                    setDraft({
                      id: item.id,
                      shortcut: item.shortcut,
                      text: item.text,
                      shared: item.operatorId === null,
                      siteId: item.siteId ?? '',
                    })
                  }
                >
                  {t('canned.editButton')}
                </button>
                <button type="button" class="btn small danger" onClick={() => remove(item)}>
                  {t('canned.delete')}
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

function SitePicker({
  sites,
  value,
  onChange,
}: {
  sites: Readonly<Record<string, SiteSettings>>;
  value: string;
  onChange: (siteId: string) => void;
}) {
  const list = Object.values(sites);
  if (list.length < 2) return null;
  return (
    <label>
      {t('canned.for')}
      <select value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        <option value="">{t('canned.allSites')}</option>
        {list.map((site) => (
          <option key={site.id} value={site.id}>
            {site.name}
          </option>
        ))}
      </select>
    </label>
  );
}
