import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n/index.js';
import { useConsole, useStore } from './hooks.js';

/** Tells the operator whether what they see is live, and when the next reconnect happens. */
export function ConnectionIndicator() {
  const store = useStore();
  const connection = useConsole((s) => s.connection);
  const retryAt = useRetryDeadline(connection.retryInMs);

  if (connection.phase === 'open') {
    return (
      <span class="conn conn-open" data-testid="connection" data-phase="open">
        {t('conn.live')}
      </span>
    );
  }
  if (connection.phase === 'closed') {
    return (
      <span class="conn conn-closed" role="status" data-testid="connection" data-phase="closed">
        {retryAt === null
          ? t('conn.disconnected')
          : retryAt > 0
            ? t('conn.retryingIn', { seconds: retryAt })
            : t('conn.retrying')}
        <button type="button" class="link" onClick={() => store.retryNow()}>
          {t('conn.retryNow')}
        </button>
      </span>
    );
  }
  return (
    <span class="conn conn-connecting" role="status" data-testid="connection" data-phase={connection.phase}>
      {t('conn.connecting')}
    </span>
  );
}

/** Seconds left until the scheduled retry, counted down locally. */
function useRetryDeadline(retryInMs: number | null): number | null {
  const [left, setLeft] = useState<number | null>(null);
  useEffect(() => {
    if (retryInMs === null) return setLeft(null);
    const deadline = Date.now() + retryInMs;
    const tick = () => setLeft(Math.max(0, Math.ceil((deadline - Date.now()) / 1000)));
    tick();
    const timer = setInterval(tick, 500);
    return () => clearInterval(timer);
  }, [retryInMs]);
  return left;
}
