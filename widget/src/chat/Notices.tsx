import type { ChatView, QueueInfo } from './connection.js';
import { queueLines } from './format.js';
import type { Strings } from './i18n.js';

/** "Connecting…" / "Reconnecting…" while not open (CSS delays it so a quick connect never flashes), or a fatal error. */
export function ConnectionStatus({ view, t }: { view: ChatView; t: Strings }) {
  if (view.fatal) {
    return (
      <div class="st er" role="alert">
        {view.fatal === 'unsupported_version' ? t.reload : t.unavailable}
      </div>
    );
  }
  if (view.state === 'open' || view.state === 'idle') return null;
  return (
    <div class="st" role="status">
      {view.wasOpen ? t.reconnecting : t.connecting}
    </div>
  );
}

/** Position, people ahead and the ETA range, live as the queue moves; optionally a way out to the offline form. */
export function QueueBanner({
  queue,
  t,
  lang,
  onLeave,
}: {
  queue: QueueInfo;
  t: Strings;
  lang: string;
  onLeave: (() => void) | null;
}) {
  const [head, rest] = queueLines(queue, t, lang);
  return (
    <div class="q">
      <div role="status">
        <strong class="qh">{head}</strong>
        {rest && <span class="qr">{rest}</span>}
      </div>
      {onLeave && (
        <button type="button" class="lk" onClick={onLeave}>
          {t.leaveInstead}
        </button>
      )}
    </div>
  );
}
