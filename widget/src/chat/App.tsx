import type { WidgetConfig } from '@beseda/shared/types';
import { useState } from 'preact/hooks';
import { Composer } from './Composer.js';
import type { ChatView, Connection } from './connection.js';
import { Ended } from './Ended.js';
import { type Draft, OfflineDone, OfflineForm, PrechatForm, TeamField, type TeamSlot } from './Forms.js';
import { Header } from './Header.js';
import { fill, type Strings } from './i18n.js';
import { MessageList } from './MessageList.js';
import { ConnectionStatus, QueueBanner } from './Notices.js';
import { type Team, type TeamRecord, teamState } from './teams.js';
import { useChatView } from './use-chat-view.js';

interface AppProps {
  conn: Connection;
  config: WidgetConfig | null;
  open: boolean;
  t: Strings;
  /** UI language (plural rules) and the locale for times. */
  lang: string;
  locale: string;
  muted: boolean;
  /** The stored team choice (visitor's pick or the host page's `setTeam`) and the visitor picking one. */
  team: TeamRecord | null;
  onTeam: (id: string) => void;
  onMute: () => void;
  onClose: () => void;
}

export type Mode = 'chat' | 'offline' | 'offline-done' | 'prechat';

/**
 * What the panel shows. A conversation (or unsent text) always wins: it is never hidden behind a form.
 * Without one: the leave-a-message confirmation, else the leave-a-message form when nobody is online (of
 * the chosen team, when there is one) or it is outside business hours, else the pre-chat form when the
 * site asks for one and it was not filled in.
 */
export function modeOf(view: ChatView, config: WidgetConfig | null, team: Team | null = null): Mode {
  if (view.fatal || view.conversation || view.items.length > 0) return 'chat';
  if (view.offline && !view.offline.failed) return 'offline-done';
  const closed = (view.withinHours ?? config?.withinHours) === false;
  const nobody = (view.operatorsOnline ?? config?.operatorsOnline) === false || team?.online === false;
  if (closed || nobody) return 'offline';
  if (config?.prechat?.enabled && !view.identity?.prechat) return 'prechat';
  return 'chat';
}

/** The panel: header, connection and queue notices, then the conversation or one of the forms. */
export function App({ conn, config, open, t, lang, locale, muted, team, onTeam, onMute, onClose }: AppProps) {
  const view = useChatView(conn);
  const [focusComposer, setFocusComposer] = useState(false);
  const [draft, setDraft] = useState<Draft | null>(null);
  const title = config?.name || t.title;
  const operator = view.conversation?.operator?.name ?? null;
  const active = view.conversation && !view.ended && view.state === 'open';
  const teams = teamState(config, view.teamsOnline, team);
  // Nobody of the chat's own team (or of the whole site) can take it: offer to leave a message instead.
  const chatTeam = teams.teams.find((x) => x.id === view.conversation?.teamId);
  const nobody = (view.operatorsOnline ?? config?.operatorsOnline) === false || chatTeam?.online === false;
  const closed = (view.withinHours ?? config?.withinHours) === false;
  const typing = view.operatorTyping
    ? operator
      ? fill(t.typing, { name: operator })
      : t.operatorTyping
    : null;
  const mode = modeOf(view, config, teams.team);
  const teamId = teams.team?.id;
  const teamField: TeamSlot = teams.ask
    ? (typed) => (
        <TeamField
          t={t}
          s={teams}
          onPick={(id) => {
            setDraft(typed);
            onTeam(id);
          }}
        />
      )
    : null;
  const claim = view.identity?.claim;
  const known: Draft = draft ?? {
    name: claim?.name ?? view.offline?.name ?? '',
    email: claim?.email ?? view.offline?.email ?? '',
    text: view.offline?.failed ? view.offline.text : '',
  };
  const queued = view.conversation?.status === 'queued';

  return (
    <div
      class="p"
      role="dialog"
      aria-label={title}
      hidden={!open}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <Header
        title={title}
        subtitle={operator && !view.ended ? fill(t.withOperator, { name: operator }) : null}
        operator={view.ended ? null : operator}
        canEnd={!!active}
        muted={muted}
        t={t}
        onEnd={() => conn.end()}
        onMute={onMute}
        onClose={onClose}
      />
      <ConnectionStatus view={view} t={t} />
      {view.queue && queued && (
        <QueueBanner
          queue={view.queue}
          t={t}
          lang={lang}
          onLeave={
            nobody || closed
              ? () => {
                  // Waiting for nobody: end the queued chat (it counts as missed) and write a message instead.
                  const text = view.items
                    .filter((i) => i.author === 'visitor')
                    .map((i) => i.text)
                    .join('\n');
                  conn.end();
                  conn.startNew();
                  setDraft({ ...known, text });
                }
              : null
          }
        />
      )}
      {mode === 'offline' ? (
        <div class="m">
          <OfflineForm
            t={t}
            closed={closed}
            team={teamField}
            initial={known}
            failed={!!view.offline?.failed}
            onSubmit={(f) => {
              setDraft(null);
              return conn.leaveMessage(f);
            }}
          />
        </div>
      ) : mode === 'offline-done' && view.offline ? (
        <div class="m">
          <OfflineDone rec={view.offline} t={t} onAnother={() => conn.clearOffline()} />
        </div>
      ) : (
        <MessageList
          items={view.items}
          greeting={config?.greeting ?? ''}
          typing={typing}
          open={open}
          t={t}
          locale={locale}
          onDismiss={(id) => conn.dismiss(id)}
        >
          {mode === 'prechat' && config?.prechat && (
            <PrechatForm
              t={t}
              requireEmail={config.prechat.requireEmail}
              topics={config.prechat.topics}
              known={!!claim?.signature}
              team={teamField}
              initial={known}
              onStart={(f) => {
                conn.prechat(f.name, f.email, f.topic ? { topic: f.topic } : {});
                conn.send(f.text, teamId);
                setDraft(null);
                setFocusComposer(true);
              }}
            />
          )}
        </MessageList>
      )}
      {mode === 'chat' &&
        (view.ended ? (
          <Ended
            conversation={view.conversation}
            t={t}
            onRate={(r, c) => conn.rate(r, c)}
            onNew={() => {
              conn.startNew();
              setFocusComposer(true);
            }}
          />
        ) : (
          <>
            {teamField && !view.conversation && !view.items.length && (
              <div class="tb">{teamField(known)}</div>
            )}
            <Composer
              t={t}
              disabled={!!view.fatal}
              autoFocus={focusComposer}
              preview={!!config?.typingPreview}
              onSend={(text) => conn.send(text, teamId)}
              onTyping={(d) => conn.typing(d)}
              onIdle={() => conn.stopTyping()}
            />
          </>
        ))}
    </div>
  );
}
