import type { ChatEvent, Message, Transcript } from '@beseda/shared/types';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { formatClock, formatDateTime, visitorLabel } from '../format.js';
import { exportHref } from '../history-query.js';
import { t } from '../i18n/index.js';
import { useConsole } from './hooks.js';
import { MessageBubble } from './MessageBubble.js';

type Entry =
  | { kind: 'message'; at: number; message: Message }
  | { kind: 'event'; at: number; event: ChatEvent };

/** One conversation as stored: messages and state-change events on one timeline. */
export function TranscriptView({ id }: { id: string }) {
  const [transcript, setTranscript] = useState<Transcript | null>(null);
  const [error, setError] = useState<string | null>(null);
  const operators = useConsole((s) => s.operators);

  useEffect(() => {
    let current = true;
    setTranscript(null);
    setError(null);
    api.transcript(id).then(
      (loaded) => current && setTranscript(loaded),
      (err: unknown) => current && setError(err instanceof Error ? err.message : t('transcript.loadFailed')),
    );
    return () => {
      current = false;
    };
  }, [id]);

  if (error) {
    return (
      <p class="form-error" role="alert">
        {error}
      </p>
    );
  }
  if (!transcript) return <p class="empty">{t('transcript.loading')}</p>;

  const c = transcript.conversation;
  const visitor = visitorLabel(c.visitorName, c.visitorId);
  const nameOf = (operatorId: string | null) =>
    operatorId === null
      ? null
      : (operators.find((o) => o.id === operatorId)?.name ??
        (c.operator?.id === operatorId ? c.operator.name : t('event.someone')));

  return (
    <article class="transcript" data-testid="transcript" data-conversation-id={c.id}>
      <header class="chat-head">
        <div>
          <h2>{visitor}</h2>
          <span class="muted">
            {formatDateTime(c.createdAt)}
            {c.endedAt !== null && ` – ${formatClock(c.endedAt)}`} ·{' '}
            {c.operator?.name ?? t('history.noOperator')}
            {c.rating && ` · ${t('history.rated', { rating: t(`rating.${c.rating}`) })}`}
            {c.visitorEmail && (
              <>
                {' · '}
                <a href={`mailto:${c.visitorEmail}`}>{c.visitorEmail}</a>
              </>
            )}
          </span>
          {c.tags && c.tags.length > 0 && (
            <span class="tags small" data-testid="transcript-tags">
              {c.tags.map((tag) => (
                <span key={tag} class="tag">
                  {tag}
                </span>
              ))}
            </span>
          )}
        </div>
        <div class="actions">
          <span class={`status status-${c.status}`}>{t(`conversation.status.${c.status}`)}</span>
          <a class="btn small" href={exportHref(c.id, 'txt')} download data-testid="export-txt">
            {t('transcript.exportTxt')}
          </a>
          <a class="btn small" href={exportHref(c.id, 'json')} download data-testid="export-json">
            {t('transcript.exportJson')}
          </a>
        </div>
      </header>
      <div class="messages">
        {timeline(transcript).map((entry) =>
          entry.kind === 'message' ? (
            <MessageBubble
              key={`m${entry.message.seq}`}
              author={entry.message.author}
              name={entry.message.author === 'visitor' ? visitor : entry.message.authorName}
              text={entry.message.text}
              at={entry.message.at}
              seq={entry.message.seq}
            />
          ) : (
            <div key={`e${entry.at}-${entry.event.type}`} class="event" data-testid="transcript-event">
              <time>{formatClock(entry.at)}</time>{' '}
              {describeEvent(entry.event, nameOf(entry.event.operatorId))}
            </div>
          ),
        )}
      </div>
    </article>
  );
}

/** Events sort before messages at the same millisecond: "assigned" reads better above the first reply. */
function timeline(transcript: Transcript): Entry[] {
  const entries: Entry[] = [
    ...transcript.events.map((event): Entry => ({ kind: 'event', at: event.at, event })),
    ...transcript.messages.map((message): Entry => ({ kind: 'message', at: message.at, message })),
  ];
  return entries.sort((a, b) => a.at - b.at || (a.kind === b.kind ? 0 : a.kind === 'event' ? -1 : 1));
}

export function describeEvent(event: ChatEvent, operator: string | null): string {
  const data = event.data ?? {};
  const str = (key: string) => (typeof data[key] === 'string' ? (data[key] as string) : null);
  switch (event.type) {
    case 'enqueued':
      return t('event.enqueued');
    case 'assigned':
      return t('event.assigned', { who: operator ?? t('event.someone') });
    case 'first_reply':
      return t('event.firstReply', { who: operator ?? t('event.someone') });
    case 'transferred':
      return t('event.transferred', { who: operator ?? t('event.another') });
    case 'ended':
      return t('event.ended');
    case 'missed':
      return t('event.missed');
    case 'rated': {
      const comment = str('comment');
      const rating = str('rating');
      const label =
        rating === 'good' || rating === 'bad' ? t(`rating.${rating}`) : (rating ?? t('event.theChat'));
      return comment
        ? t('event.ratedComment', { rating: label, comment })
        : t('event.rated', { rating: label });
    }
    case 'ring_timeout': {
      const who = operator ?? t('event.theOperator');
      return typeof data.seconds === 'number'
        ? t('event.ringTimeoutSeconds', { who, seconds: data.seconds })
        : t('event.ringTimeout', { who });
    }
    case 'offline_message':
      return t('event.offlineMessage');
    case 'operator_status': {
      const status = str('status');
      const label =
        status === 'online' || status === 'away' || status === 'offline' ? t(`status.${status}`) : status;
      return t('event.status', {
        who: operator ?? t('chat.operator'),
        status: label ?? t('event.changedStatus'),
      });
    }
    default:
      return event.type.replace(/_/g, ' ');
  }
}
