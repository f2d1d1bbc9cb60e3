import { t } from '../i18n/index.js';
import { teamName } from '../teams.js';
import { useConsole } from './hooks.js';

/**
 * The team a chat is routed through, as a small tag ("Sales"); nothing for a chat of the whole site or of a
 * team deleted since. Screen readers hear "Team: Sales". `long` shows the word on screen too (chat header).
 */
export function TeamTag({
  siteId,
  teamId,
  long = false,
  testId = 'team-tag',
}: {
  siteId: string;
  teamId: string | null | undefined;
  long?: boolean;
  testId?: string;
}) {
  const name = useConsole((s) => teamName(s.sites, siteId, teamId));
  if (!name) return null;
  return (
    <span class="team-tag" title={t('chat.team', { name })} data-testid={testId}>
      {long ? (
        t('chat.team', { name })
      ) : (
        <>
          <span class="sr-only">{t('chat.teamLabel')}: </span>
          {name}
        </>
      )}
    </span>
  );
}
