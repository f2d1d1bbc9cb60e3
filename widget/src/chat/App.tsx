import type { WidgetConfig } from '@beseda/shared/types';
import { useState } from 'preact/hooks';
import { Composer } from './Composer.js';
import type { Connection } from './connection.js';
import { Ended } from './Ended.js';
import { Header } from './Header.js';
import { fill, type Strings } from './i18n.js';
import { MessageList } from './MessageList.js';
import { ConnectionStatus, QueueBanner } from './Notices.js';
import { useChatView } from './use-chat-view.js';

interface AppProps {
  conn: Connection;
  config: WidgetConfig | null;
  open: boolean;
  t: Strings;
  lang: string;
  onClose: () => void;
}

/** The panel: header, connection and queue notices, messages, and the composer (or the "chat ended" footer). */
export function App({ conn, config, open, t, lang, onClose }: AppProps) {
  const view = useChatView(conn);
  const [focusComposer, setFocusComposer] = useState(false);
  const title = config?.name || t.title;
  const operator = view.conversation?.operator?.name ?? null;
  const active = view.conversation && !view.ended && view.state === 'open';
  const nobodyOnline = (view.operatorsOnline ?? config?.operatorsOnline) === false;
  const typing = view.operatorTyping
    ? operator
      ? fill(t.typing, { name: operator })
      : t.operatorTyping
    : null;

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
        canEnd={!!active}
        t={t}
        onEnd={() => conn.end()}
        onClose={onClose}
      />
      <ConnectionStatus view={view} t={t} />
      {view.queue && <QueueBanner queue={view.queue} t={t} />}
      <MessageList
        items={view.items}
        greeting={config?.greeting ?? ''}
        note={nobodyOnline && !view.conversation && view.items.length === 0 ? t.offline : null}
        typing={typing}
        open={open}
        t={t}
        lang={lang}
        onDismiss={(id) => conn.dismiss(id)}
      />
      {view.ended ? (
        <Ended
          conversation={view.conversation}
          t={t}
          onRate={(r) => conn.rate(r)}
          onNew={() => {
            conn.startNew();
            setFocusComposer(true);
          }}
        />
      ) : (
        <Composer
          t={t}
          disabled={!!view.fatal}
          autoFocus={focusComposer}
          onSend={(text) => conn.send(text)}
          onTyping={() => conn.typing()}
          onIdle={() => conn.stopTyping()}
        />
      )}
    </div>
  );
}
