import type { OperatorAdmin, SiteAdmin } from '@beseda/shared/types';
import { useState } from 'preact/hooks';
import { api, errorText } from '../api.js';
import { t } from '../i18n/index.js';
import { useConsole } from './hooks.js';

/**
 * Adding a site: its name, and the operators who answer its chats from the start (all of them ticked;
 * the creating admin always). Without this a new site had nobody but the admin until each account was
 * edited. The operators are read when the admin starts typing a name.
 */
export function NewSiteForm({ onCreated }: { onCreated: (site: SiteAdmin) => void }) {
  const myId = useConsole((s) => s.me?.id ?? null);
  const [name, setName] = useState('');
  const [operators, setOperators] = useState<OperatorAdmin[] | null>(null);
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [status, setStatus] = useState<{ kind: 'error' | 'ok'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  function loadOperators() {
    if (operators) return;
    setOperators([]);
    api.admin.operators().then(
      (list) => {
        const others = list.filter((op) => op.active && op.id !== myId);
        setOperators(others);
        setChosen(new Set(others.map((op) => op.id)));
      },
      (err: unknown) => setStatus({ kind: 'error', text: errorText(err) }),
    );
  }

  function toggle(id: string, on: boolean) {
    setChosen((set) => {
      const next = new Set(set);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  async function create(e: Event) {
    e.preventDefault();
    setBusy(true);
    setStatus(null);
    try {
      const trimmed = name.trim();
      const result = await api.admin.createSite({ name: trimmed, operatorIds: [...chosen] });
      onCreated(result.site);
      setName('');
      setStatus({
        kind: 'ok',
        text: t('sites.created', { name: trimmed, count: result.operatorIds.length }),
      });
    } catch (err) {
      setStatus({ kind: 'error', text: errorText(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="new-site" onSubmit={create} data-testid="new-site-form">
      <div class="new-site-row">
        <input
          type="text"
          required
          maxLength={120}
          placeholder={t('sites.newName')}
          aria-label={t('sites.newName')}
          value={name}
          onFocus={loadOperators}
          onInput={(e) => {
            setName(e.currentTarget.value);
            loadOperators();
          }}
          data-testid="new-site-name"
        />
        <button type="submit" class="btn small" disabled={busy} data-testid="new-site-add">
          {t('sites.add')}
        </button>
      </div>
      {name.trim() !== '' && operators && (
        <fieldset class="new-site-operators" data-testid="new-site-operators">
          <legend>{t('sites.newOperators')}</legend>
          {operators.length === 0 && <p class="hint">{t('sites.noOtherOperators')}</p>}
          {operators.map((op) => (
            <label key={op.id} class="check">
              <input
                type="checkbox"
                checked={chosen.has(op.id)}
                onChange={(e) => toggle(op.id, e.currentTarget.checked)}
                data-testid="new-site-operator"
                data-operator-id={op.id}
              />
              {op.name} <span class="muted">{op.email}</span>
            </label>
          ))}
        </fieldset>
      )}
      {status && (
        <p
          class={status.kind === 'error' ? 'form-error' : 'ok-text'}
          role={status.kind === 'error' ? 'alert' : 'status'}
          data-testid="new-site-status"
        >
          {status.text}
        </p>
      )}
    </form>
  );
}
