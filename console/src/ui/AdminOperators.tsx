import type { OperatorAdmin, Role, SiteAdmin } from '@beseda/shared/types';
import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../api.js';
import { t } from '../i18n/index.js';
import { pruneTeamIds } from '../teams.js';
import { useConsole } from './hooks.js';
import { SiteChecks, TeamChecks, TeamNames } from './MembershipFields.js';

/** A password the server generated: shown once, with a copy button, until dismissed. */
interface Secret {
  email: string;
  password: string;
}

interface NewForm {
  email: string;
  name: string;
  role: Role;
  capacity: number;
  siteIds: string[];
  teamIds: string[];
}

/**
 * Operators: create (generated password shown once), role, capacity, sites and teams, deactivate, reset
 * password.
 */
export function AdminOperators() {
  const presence = useConsole((s) => s.operators);
  const myId = useConsole((s) => s.me?.id);
  const [operators, setOperators] = useState<OperatorAdmin[] | null>(null);
  const [sites, setSites] = useState<SiteAdmin[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [secret, setSecret] = useState<Secret | null>(null);
  const [editing, setEditing] = useState<string | null>(null);

  useEffect(() => {
    Promise.all([api.admin.operators(), api.admin.sites()]).then(
      ([ops, s]) => {
        setOperators(ops);
        setSites(s);
      },
      (err: unknown) => setError(errorText(err)),
    );
  }, []);

  const replace = (op: OperatorAdmin) =>
    setOperators((list) => (list ? list.map((o) => (o.id === op.id ? op : o)) : list));

  async function patch(id: string, body: Parameters<typeof api.admin.updateOperator>[1]) {
    setError(null);
    try {
      replace(await api.admin.updateOperator(id, body));
      return true;
    } catch (err) {
      setError(errorText(err));
      return false;
    }
  }

  async function reset(op: OperatorAdmin) {
    if (!confirm(t('ops.resetConfirm', { name: op.name }))) return;
    setError(null);
    try {
      setSecret({ email: op.email, password: await api.admin.resetPassword(op.id) });
    } catch (err) {
      setError(errorText(err));
    }
  }

  // Live status and load come from the socket's presence, fresher than the list fetched on entry.
  const live = (op: OperatorAdmin) => presence.find((p) => p.id === op.id) ?? op;

  return (
    <section class="admin-section" aria-label={t('admin.tab.operators')}>
      {secret && (
        <div class="secret-box" role="status" data-testid="new-password">
          <p>{t('ops.passwordFor', { email: secret.email })}</p>
          <code data-testid="new-password-value">{secret.password}</code>
          <button
            type="button"
            class="btn small"
            onClick={() => void navigator.clipboard?.writeText(secret.password)}
          >
            {t('ops.copy')}
          </button>
          <button type="button" class="btn small ghost" onClick={() => setSecret(null)}>
            {t('ops.done')}
          </button>
        </div>
      )}
      {error && (
        <p class="form-error" role="alert" data-testid="admin-error">
          {error}
        </p>
      )}
      <NewOperator
        sites={sites}
        onCreated={(op, password) => {
          setOperators((list) => [...(list ?? []), op]);
          if (password) setSecret({ email: op.email, password });
        }}
        onError={setError}
      />
      {!operators && !error && <p class="empty">{t('app.loading')}</p>}
      {operators && (
        <table class="admin-table" data-testid="operators-table">
          <thead>
            <tr>
              <th>{t('ops.name')}</th>
              <th>{t('ops.role')}</th>
              <th>{t('ops.status')}</th>
              <th>{t('ops.chats')}</th>
              <th>{t('ops.sites')}</th>
              <th>
                <span class="sr-only">{t('ops.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {operators.map((op) =>
              editing === op.id ? (
                <EditRow
                  key={op.id}
                  op={op}
                  sites={sites}
                  onCancel={() => setEditing(null)}
                  onSave={async (body) => {
                    if (await patch(op.id, body)) setEditing(null);
                  }}
                />
              ) : (
                <tr
                  key={op.id}
                  class={op.active ? undefined : 'operator-inactive'}
                  data-testid="operator-row"
                  data-email={op.email}
                >
                  <td>
                    <strong>{op.name}</strong>
                    <div class="muted">{op.email}</div>
                  </td>
                  <td>{roleName(op.role)}</td>
                  <td>
                    {op.active ? (
                      <>
                        <span class={`dot dot-${live(op).status}`} /> {t(`status.${live(op).status}`)}
                      </>
                    ) : (
                      <span class="pill">{t('ops.deactivated')}</span>
                    )}
                  </td>
                  <td>
                    {live(op).activeChats}/{live(op).capacity}
                  </td>
                  <td class="muted">
                    {op.siteIds.map((id) => sites.find((s) => s.id === id)?.name ?? id).join(', ')}
                    <TeamNames op={op} sites={sites} />
                  </td>
                  <td>
                    <div class="row-actions">
                      <button type="button" class="btn small" onClick={() => setEditing(op.id)}>
                        {t('ops.edit')}
                      </button>
                      <button
                        type="button"
                        class="btn small"
                        onClick={() => reset(op)}
                        data-testid="reset-password"
                      >
                        {t('ops.resetPassword')}
                      </button>
                      {op.id !== myId && (
                        <button
                          type="button"
                          class={`btn small${op.active ? ' danger' : ''}`}
                          onClick={() => patch(op.id, { active: !op.active })}
                          data-testid="toggle-active"
                        >
                          {op.active ? t('ops.deactivate') : t('ops.reactivate')}
                        </button>
                      )}
                    </div>
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      )}
    </section>
  );
}

function NewOperator({
  sites,
  onCreated,
  onError,
}: {
  sites: SiteAdmin[];
  onCreated: (op: OperatorAdmin, password: string | undefined) => void;
  onError: (message: string | null) => void;
}) {
  const blank = (): NewForm => ({
    email: '',
    name: '',
    role: 'operator',
    capacity: 3,
    siteIds: sites.map((s) => s.id),
    teamIds: [],
  });
  const [form, setForm] = useState<NewForm>(blank);
  const [busy, setBusy] = useState(false);
  // The site list arrives after the first render: start with every site ticked.
  useEffect(
    () => setForm((f) => (f.siteIds.length ? f : { ...f, siteIds: sites.map((s) => s.id) })),
    [sites],
  );

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    onError(null);
    try {
      const { operator, password } = await api.admin.createOperator({
        email: form.email.trim(),
        name: form.name.trim(),
        role: form.role,
        capacity: form.capacity,
        siteIds: form.siteIds,
        teamIds: form.teamIds,
      });
      onCreated(operator, password);
      setForm(blank());
    } catch (err) {
      onError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="inline-form" onSubmit={submit} data-testid="new-operator">
      <h2>{t('ops.add')}</h2>
      <input
        type="email"
        required
        placeholder={t('ops.email')}
        aria-label={t('ops.email')}
        value={form.email}
        onInput={(e) => setForm({ ...form, email: e.currentTarget.value })}
        data-testid="new-operator-email"
      />
      <input
        type="text"
        required
        placeholder={t('ops.name')}
        aria-label={t('ops.name')}
        value={form.name}
        onInput={(e) => setForm({ ...form, name: e.currentTarget.value })}
        data-testid="new-operator-name"
      />
      <RoleSelect value={form.role} onChange={(role) => setForm({ ...form, role })} />
      <CapacityField value={form.capacity} onChange={(capacity) => setForm({ ...form, capacity })} />
      <SiteChecks
        sites={sites}
        value={form.siteIds}
        onChange={(siteIds) =>
          setForm({ ...form, siteIds, teamIds: pruneTeamIds(form.teamIds, sites, siteIds) })
        }
      />
      <TeamChecks
        sites={sites}
        siteIds={form.siteIds}
        value={form.teamIds}
        onChange={(teamIds) => setForm({ ...form, teamIds })}
      />
      <button type="submit" class="btn primary" disabled={busy} data-testid="new-operator-submit">
        {t('ops.create')}
      </button>
      <span class="hint">{t('ops.generated')}</span>
    </form>
  );
}

function EditRow({
  op,
  sites,
  onCancel,
  onSave,
}: {
  op: OperatorAdmin;
  sites: SiteAdmin[];
  onCancel: () => void;
  onSave: (body: {
    name: string;
    role: Role;
    capacity: number;
    siteIds: string[];
    teamIds: string[];
  }) => void;
}) {
  const [name, setName] = useState(op.name);
  const [role, setRole] = useState<Role>(op.role);
  const [capacity, setCapacity] = useState(op.capacity);
  const [siteIds, setSiteIds] = useState(op.siteIds);
  const [teamIds, setTeamIds] = useState(op.teamIds ?? []);
  return (
    <tr class="editing">
      <td>
        <input
          type="text"
          aria-label={t('ops.name')}
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
        />
        <div class="muted">{op.email}</div>
      </td>
      <td>
        <RoleSelect value={role} onChange={setRole} />
      </td>
      <td colSpan={2}>
        <CapacityField value={capacity} onChange={setCapacity} />
      </td>
      <td>
        <SiteChecks
          sites={sites}
          value={siteIds}
          onChange={(ids) => {
            setSiteIds(ids);
            setTeamIds(pruneTeamIds(teamIds, sites, ids));
          }}
        />
        <TeamChecks sites={sites} siteIds={siteIds} value={teamIds} onChange={setTeamIds} />
      </td>
      <td>
        <div class="row-actions">
          <button
            type="button"
            class="btn small primary"
            onClick={() => onSave({ name: name.trim(), role, capacity, siteIds, teamIds })}
          >
            {t('ops.save')}
          </button>
          <button type="button" class="btn small ghost" onClick={onCancel}>
            {t('ops.cancel')}
          </button>
        </div>
      </td>
    </tr>
  );
}

function roleName(role: Role): string {
  return t(role === 'admin' ? 'ops.roleAdmin' : role === 'owner' ? 'ops.roleOwner' : 'ops.roleOperator');
}

/** Only the installation admin may hand out the admin role (the server refuses it from owners too). */
function RoleSelect({ value, onChange }: { value: Role; onChange: (role: Role) => void }) {
  const isAdmin = useConsole((s) => s.me?.role === 'admin');
  return (
    <select
      aria-label={t('ops.role')}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value as Role)}
    >
      <option value="operator">{roleName('operator')}</option>
      <option value="owner">{roleName('owner')}</option>
      {(isAdmin || value === 'admin') && <option value="admin">{roleName('admin')}</option>}
    </select>
  );
}

function CapacityField({ value, onChange }: { value: number; onChange: (n: number) => void }) {
  return (
    <label class="field-inline">
      {t('ops.capacity')}
      <input
        type="number"
        min={0}
        max={50}
        value={value}
        class="narrow"
        onInput={(e) => {
          const n = Number.parseInt(e.currentTarget.value, 10);
          if (!Number.isNaN(n)) onChange(Math.min(50, Math.max(0, n)));
        }}
      />
    </label>
  );
}
