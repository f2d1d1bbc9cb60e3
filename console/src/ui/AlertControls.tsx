import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n/index.js';
import {
  askNotificationPermission,
  isMuted,
  notificationPermission,
  onMutedChange,
  type Permission,
  setMuted,
  unlockAudio,
} from './notify.js';

/**
 * Sound on/off, and desktop notifications switched on from a click (browsers only ask then). The choice
 * is kept per browser.
 */
export function AlertControls() {
  const [muted, setMutedState] = useState(isMuted);
  const [permission, setPermission] = useState<Permission>(notificationPermission);
  useEffect(() => onMutedChange(() => setMutedState(isMuted())), []);

  return (
    <div class="alert-controls">
      <button
        type="button"
        class="btn ghost icon"
        aria-pressed={!muted}
        title={t(muted ? 'alerts.soundOff' : 'alerts.soundOn')}
        onClick={() => {
          unlockAudio();
          setMuted(!muted);
        }}
        data-testid="mute-toggle"
      >
        <BellIcon muted={muted} />
        <span class="sr-only">{t(muted ? 'alerts.unmute' : 'alerts.mute')}</span>
      </button>
      {permission === 'default' && (
        <button
          type="button"
          class="btn ghost small"
          onClick={() => void askNotificationPermission().then(setPermission)}
          data-testid="notify-permission"
        >
          <span class="alerts-label">{t('alerts.enableDesktop')}</span>
        </button>
      )}
    </div>
  );
}

/** Inline SVG: no icon font or emoji font needed (headless and minimal Linux desktops lack them). */
function BellIcon({ muted }: { muted: boolean }) {
  return (
    <svg
      width="16"
      height="16"
      viewBox="0 0 24 24"
      aria-hidden="true"
      fill="none"
      stroke="currentColor"
      stroke-width="2"
    >
      <path d="M18 8a6 6 0 1 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
      <path d="M13.7 21a2 2 0 0 1-3.4 0" />
      {muted && <path d="M3 3l18 18" />}
    </svg>
  );
}
