import type { CannedResponse, SiteSettings } from '@beseda/shared/types';
import { useState } from 'preact/hooks';
import { api, errorText } from '../api.js';
import { shortcutProblem } from '../canned.js';
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
  const isOwner = useConsole((s) => s.me?.role === 'owner');
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
    const problem = shortcutProblem(shortcut) ?? (draft.text.trim() ? null : 'The text is empty');
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
    if (!confirm(`Delete /${item.shortcut}?`)) return;
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
        <h2>{draft.id ? `Edit /${draft.shortcut}` : 'New canned response'}</h2>
        <label>
          Shortcut
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
          Text
          <textarea
            rows={4}
            value={draft.text}
            maxLength={4000}
            required
            placeholder="Hi {{visitor.name}}, I am {{operator.name}}…"
            onInput={(e) => setDraft({ ...draft, text: e.currentTarget.value })}
            data-testid="canned-text"
          />
        </label>
        <p class="hint">
          Placeholders: <code>{'{{visitor.name}}'}</code> and <code>{'{{operator.name}}'}</code> are filled in
          when the response is inserted.
        </p>
        {isOwner && scope === 'all' && (
          <label class="check">
            <input
              type="checkbox"
              checked={draft.shared}
              onChange={(e) => setDraft({ ...draft, shared: e.currentTarget.checked })}
              data-testid="canned-shared"
            />
            Shared with the team
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
              Cancel
            </button>
          )}
          <button type="submit" class="btn primary" disabled={busy} data-testid="canned-save">
            {draft.id ? 'Save' : 'Add'}
          </button>
        </div>
      </form>

      <ul class="canned-list" data-testid="canned-list">
        {shown.length === 0 && <li class="empty">No canned responses yet.</li>}
        {shown.map((item) => (
          <li key={item.id} class="canned-row" data-testid="canned-row" data-shortcut={item.shortcut}>
            <div class="row">
              <span class="canned-shortcut">/{item.shortcut}</span>
              <span class="pill">
                {item.operatorId === null
                  ? `shared${item.siteId ? ` · ${sites[item.siteId]?.name ?? 'one site'}` : ''}`
                  : 'personal'}
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
                  Edit
                </button>
                <button type="button" class="btn small danger" onClick={() => remove(item)}>
                  Delete
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
      For
      <select value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        <option value="">All my sites</option>
        {list.map((site) => (
          <option key={site.id} value={site.id}>
            {site.name}
          </option>
        ))}
      </select>
    </label>
  );
}
