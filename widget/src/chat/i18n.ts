/**
 * Every visible string of the chat UI, in one table per language. Add a language by adding a table:
 * the `Strings` type makes a missing key a compile error. `{name}` placeholders are filled by `fill`.
 */
const en = {
  title: 'Chat',
  openChat: 'Open chat',
  openChatUnread: 'Open chat, {n} new',
  closeChat: 'Minimise chat',
  endChat: 'End chat',
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
  messages: 'Messages',
  placeholder: 'Write a message…',
  send: 'Send message',
  queue: 'You are number {n} in the queue',
  eta: 'about {a}–{b} min',
  etaOne: 'about {a} min',
  typing: '{name} is typing…',
  operatorTyping: 'Typing…',
  withOperator: 'You are chatting with {name}',
  sending: 'Sending…',
  sent: 'Sent',
  retrying: 'Not sent yet, retrying…',
  failed: 'Not sent',
  remove: 'Remove',
  removeMessage: 'Remove unsent message',
  ended: 'Chat ended',
  startNew: 'Start a new chat',
  rateAsk: 'How was this chat?',
  rateGood: 'Good',
  rateBad: 'Bad',
  rateThanks: 'Thanks for your feedback!',
  offline: 'Nobody is online right now. Leave a message and we will answer here as soon as we can.',
  unavailable: 'Chat is not available on this website.',
  operator: 'Operator',
  you: 'You',
};

export type Strings = Record<keyof typeof en, string>;

const tables: Record<string, Strings> = { en };

/** The table for a BCP 47 tag: exact match, then the primary language, then English. */
export function stringsFor(lang: string): Strings {
  const tag = lang.toLowerCase();
  return tables[tag] ?? tables[tag.split('-')[0] ?? ''] ?? en;
}

export function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''));
}
