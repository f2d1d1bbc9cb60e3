import type { Strings } from './i18n.js';

interface HeaderProps {
  title: string;
  subtitle: string | null;
  /** The assigned operator's name: drawn as an initial avatar (operators have no photo yet). */
  operator: string | null;
  canEnd: boolean;
  muted: boolean;
  t: Strings;
  onEnd: () => void;
  onMute: () => void;
  onClose: () => void;
}

const SOUND = 'M3 9v6h4l5 5V4L7 9H3z';
const WAVES =
  'M16.5 12A4.5 4.5 0 0 0 14 8v8a4.5 4.5 0 0 0 2.5-4zM14 3.2v2.1a7 7 0 0 1 0 13.4v2.1a9 9 0 0 0 0-17.6z';
const CROSS =
  'm15 9.4 1.4-1.4 2.1 2.1 2.1-2.1L22 9.4l-2.1 2.1 2.1 2.1-1.4 1.4-2.1-2.1-2.1 2.1-1.4-1.4 2.1-2.1z';

export function Header({ title, subtitle, operator, canEnd, muted, t, onEnd, onMute, onClose }: HeaderProps) {
  const sound = muted ? t.unmute : t.mute;
  return (
    <div class="h">
      {operator && (
        <span class="av" aria-hidden="true">
          {operator.trim().charAt(0).toUpperCase()}
        </span>
      )}
      <div class="ht">
        <h2 class="hn">{title}</h2>
        {subtitle && <span class="hs">{subtitle}</span>}
      </div>
      {canEnd && (
        <button type="button" class="hb" onClick={onEnd}>
          {t.endChat}
        </button>
      )}
      <button type="button" class="hb" aria-label={sound} title={sound} onClick={onMute}>
        <svg viewBox="0 0 24 24" aria-hidden="true">
          <path d={`${SOUND}${muted ? CROSS : WAVES}`} />
        </svg>
      </button>
      <button type="button" class="hb" aria-label={t.closeChat} title={t.closeChat} onClick={onClose}>
        <svg viewBox="0 0 24 24" aria-hidden="true">
          <path d="M7.4 8.6 12 13.2l4.6-4.6L18 10l-6 6-6-6z" />
        </svg>
      </button>
    </div>
  );
}
