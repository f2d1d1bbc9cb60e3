import type { SiteAdmin } from '@beseda/shared/types';
import { useState } from 'preact/hooks';
import { api, errorText } from '../api.js';
import { t } from '../i18n/index.js';

/** Same rule as the server's SITE_KEY_PATTERN (shared/src/admin.ts), checked here to explain it before saving. */
const KEY_FORMAT = /^[a-z0-9-]{3,40}$/;

/**
 * The site key with a way to change it. The key is in every embed snippet, so changing it takes the chat off
 * every page that still has the old snippet: the warning says so before anything is typed, and a confirmation
 * repeats it with both keys. The server refuses a key another site uses (409) and one of the wrong form (400).
 * Not a <form>: it sits inside the site's settings form.
 */
export function SiteKeyEditor({ site, onSaved }: { site: SiteAdmin; onSaved: (site: SiteAdmin) => void }) {
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(site.key);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ kind: 'error' | 'ok'; text: string } | null>(null);

  async function save() {
    const key = value.trim();
    if (key === site.key) return setEditing(false);
    if (!KEY_FORMAT.test(key)) return setStatus({ kind: 'error', text: t('sites.keyFormat') });
    if (!confirm(t('sites.keyConfirm', { old: site.key, key }))) return;
    setBusy(true);
    setStatus(null);
    try {
      const updated = await api.admin.updateSite(site.id, { key });
      onSaved(updated);
      setEditing(false);
      setStatus({ kind: 'ok', text: t('sites.keyChanged') });
    } catch (err) {
      setStatus({ kind: 'error', text: errorText(err) });
    } finally {
      setBusy(false);
    }
  }

  const message = status && (
    <span
      class={status.kind === 'error' ? 'form-error' : 'ok-text'}
      role={status.kind === 'error' ? 'alert' : 'status'}
      data-testid="site-key-status"
    >
      {status.text}
    </span>
  );

  if (!editing)
    return (
      <div class="site-key">
        <span class="muted">
          {t('sites.key')} <code data-testid="site-key">{site.key}</code>
        </span>
        <button
          type="button"
          class="btn small"
          onClick={() => {
            setValue(site.key);
            setStatus(null);
            setEditing(true);
          }}
          data-testid="site-key-change"
        >
          {t('sites.changeKey')}
        </button>
        {message}
      </div>
    );

  return (
    <div class="site-key editing" data-testid="site-key-editor">
      <p class="key-warning" role="note" id="site-key-warning">
        {t('sites.keyWarning')}
      </p>
      <label>
        {t('sites.key')}
        <input
          type="text"
          value={value}
          maxLength={40}
          spellcheck={false}
          autocomplete="off"
          aria-describedby="site-key-warning site-key-hint"
          onInput={(e) => setValue(e.currentTarget.value)}
          onKeyDown={(e) => {
            // Enter would submit the surrounding settings form.
            if (e.key === 'Enter') {
              e.preventDefault();
              void save();
            }
          }}
          data-testid="site-key-input"
        />
      </label>
      <span class="hint" id="site-key-hint">
        {t('sites.keyHint')}
      </span>
      <div class="form-actions">
        {message}
        <button type="button" class="btn small" onClick={() => setEditing(false)}>
          {t('ops.cancel')}
        </button>
        <button
          type="button"
          class="btn small danger"
          disabled={busy}
          onClick={save}
          data-testid="site-key-save"
        >
          {t('sites.keySave')}
        </button>
      </div>
    </div>
  );
}
