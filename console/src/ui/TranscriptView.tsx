import type { ChatEvent, Message, Transcript } from '@beseda/shared/types';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { formatClock, formatDateTime, visitorLabel } from '../format.js';
import { exportHref } from '../history-query.js';
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
      (t) => current && setTranscript(t),
      (err: unknown) => current && setError(err instanceof Error ? err.message : 'Could not load transcript'),
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
  if (!transcript) return <p class="empty">Loading transcript…</p>;

  const c = transcript.conversation;
  const visitor = visitorLabel(c.visitorName, c.visitorId);
  const nameOf = (operatorId: string | null) =>
    operatorId === null
      ? null
      : (operators.find((o) => o.id === operatorId)?.name ??
        (c.operator?.id === operatorId ? c.operator.name : 'an operator'));

  return (
    <article class="transcript" data-testid="transcript" data-conversation-id={c.id}>
      <header class="chat-head">
        <div>
          <h2>{visitor}</h2>
          <span class="muted">
            {formatDateTime(c.createdAt)}
            {c.endedAt !== null && ` – ${formatClock(c.endedAt)}`} · {c.operator?.name ?? 'No operator'}
            {c.rating && ` · rated ${c.rating}`}
            {c.visitorEmail && (
              <>
                {' · '}
                <a href={`mailto:${c.visitorEmail}`}>{c.visitorEmail}</a>
              </>
            )}
          </span>
          {c.tags && c.tags.length > 0 && (
            <span class="tags small" data-testid="transcript-tags">
              {c.tags.map((t) => (
                <span key={t} class="tag">
                  {t}
                </span>
              ))}
            </span>
          )}
        </div>
        <div class="actions">
          <span class={`status status-${c.status}`}>{c.status}</span>
          <a class="btn small" href={exportHref(c.id, 'txt')} download data-testid="export-txt">
            Export .txt
          </a>
          <a class="btn small" href={exportHref(c.id, 'json')} download data-testid="export-json">
            Export .json
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
function timeline(t: Transcript): Entry[] {
  const entries: Entry[] = [
    ...t.events.map((event): Entry => ({ kind: 'event', at: event.at, event })),
    ...t.messages.map((message): Entry => ({ kind: 'message', at: message.at, message })),
  ];
  return entries.sort((a, b) => a.at - b.at || (a.kind === b.kind ? 0 : a.kind === 'event' ? -1 : 1));
}

export function describeEvent(event: ChatEvent, operator: string | null): string {
  const data = event.data ?? {};
  const str = (key: string) => (typeof data[key] === 'string' ? (data[key] as string) : null);
  switch (event.type) {
    case 'enqueued':
      return 'Visitor joined the queue';
    case 'assigned':
      return `Assigned to ${operator ?? 'an operator'}`;
    case 'first_reply':
      return `First reply by ${operator ?? 'an operator'}`;
    case 'transferred':
      return `Transferred to ${operator ?? 'another operator'}`;
    case 'ended':
      return 'Chat ended';
    case 'missed':
      return 'Missed: left the queue without an operator';
    case 'rated': {
      const comment = str('comment');
      return `Visitor rated ${str('rating') ?? 'the chat'}${comment ? `: “${comment}”` : ''}`;
    }
    case 'ring_timeout': {
      const seconds = typeof data.seconds === 'number' ? ` within ${data.seconds} s` : '';
      return `${operator ?? 'The operator'} did not answer${seconds}: back to the queue`;
    }
    case 'offline_message':
      return 'Visitor left an offline message';
    case 'operator_status':
      return `${operator ?? 'Operator'} is ${str('status') ?? 'changed status'}`;
    default:
      return event.type.replace(/_/g, ' ');
  }
}
