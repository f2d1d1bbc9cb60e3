import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';
import type { ChatItem } from './connection.js';
import { timeOf } from './format.js';
import { fill, type Strings } from './i18n.js';

interface MessageListProps {
  items: readonly ChatItem[];
  greeting: string;
  typing: string | null;
  open: boolean;
  t: Strings;
  locale: string;
  onDismiss: (clientId: string) => void;
  /** Shown after the messages (e.g. the pre-chat form, which is part of the scrolled conversation). */
  children?: ComponentChildren;
}

/** Distance from the bottom (px) within which the list keeps following new messages. */
const FOLLOW_PX = 48;

/**
 * The relay writes its system lines in English (protocol v1 has no codes for them); the known ones are
 * shown in the visitor's language, anything else as sent.
 */
const SYSTEM: [RegExp, 'joined' | 'tookOver' | 'visitorEnded' | 'operatorEnded'][] = [
  [/^(.+) joined the chat$/, 'joined'],
  [/^(.+) took over the chat$/, 'tookOver'],
  [/^The visitor ended the chat$/, 'visitorEnded'],
  [/^(.+) ended the chat$/, 'operatorEnded'],
];

export function systemText(text: string, t: Strings): string {
  for (const [re, key] of SYSTEM) {
    const m = re.exec(text);
    if (!m) continue;
    const name =
      m[1] === 'Another operator' ? t.anotherOperator : m[1] === 'The operator' ? t.operator : m[1];
    return fill(t[key], { name: name ?? '' });
  }
  return text;
}

export function MessageList({
  items,
  greeting,
  typing,
  open,
  t,
  locale,
  onDismiss,
  children,
}: MessageListProps) {
  const ref = useRef<HTMLElement>(null);
  const follow = useRef(true);
  const last = items[items.length - 1];

  // Follow new messages unless the visitor scrolled up to read; their own message always brings them down.
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && (follow.current || last?.status === 'sending')) el.scrollTop = el.scrollHeight;
  }, [items, typing, open, last]);

  let lastOwn = -1;
  items.forEach((item, i) => {
    if (item.author === 'visitor') lastOwn = i;
  });

  return (
    <section
      class="m"
      ref={ref}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: the history is the only scrollable region; keyboard users must be able to scroll it (axe: scrollable-region-focusable)
      tabIndex={0}
      aria-label={t.messages}
      onScroll={() => {
        const el = ref.current;
        if (el) follow.current = el.scrollHeight - el.scrollTop - el.clientHeight < FOLLOW_PX;
      }}
    >
      {greeting && (
        <div class="g o">
          <div class="b">{greeting}</div>
        </div>
      )}
      {/* New messages are announced politely; the greeting and older history are not re-read. */}
      <div class="ml" role="log" aria-live="polite" aria-relevant="additions">
        {items.map((item, i) => (
          <Item
            key={item.key}
            item={item}
            prev={items[i - 1]}
            showStatus={i === lastOwn}
            t={t}
            locale={locale}
            onDismiss={onDismiss}
          />
        ))}
      </div>
      {typing && (
        <div class="ty" aria-hidden="true">
          {typing}
        </div>
      )}
      {children}
    </section>
  );
}

interface ItemProps {
  item: ChatItem;
  prev: ChatItem | undefined;
  showStatus: boolean;
  t: Strings;
  locale: string;
  onDismiss: (clientId: string) => void;
}

function Item({ item, prev, showStatus, t, locale, onDismiss }: ItemProps) {
  const { author, status } = item;
  const kind = author === 'visitor' ? 'v' : author === 'operator' ? 'o' : 'y';
  const name = author === 'operator' ? item.name || t.operator : author === 'visitor' ? t.you : null;
  const time = timeOf(item.at, locale);
  // Name and time above the first of a run of messages by the same operator, as in any messenger.
  const showName = author === 'operator' && (prev?.author !== 'operator' || prev.name !== item.name);
  return (
    <div class={`g ${kind}${status === 'failed' ? ' f' : ''}`}>
      {showName && (
        <span class="n" aria-hidden="true">
          {name} · {time}
        </span>
      )}
      <div class="b" title={time}>
        {name && <span class="sr">{name}: </span>}
        {author === 'system' ? systemText(item.text, t) : item.text}
      </div>
      {author === 'visitor' && (status !== 'sent' || showStatus) && (
        <span class="k">
          {t[status]}
          {status === 'sent' && ` · ${time}`}
          {status === 'failed' && item.clientId && (
            <button
              type="button"
              class="lk"
              aria-label={t.removeMessage}
              onClick={() => onDismiss(item.clientId!)}
            >
              {t.remove}
            </button>
          )}
        </span>
      )}
    </div>
  );
}
