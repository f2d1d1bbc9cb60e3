import type { ChatView, QueueInfo } from './connection.js';
import { queueText } from './format.js';
import type { Strings } from './i18n.js';

/** "Connecting…" / "Reconnecting…" while not open (CSS delays it so a quick connect never flashes), or a fatal error. */
export function ConnectionStatus({ view, t }: { view: ChatView; t: Strings }) {
  if (view.fatal) {
    return (
      <div class="st er" role="alert">
        {t.unavailable}
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

export function QueueBanner({ queue, t }: { queue: QueueInfo; t: Strings }) {
  return (
    <div class="q" role="status">
      {queueText(queue, t)}
    </div>
  );
}
