import type { OperatorAdmin, SiteAdmin, Team, TeamInput } from '@beseda/shared/types';
import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../api.js';
import { t } from '../i18n/index.js';
import { routeHref } from '../router.js';
import {
  normalTeamName,
  type TeamNameProblem,
  teamNameProblem,
  withTeamAdded,
  withTeamRemoved,
  withTeamRenamed,
} from '../teams.js';

type Status = { kind: 'error' | 'ok'; text: string } | null;

function problemText(problem: TeamNameProblem, name: string): string {
  if (problem === 'empty') return t('teams.empty');
  if (problem === 'tooLong') return t('teams.tooLong');
  return t('teams.duplicate', { name: name.trim() });
}

/**
 * A site's teams (issue #12.8): list, add, rename, delete. Each change is saved at once as the whole list
 * (PATCH /api/admin/sites/:id `teams`); the server's 400 message is shown here. Not a <form>: it sits inside
 * the site's settings form, so Enter in its fields is handled here and never submits the settings.
 */
export function TeamsEditor({
  site,
  operators,
  onSaved,
}: {
  site: SiteAdmin;
  /** For the member counts; null while loading or when it failed (the counts are then left out). */
  operators: readonly OperatorAdmin[] | null;
  onSaved: (site: SiteAdmin) => void;
}) {
  const teams = site.teams ?? [];
  const [name, setName] = useState('');
  const [editing, setEditing] = useState<{ id: string; name: string } | null>(null);
  const [status, setStatus] = useState<Status>(null);
  const [busy, setBusy] = useState(false);
  // After a rename (or its cancel) the focus goes back to the row's Rename button.
  const [focusId, setFocusId] = useState<string | null>(null);

  useEffect(() => {
    if (!focusId) return;
    document.getElementById(focusId)?.focus();
    setFocusId(null);
  }, [focusId]);

  /**
   * Applies `edit` to the site's current list, read again first: the whole list is sent, so a team another
   * owner added meanwhile must not be dropped by a list this page read earlier.
   */
  async function save(edit: (current: readonly Team[]) => TeamInput[], done: () => string): Promise<boolean> {
    setBusy(true);
    setStatus(null);
    try {
      const fresh = (await api.admin.sites()).find((s) => s.id === site.id)?.teams ?? teams;
      const updated = await api.admin.updateSite(site.id, { teams: edit(fresh) });
      onSaved(updated);
      setStatus({ kind: 'ok', text: done() });
      return true;
    } catch (err) {
      setStatus({ kind: 'error', text: errorText(err) });
      return false;
    } finally {
      setBusy(false);
    }
  }

  async function add() {
    const problem = teamNameProblem(teams, name);
    if (problem) return setStatus({ kind: 'error', text: problemText(problem, name) });
    const added = normalTeamName(name);
    if (
      await save(
        (current) => withTeamAdded(current, name),
        () => t('teams.added', { name: added }),
      )
    )
      setName('');
  }

  async function rename() {
    if (!editing) return;
    const current = teams.find((team) => team.id === editing.id);
    if (current && current.name === editing.name.trim()) {
      setEditing(null);
      setFocusId(`team-rename-${editing.id}`);
      return;
    }
    const problem = teamNameProblem(teams, editing.name, editing.id);
    if (problem) return setStatus({ kind: 'error', text: problemText(problem, editing.name) });
    const { id, name: newName } = editing;
    const renamed = normalTeamName(newName);
    if (
      await save(
        (current) => withTeamRenamed(current, id, newName),
        () => t('teams.renamed', { name: renamed }),
      )
    ) {
      setFocusId(`team-rename-${id}`);
      setEditing(null);
    }
  }

  async function remove(id: string, teamName: string) {
    if (!confirm(t('teams.deleteConfirm', { name: teamName }))) return;
    if (
      await save(
        (current) => withTeamRemoved(current, id),
        () => t('teams.deleted', { name: teamName }),
      )
    )
      setFocusId('team-new-name');
  }

  const members = (teamId: string) =>
    operators?.filter((op) => op.active && op.teamIds?.includes(teamId)).length ?? null;
  const onEnter = (action: () => void) => (e: KeyboardEvent) => {
    if (e.key !== 'Enter') return;
    // Enter would submit the surrounding settings form.
    e.preventDefault();
    if (!busy) action();
  };

  return (
    <fieldset class="teams-editor" id="site-teams" data-testid="site-teams">
      <legend>{t('teams.title')}</legend>
      <p class="hint span2">{t('teams.hint')}</p>
      {teams.length === 0 ? (
        <p class="empty span2" data-testid="teams-none">
          {t('teams.none')}
        </p>
      ) : (
        <ul class="team-list span2" aria-label={t('teams.title')}>
          {teams.map((team) => {
            const count = members(team.id);
            return (
              <li key={team.id} class="team-item" data-testid="team-row" data-team-id={team.id}>
                {editing?.id === team.id ? (
                  <>
                    <input
                      type="text"
                      maxLength={60}
                      // biome-ignore lint/a11y/noAutofocus: the field the operator just asked for (Rename)
                      autoFocus
                      aria-label={t('teams.renameField', { name: team.name })}
                      value={editing.name}
                      onInput={(e) => setEditing({ id: team.id, name: e.currentTarget.value })}
                      onKeyDown={(e) => {
                        if (e.key === 'Escape') {
                          e.preventDefault();
                          setEditing(null);
                          setFocusId(`team-rename-${team.id}`);
                        } else onEnter(rename)(e);
                      }}
                      data-testid="team-rename-input"
                    />
                    <span class="row-actions">
                      <button
                        type="button"
                        class="btn small primary"
                        disabled={busy}
                        onClick={rename}
                        data-testid="team-rename-save"
                      >
                        {t('teams.save')}
                      </button>
                      <button
                        type="button"
                        class="btn small ghost"
                        onClick={() => {
                          setEditing(null);
                          setFocusId(`team-rename-${team.id}`);
                        }}
                      >
                        {t('teams.cancel')}
                      </button>
                    </span>
                  </>
                ) : (
                  <>
                    <span class="team-name" data-testid="team-name">
                      {team.name}
                    </span>
                    {count !== null && (
                      <span class="muted team-members" data-testid="team-members">
                        {t('teams.members', { count })}
                      </span>
                    )}
                    <span class="row-actions">
                      <button
                        type="button"
                        class="btn small"
                        id={`team-rename-${team.id}`}
                        aria-label={t('teams.renameLabel', { name: team.name })}
                        disabled={busy}
                        onClick={() => {
                          setStatus(null);
                          setEditing({ id: team.id, name: team.name });
                        }}
                        data-testid="team-rename"
                      >
                        {t('teams.rename')}
                      </button>
                      <button
                        type="button"
                        class="btn small danger"
                        aria-label={t('teams.deleteLabel', { name: team.name })}
                        disabled={busy}
                        onClick={() => remove(team.id, team.name)}
                        data-testid="team-delete"
                      >
                        {t('teams.delete')}
                      </button>
                    </span>
                  </>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <div class="team-add span2">
        <input
          type="text"
          id="team-new-name"
          maxLength={60}
          placeholder={t('teams.newName')}
          aria-label={t('teams.newName')}
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
          onKeyDown={onEnter(add)}
          data-testid="team-new-name"
        />
        <button type="button" class="btn small primary" disabled={busy} onClick={add} data-testid="team-add">
          {t('teams.add')}
        </button>
        {teams.length > 0 && (
          <a class="btn small ghost" href={routeHref({ page: 'admin', section: 'operators' })}>
            {t('teams.chooseOperators')}
          </a>
        )}
      </div>
      {status && (
        <p
          class={`span2 ${status.kind === 'error' ? 'form-error' : 'ok-text'}`}
          role={status.kind === 'error' ? 'alert' : 'status'}
          data-testid="teams-status"
        >
          {status.text}
        </p>
      )}
    </fieldset>
  );
}
