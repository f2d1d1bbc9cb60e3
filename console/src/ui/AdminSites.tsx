import type { OperatorAdmin, SiteAdmin } from '@beseda/shared/types';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { parseOrigins, sitePatch, thresholdProblem, timezones, withSiteDefaults } from '../admin-forms.js';
import { api, errorText } from '../api.js';
import { type DayRow, defaultWeek, fromEditor, toEditor } from '../business-hours.js';
import { t } from '../i18n/index.js';
import { EmbedSnippet } from './EmbedSnippet.js';
import { useStore } from './hooks.js';
import { NewSiteForm } from './NewSiteForm.js';
import { SetupChecklist } from './SetupChecklist.js';
import { SiteKeyEditor } from './SiteKeyEditor.js';
import { TeamsEditor } from './TeamsEditor.js';
import { WeekEditor } from './WeekEditor.js';

type Editable = Omit<SiteAdmin, 'id' | 'key' | 'identitySecret' | 'allowedOrigins'>;

/** Sites: the list on the left, the selected site's settings on the right. */
export function AdminSites() {
  const store = useStore();
  const [sites, setSites] = useState<SiteAdmin[] | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Only for the teams' member counts: the page works without it.
  const [operators, setOperators] = useState<OperatorAdmin[] | null>(null);

  useEffect(() => {
    api.admin.operators().then(setOperators, () => setOperators(null));
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

  function created(raw: SiteAdmin) {
    const site = withSiteDefaults(raw);
    setSites((list) => [...(list ?? []), site]);
    setSelected(site.id);
    void store.reloadSites();
  }

  const site = sites?.find((s) => s.id === selected) ?? null;
  return (
    <section class="admin-sites" aria-label={t('admin.tab.sites')}>
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
        <NewSiteForm onCreated={created} />
      </aside>
      <div class="site-editor">
        {error && (
          <p class="form-error" role="alert" data-testid="admin-error">
            {error}
          </p>
        )}
        {!sites && !error && <p class="empty">{t('app.loading')}</p>}
        {site && <SiteEditor key={site.id} site={site} operators={operators} onSaved={saved} />}
      </div>
    </section>
  );
}

function SiteEditor({
  site,
  operators,
  onSaved,
}: {
  site: SiteAdmin;
  operators: readonly OperatorAdmin[] | null;
  onSaved: (site: SiteAdmin) => void;
}) {
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
  // Bumped on every save so the checklist re-reads what changed.
  const [saves, setSaves] = useState(0);
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
      return setStatus({ kind: 'error', text: t('sites.notOrigin', { list: parsed.invalid.join(', ') }) });
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
    if (Object.keys(patch).length === 0) return setStatus({ kind: 'ok', text: t('sites.unchanged') });
    setBusy(true);
    setStatus(null);
    try {
      const updated = await api.admin.updateSite(site.id, patch);
      onSaved(updated);
      setSaves((n) => n + 1);
      setStatus({ kind: 'ok', text: t('sites.saved') });
    } catch (err) {
      setStatus({ kind: 'error', text: errorText(err) });
    } finally {
      setBusy(false);
    }
  }

  async function rotate() {
    if (!confirm(t('sites.rotateConfirm'))) return;
    try {
      const updated = await api.admin.updateSite(site.id, { rotateIdentitySecret: true });
      setSecret(updated.identitySecret ?? '');
      setReveal(true);
      onSaved(updated);
      setStatus({ kind: 'ok', text: t('sites.rotated') });
    } catch (err) {
      setStatus({ kind: 'error', text: errorText(err) });
    }
  }

  return (
    <form class="site-form" onSubmit={save} data-testid="site-form">
      <header class="settings-head">
        <h2>{draft.name || site.name}</h2>
        <SiteKeyEditor site={site} onSaved={onSaved} />
      </header>

      <SetupChecklist siteId={site.id} siteKey={site.key} teams={site.teams ?? []} version={saves} />

      <EmbedSnippet siteKey={site.key} />

      <fieldset>
        <legend>{t('sites.general')}</legend>
        <label>
          {t('sites.name')}
          <input
            type="text"
            required
            maxLength={120}
            value={draft.name}
            onInput={(e) => set('name', e.currentTarget.value)}
          />
        </label>
        <label>
          {t('sites.timezone')}
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
          {t('sites.widgetLang')}
          <select value={draft.lang} onChange={(e) => set('lang', e.currentTarget.value)}>
            <option value="en">English</option>
            <option value="cs">Čeština</option>
            <option value="ru">Русский</option>
          </select>
        </label>
        <label class="span2">
          {t('sites.origins')} <span class="muted">{t('sites.originsHint')}</span>
          <textarea
            rows={3}
            value={origins}
            onInput={(e) => setOrigins(e.currentTarget.value)}
            data-testid="site-origins"
          />
        </label>
      </fieldset>

      <fieldset>
        <legend>{t('sites.widget')}</legend>
        <label>
          {t('sites.colour')}
          <input type="color" value={draft.color} onInput={(e) => set('color', e.currentTarget.value)} />
        </label>
        <label>
          {t('sites.position')}
          <select
            value={draft.position}
            onChange={(e) => set('position', e.currentTarget.value as 'left' | 'right')}
          >
            <option value="right">{t('sites.bottomRight')}</option>
            <option value="left">{t('sites.bottomLeft')}</option>
          </select>
        </label>
        <label>
          {t('sites.launcher')}
          <input
            type="text"
            maxLength={60}
            value={draft.launcherText}
            onInput={(e) => set('launcherText', e.currentTarget.value)}
          />
        </label>
        <label class="span2">
          {t('sites.greeting')}
          <textarea
            rows={2}
            maxLength={500}
            value={draft.greeting}
            onInput={(e) => set('greeting', e.currentTarget.value)}
          />
        </label>
      </fieldset>

      <fieldset>
        <legend>{t('sites.hours')}</legend>
        <label class="check span2">
          <input
            type="checkbox"
            checked={hoursOn}
            onChange={(e) => setHoursOn(e.currentTarget.checked)}
            data-testid="hours-on"
          />
          {t('sites.hoursOn')}
        </label>
        {hoursOn && <WeekEditor week={week} onChange={setWeek} />}
      </fieldset>

      <fieldset>
        <legend>{t('sites.queue')}</legend>
        <label>
          {t('sites.amber')}
          <input
            type="number"
            min={5}
            value={draft.amberAfterSeconds}
            onInput={num('amberAfterSeconds')}
            data-testid="site-amber"
          />
        </label>
        <label>
          {t('sites.alert')}
          <input
            type="number"
            min={10}
            value={draft.alertAfterSeconds}
            onInput={num('alertAfterSeconds')}
            data-testid="site-alert"
          />
        </label>
        <label>
          {t('sites.slaTarget')}
          <input type="number" min={1} value={draft.slaSeconds} onInput={num('slaSeconds')} />
        </label>
        <label>
          {t('sites.ring')}
          <input
            type="number"
            min={0}
            max={3600}
            value={draft.ringTimeoutSeconds}
            onInput={num('ringTimeoutSeconds')}
          />
        </label>
        <label>
          {t('sites.autoAway')}
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
          {t('sites.typingPreview')}
        </label>
      </fieldset>

      <TeamsEditor site={site} operators={operators} onSaved={onSaved} />

      <fieldset>
        <legend>{t('sites.prechat')}</legend>
        <label class="check">
          <input
            type="checkbox"
            checked={draft.prechat.enabled}
            onChange={(e) => set('prechat', { ...draft.prechat, enabled: e.currentTarget.checked })}
          />
          {t('sites.prechatOn')}
        </label>
        <label class="check">
          <input
            type="checkbox"
            checked={draft.prechat.requireEmail}
            disabled={!draft.prechat.enabled}
            onChange={(e) => set('prechat', { ...draft.prechat, requireEmail: e.currentTarget.checked })}
          />
          {t('sites.requireEmail')}
        </label>
        <label class="span2">
          {t('sites.topics')} <span class="muted">{t('sites.onePerLine')}</span>
          <textarea
            rows={3}
            value={topics}
            disabled={!draft.prechat.enabled}
            onInput={(e) => setTopics(e.currentTarget.value)}
          />
        </label>
      </fieldset>

      <fieldset>
        <legend>{t('sites.identity')}</legend>
        <p class="hint span2">{t('sites.identityHint')}</p>
        <div class="secret-row span2">
          <code data-testid="identity-secret">
            {reveal ? secret : '•'.repeat(Math.min(32, secret.length))}
          </code>
          <button type="button" class="btn small" onClick={() => setReveal(!reveal)}>
            {reveal ? t('sites.hide') : t('sites.show')}
          </button>
          <button type="button" class="btn small danger" onClick={rotate} data-testid="rotate-secret">
            {t('sites.rotate')}
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
          {t('sites.save')}
        </button>
      </div>
    </form>
  );
}

function editable(site: SiteAdmin): Editable {
  const { id: _id, key: _key, identitySecret: _secret, allowedOrigins: _origins, ...rest } = site;
  return rest;
}
