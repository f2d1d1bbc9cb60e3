import type { Strings } from './i18n.js';

interface HeaderProps {
  title: string;
  subtitle: string | null;
  canEnd: boolean;
  t: Strings;
  onEnd: () => void;
  onClose: () => void;
}

export function Header({ title, subtitle, canEnd, t, onEnd, onClose }: HeaderProps) {
  return (
    <div class="h">
      <div class="ht">
        <h2 class="hn">{title}</h2>
        {subtitle && <span class="hs">{subtitle}</span>}
      </div>
      {canEnd && (
        <button type="button" class="hb" onClick={onEnd}>
          {t.endChat}
        </button>
      )}
      <button type="button" class="hb" aria-label={t.closeChat} title={t.closeChat} onClick={onClose}>
        <svg viewBox="0 0 24 24" aria-hidden="true">
          <path d="M7.4 8.6 12 13.2l4.6-4.6L18 10l-6 6-6-6z" />
        </svg>
      </button>
    </div>
  );
}
