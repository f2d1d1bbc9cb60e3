import type { SiteAdmin } from '@beseda/shared/types';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { parseOrigins, sitePatch, thresholdProblem, timezones, withSiteDefaults } from '../admin-forms.js';
import { api, errorText } from '../api.js';
import { type DayRow, defaultWeek, fromEditor, toEditor } from '../business-hours.js';
import { EmbedSnippet } from './EmbedSnippet.js';
import { useStore } from './hooks.js';

type Editable = Omit<SiteAdmin, 'id' | 'key' | 'identitySecret' | 'allowedOrigins'>;

/** Sites: the list on the left, the selected site's settings on the right. */
export function AdminSites() {
  const store = useStore();
  const [sites, setSites] = useState<SiteAdmin[] | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [newName, setNewName] = useState('');

  useEffect(() => {
    api.admin.sites().then(
      (raw) => {
        const list = raw.map(withSiteDefaults);
        setSites(list);
        setSelected((id) => id ?? list[0]?.id ?? null);
      },
      (err: unknown) => setError(errorText(err)),
    );
  }, []);

  function saved(raw: SiteAdmin) {
    const site = withSiteDefaults(raw);
    setSites((list) => (list ? list.map((s) => (s.id === site.id ? site : s)) : [site]));
    // Thresholds, auto-away and the rest take effect in this console at once.
    void store.reloadSites();
  }

  async function create(e: Event) {
    e.preventDefault();
    setError(null);
    try {
      const site = withSiteDefaults(await api.admin.createSite({ name: newName.trim() }));
      setSites((list) => [...(list ?? []), site]);
      setSelected(site.id);
      setNewName('');
      void store.reloadSites();
    } catch (err) {
      setError(errorText(err));
    }
  }

  const site = sites?.find((s) => s.id === selected) ?? null;
  return (
    <section class="admin-sites" aria-label="Sites">
      <aside class="site-list">
        <ul>
          {(sites ?? []).map((s) => (
            <li key={s.id}>
              <button
                type="button"
                class={`site-item${s.id === selected ? ' open' : ''}`}
                onClick={() => setSelected(s.id)}
                data-testid="site-item"
              >
                <span class="swatch" style={{ background: s.color }} />
                {s.name}
                <span class="muted">{s.key}</span>
              </button>
            </li>
          ))}
        </ul>
        <form class="new-site" onSubmit={create}>
          <input
            type="text"
            required
            maxLength={120}
            placeholder="New site name"
            aria-label="New site name"
            value={newName}
            onInput={(e) => setNewName(e.currentTarget.value)}
          />
          <button type="submit" class="btn small">
            Add
          </button>
        </form>
      </aside>
      <div class="site-editor">
        {error && (
          <p class="form-error" role="alert" data-testid="admin-error">
            {error}
          </p>
        )}
        {!sites && !error && <p class="empty">Loading…</p>}
        {site && <SiteEditor key={site.id} site={site} onSaved={saved} />}
      </div>
    </section>
  );
}

function SiteEditor({ site, onSaved }: { site: SiteAdmin; onSaved: (site: SiteAdmin) => void }) {
  const [draft, setDraft] = useState<Editable>(() => editable(site));
  const [origins, setOrigins] = useState(site.allowedOrigins.join('\n'));
  const [hoursOn, setHoursOn] = useState(site.businessHours !== null);
  const [week, setWeek] = useState<DayRow[]>(() =>
    site.businessHours ? toEditor(site.businessHours) : defaultWeek(),
  );
  const [topics, setTopics] = useState(site.prechat.topics.join('\n'));
  const [secret, setSecret] = useState(site.identitySecret);
  const [reveal, setReveal] = useState(false);
  const [status, setStatus] = useState<{ kind: 'error' | 'ok'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const zones = useMemo(timezones, []);

  const set = <K extends keyof Editable>(key: K, value: Editable[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));
  const num =
    (
      key:
        | 'alertAfterSeconds'
        | 'amberAfterSeconds'
        | 'slaSeconds'
        | 'ringTimeoutSeconds'
        | 'autoAwayMinutes',
    ) =>
    (e: { currentTarget: HTMLInputElement }) =>
      set(key, Number.parseInt(e.currentTarget.value, 10) || 0);

  async function save(e: Event) {
    e.preventDefault();
    const parsed = parseOrigins(origins);
    if (parsed.invalid.length)
      return setStatus({ kind: 'error', text: `Not an origin: ${parsed.invalid.join(', ')}` });
    const problem = thresholdProblem(draft.amberAfterSeconds, draft.alertAfterSeconds);
    if (problem) return setStatus({ kind: 'error', text: problem });
    let businessHours: SiteAdmin['businessHours'] = null;
    if (hoursOn) {
      const result = fromEditor(week);
      if (!result.ok) return setStatus({ kind: 'error', text: result.error });
      businessHours = result.hours;
    }
    const prechat = {
      ...draft.prechat,
      topics: topics
        .split('\n')
        .map((t) => t.trim())
        .filter(Boolean),
    };
    const patch = sitePatch(
      { ...site, identitySecret: secret },
      { ...draft, businessHours, prechat, allowedOrigins: parsed.origins },
    );
    if (Object.keys(patch).length === 0) return setStatus({ kind: 'ok', text: 'Nothing changed.' });
    setBusy(true);
    setStatus(null);
    try {
      const updated = await api.admin.updateSite(site.id, patch);
      onSaved(updated);
      setStatus({ kind: 'ok', text: 'Saved.' });
    } catch (err) {
      setStatus({ kind: 'error', text: errorText(err) });
    } finally {
      setBusy(false);
    }
  }

  async function rotate() {
    if (!confirm('Rotate the identity secret? Signatures made with the old secret stop verifying at once.'))
      return;
    try {
      const updated = await api.admin.updateSite(site.id, { rotateIdentitySecret: true });
      setSecret(updated.identitySecret ?? '');
      setReveal(true);
      onSaved(updated);
      setStatus({ kind: 'ok', text: 'New identity secret generated: update your website.' });
    } catch (err) {
      setStatus({ kind: 'error', text: errorText(err) });
    }
  }

  return (
    <form class="site-form" onSubmit={save} data-testid="site-form">
      <header class="settings-head">
        <h2>{draft.name || site.name}</h2>
        <span class="muted">
          Site key <code>{site.key}</code>
        </span>
      </header>

      <EmbedSnippet siteKey={site.key} />

      <fieldset>
        <legend>General</legend>
        <label>
          Name
          <input
            type="text"
            required
            maxLength={120}
            value={draft.name}
            onInput={(e) => set('name', e.currentTarget.value)}
          />
        </label>
        <label>
          Time zone
          <select
            value={draft.timezone}
            onChange={(e) => set('timezone', e.currentTarget.value)}
            data-testid="site-timezone"
          >
            {!zones.includes(draft.timezone) && <option value={draft.timezone}>{draft.timezone}</option>}
            {zones.map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </select>
        </label>
        <label>
          Widget language
          <select value={draft.lang} onChange={(e) => set('lang', e.currentTarget.value)}>
            <option value="en">English</option>
            <option value="cs">Čeština</option>
            <option value="ru">Русский</option>
          </select>
        </label>
        <label class="span2">
          Allowed origins <span class="muted">(one per line, e.g. https://shop.example; * allows any)</span>
          <textarea
            rows={3}
            value={origins}
            onInput={(e) => setOrigins(e.currentTarget.value)}
            data-testid="site-origins"
          />
        </label>
      </fieldset>

      <fieldset>
        <legend>Widget</legend>
        <label>
          Colour
          <input type="color" value={draft.color} onInput={(e) => set('color', e.currentTarget.value)} />
        </label>
        <label>
          Position
          <select
            value={draft.position}
            onChange={(e) => set('position', e.currentTarget.value as 'left' | 'right')}
          >
            <option value="right">Bottom right</option>
            <option value="left">Bottom left</option>
          </select>
        </label>
        <label>
          Launcher text
          <input
            type="text"
            maxLength={60}
            value={draft.launcherText}
            onInput={(e) => set('launcherText', e.currentTarget.value)}
          />
        </label>
        <label class="span2">
          Greeting
          <textarea
            rows={2}
            maxLength={500}
            value={draft.greeting}
            onInput={(e) => set('greeting', e.currentTarget.value)}
          />
        </label>
      </fieldset>

      <fieldset>
        <legend>Business hours</legend>
        <label class="check span2">
          <input
            type="checkbox"
            checked={hoursOn}
            onChange={(e) => setHoursOn(e.currentTarget.checked)}
            data-testid="hours-on"
          />
          Only take chats during business hours (in the site's time zone); otherwise visitors leave a message
        </label>
        {hoursOn && <WeekEditor week={week} onChange={setWeek} />}
      </fieldset>

      <fieldset>
        <legend>Queue and routing</legend>
        <label>
          Amber after (s)
          <input
            type="number"
            min={5}
            value={draft.amberAfterSeconds}
            onInput={num('amberAfterSeconds')}
            data-testid="site-amber"
          />
        </label>
        <label>
          Alert (red) after (s)
          <input
            type="number"
            min={10}
            value={draft.alertAfterSeconds}
            onInput={num('alertAfterSeconds')}
            data-testid="site-alert"
          />
        </label>
        <label>
          SLA target (s)
          <input type="number" min={1} value={draft.slaSeconds} onInput={num('slaSeconds')} />
        </label>
        <label>
          Ring timeout (s, 0 = off)
          <input
            type="number"
            min={0}
            max={3600}
            value={draft.ringTimeoutSeconds}
            onInput={num('ringTimeoutSeconds')}
          />
        </label>
        <label>
          Auto-away after (min, 0 = off)
          <input
            type="number"
            min={0}
            max={1440}
            value={draft.autoAwayMinutes}
            onInput={num('autoAwayMinutes')}
          />
        </label>
        <label class="check">
          <input
            type="checkbox"
            checked={draft.typingPreview}
            onChange={(e) => set('typingPreview', e.currentTarget.checked)}
          />
          Typing preview (operators see the visitor's draft; the widget tells the visitor)
        </label>
      </fieldset>

      <fieldset>
        <legend>Pre-chat form</legend>
        <label class="check">
          <input
            type="checkbox"
            checked={draft.prechat.enabled}
            onChange={(e) => set('prechat', { ...draft.prechat, enabled: e.currentTarget.checked })}
          />
          Ask for name and topic before the chat
        </label>
        <label class="check">
          <input
            type="checkbox"
            checked={draft.prechat.requireEmail}
            disabled={!draft.prechat.enabled}
            onChange={(e) => set('prechat', { ...draft.prechat, requireEmail: e.currentTarget.checked })}
          />
          Require an email address
        </label>
        <label class="span2">
          Topics <span class="muted">(one per line)</span>
          <textarea
            rows={3}
            value={topics}
            disabled={!draft.prechat.enabled}
            onInput={(e) => setTopics(e.currentTarget.value)}
          />
        </label>
      </fieldset>

      <fieldset>
        <legend>Identity verification</legend>
        <p class="hint span2">
          Your server signs the visitor's user id, name and email with this secret (HMAC-SHA256) so the
          console can show them as verified.
        </p>
        <div class="secret-row span2">
          <code data-testid="identity-secret">
            {reveal ? secret : '•'.repeat(Math.min(32, secret.length))}
          </code>
          <button type="button" class="btn small" onClick={() => setReveal(!reveal)}>
            {reveal ? 'Hide' : 'Show'}
          </button>
          <button type="button" class="btn small danger" onClick={rotate} data-testid="rotate-secret">
            Rotate
          </button>
        </div>
      </fieldset>

      <div class="form-actions sticky-actions">
        {status && (
          <span
            class={status.kind === 'error' ? 'form-error' : 'ok-text'}
            role={status.kind === 'error' ? 'alert' : 'status'}
            data-testid="site-status"
          >
            {status.text}
          </span>
        )}
        <button type="submit" class="btn primary" disabled={busy} data-testid="site-save">
          Save changes
        </button>
      </div>
    </form>
  );
}

function editable(site: SiteAdmin): Editable {
  const { id: _id, key: _key, identitySecret: _secret, allowedOrigins: _origins, ...rest } = site;
  return rest;
}

/** Monday to Sunday, each with its ranges; an empty day is closed. */
function WeekEditor({ week, onChange }: { week: DayRow[]; onChange: (week: DayRow[]) => void }) {
  const update = (i: number, row: DayRow) => onChange(week.map((r, j) => (j === i ? row : r)));
  return (
    <table class="week span2" data-testid="week-editor">
      <tbody>
        {week.map((row, i) => (
          <tr key={row.day}>
            <th scope="row">{row.label}</th>
            <td>
              {row.ranges.length === 0 && <span class="muted">Closed</span>}
              {row.ranges.map((range, k) => (
                <span key={`${row.day}-${k}`} class="range">
                  <input
                    type="time"
                    aria-label={`${row.label} from`}
                    value={range.from}
                    onInput={(e) =>
                      update(i, {
                        ...row,
                        ranges: row.ranges.map((r, m) =>
                          m === k ? { ...r, from: e.currentTarget.value } : r,
                        ),
                      })
                    }
                  />
                  –
                  <input
                    type="time"
                    aria-label={`${row.label} to`}
                    value={range.to === '24:00' ? '23:59' : range.to}
                    onInput={(e) =>
                      update(i, {
                        ...row,
                        ranges: row.ranges.map((r, m) => (m === k ? { ...r, to: e.currentTarget.value } : r)),
                      })
                    }
                  />
                  <button
                    type="button"
                    class="link"
                    aria-label={`Remove ${row.label} ${range.from}–${range.to}`}
                    onClick={() => update(i, { ...row, ranges: row.ranges.filter((_, m) => m !== k) })}
                  >
                    ×
                  </button>
                </span>
              ))}
            </td>
            <td>
              <button
                type="button"
                class="btn small ghost"
                onClick={() => {
                  const last = row.ranges.at(-1);
                  const from = last ? last.to : '09:00';
                  update(i, { ...row, ranges: [...row.ranges, { from, to: last ? '23:59' : '17:00' }] });
                }}
              >
                + hours
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
