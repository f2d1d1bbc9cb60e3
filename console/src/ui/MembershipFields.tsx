import type { OperatorAdmin, SiteAdmin } from '@beseda/shared/types';
import { t } from '../i18n/index.js';
import { teamGroups, teamName } from '../teams.js';

/** An operator's memberships in Admin → Operators: site checkboxes, team checkboxes per site, team names. */

export function SiteChecks({
  sites,
  value,
  onChange,
}: {
  sites: SiteAdmin[];
  value: string[];
  onChange: (ids: string[]) => void;
}) {
  if (sites.length < 2) return null;
  return (
    <fieldset class="checks">
      <legend class="sr-only">{t('ops.sites')}</legend>
      {sites.map((s) => (
        <label key={s.id} class="check">
          <input
            type="checkbox"
            checked={value.includes(s.id)}
            onChange={(e) =>
              onChange(e.currentTarget.checked ? [...value, s.id] : value.filter((id) => id !== s.id))
            }
          />
          {s.name}
        </label>
      ))}
    </fieldset>
  );
}

/** The operator's teams under their sites in the table (teams of sites this owner sees). */
export function TeamNames({ op, sites }: { op: OperatorAdmin; sites: SiteAdmin[] }) {
  const names = op.siteIds.flatMap((siteId) =>
    (op.teamIds ?? []).map((id) => teamName(sites, siteId, id)).filter((n): n is string => n !== null),
  );
  if (names.length === 0) return null;
  return (
    <div data-testid="operator-teams">
      {t('ops.teams')}: {names.join(', ')}
    </div>
  );
}

/**
 * Team checkboxes, one group per chosen site that has teams. An operator of a team still takes the chats
 * for no team of their sites; capacity is shared across everything.
 */
export function TeamChecks({
  sites,
  siteIds,
  value,
  onChange,
}: {
  sites: SiteAdmin[];
  siteIds: string[];
  value: string[];
  onChange: (ids: string[]) => void;
}) {
  const groups = teamGroups(sites, siteIds);
  if (groups.length === 0) return null;
  return (
    <>
      {groups.map((group) => (
        <fieldset key={group.siteId} class="checks team-checks" data-testid="team-checks">
          <legend class="team-checks-site">{t('ops.teamsOf', { site: group.siteName })}</legend>
          {group.teams.map((team) => (
            <label key={team.id} class="check">
              <input
                type="checkbox"
                checked={value.includes(team.id)}
                onChange={(e) =>
                  onChange(
                    e.currentTarget.checked ? [...value, team.id] : value.filter((id) => id !== team.id),
                  )
                }
                data-testid="team-check"
                data-team-id={team.id}
              />
              {team.name}
            </label>
          ))}
        </fieldset>
      ))}
    </>
  );
}
