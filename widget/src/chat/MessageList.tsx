import { useLayoutEffect, useRef } from 'preact/hooks';
import type { ChatItem } from './connection.js';
import { timeOf } from './format.js';
import type { Strings } from './i18n.js';

interface MessageListProps {
  items: readonly ChatItem[];
  greeting: string;
  /** A note shown before the first message, e.g. that nobody is online. */
  note: string | null;
  typing: string | null;
  open: boolean;
  t: Strings;
  lang: string;
  onDismiss: (clientId: string) => void;
}

/** Distance from the bottom (px) within which the list keeps following new messages. */
const FOLLOW_PX = 48;

export function MessageList({ items, greeting, note, typing, open, t, lang, onDismiss }: MessageListProps) {
  const ref = useRef<HTMLDivElement>(null);
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
    <div
      class="m"
      ref={ref}
      role="log"
      aria-live="polite"
      aria-label={t.messages}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: the history is the only scrollable region; keyboard users must be able to scroll it (axe: scrollable-region-focusable)
      tabIndex={0}
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
      {note && <p class="nt">{note}</p>}
      {items.map((item, i) => (
        <Item
          key={item.key}
          item={item}
          prev={items[i - 1]}
          showStatus={i === lastOwn}
          t={t}
          lang={lang}
          onDismiss={onDismiss}
        />
      ))}
      {typing && (
        <div class="ty" aria-hidden="true">
          {typing}
        </div>
      )}
    </div>
  );
}

interface ItemProps {
  item: ChatItem;
  prev: ChatItem | undefined;
  showStatus: boolean;
  t: Strings;
  lang: string;
  onDismiss: (clientId: string) => void;
}

function Item({ item, prev, showStatus, t, lang, onDismiss }: ItemProps) {
  const { author, status } = item;
  const kind = author === 'visitor' ? 'v' : author === 'operator' ? 'o' : 'y';
  const name = author === 'operator' ? item.name || t.operator : author === 'visitor' ? t.you : null;
  // Name above the first of a run of messages by the same operator, as in any messenger.
  const showName = author === 'operator' && (prev?.author !== 'operator' || prev.name !== item.name);
  return (
    <div class={`g ${kind}${status === 'failed' ? ' f' : ''}`}>
      {showName && (
        <span class="n" aria-hidden="true">
          {name}
        </span>
      )}
      <div class="b" title={timeOf(item.at, lang)}>
        {name && <span class="sr">{name}: </span>}
        {item.text}
      </div>
      {author === 'visitor' && (status !== 'sent' || showStatus) && (
        <span class="k">
          {t[status]}
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
