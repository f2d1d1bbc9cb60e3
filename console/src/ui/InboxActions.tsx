import type { InboxItem, InboxStatus } from '@beseda/shared/types';
import { useState } from 'preact/hooks';
import { errorText } from '../api.js';
import { formatDateTime } from '../format.js';
import { t } from '../i18n/index.js';
import { useConsole, useStore } from './hooks.js';

/** "Answered by Ann, 12:30": who last changed an item's status, or nothing while it was never changed. */
export function InboxChange({ item }: { item: InboxItem }) {
  if (item.changedAt === null) return null;
  return (
    <span class="muted inbox-change">
      {t('inbox.changedBy', {
        status: t(`inbox.is.${item.status}`),
        name: item.changedBy?.name || t('inbox.someone'),
        time: formatDateTime(item.changedAt),
      })}
    </span>
  );
}

/**
 * What an operator does with an offline message or missed chat: reply from their own mail client (Beseda
 * sends no email), then mark it answered; close it; reopen it. The status is the server's, so the change
 * shows for every operator of the site.
 */
export function InboxActions({ item, onChanged }: { item: InboxItem; onChanged?: () => void }) {
  const store = useStore();
  const siteName = useConsole((s) => s.sites[item.conversation.siteId]?.name ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = item.conversation.id;
  const email = item.conversation.visitorEmail;

  async function set(status: InboxStatus) {
    setBusy(true);
    setError(null);
    try {
      await store.setInboxStatus(id, status);
      onChanged?.();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  const mailto = email
    ? `mailto:${encodeURIComponent(email)}?subject=${encodeURIComponent(
        t('inbox.subject', { site: siteName }),
      )}&body=${encodeURIComponent(`\n\n> ${item.preview.replace(/\n/g, '\n> ')}`)}`
    : null;

  return (
    <div class="inbox-actions">
      {mailto && item.status === 'open' && (
        <a
          class="btn small primary"
          href={mailto}
          onClick={() => store.inboxRead(id)}
          data-testid="inbox-reply"
        >
          {t('inbox.reply')}
        </a>
      )}
      {item.status === 'open' && (
        <button
          type="button"
          class="btn small"
          disabled={busy}
          onClick={() => set('answered')}
          data-testid="inbox-answered"
        >
          {t('inbox.markAnswered')}
        </button>
      )}
      {item.status !== 'closed' && (
        <button
          type="button"
          class="btn small"
          disabled={busy}
          onClick={() => set('closed')}
          data-testid="inbox-close"
        >
          {t('inbox.close')}
        </button>
      )}
      {item.status !== 'open' && (
        <button
          type="button"
          class="btn small"
          disabled={busy}
          onClick={() => set('open')}
          data-testid="inbox-reopen"
        >
          {t('inbox.reopen')}
        </button>
      )}
      {error && (
        <span class="form-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
