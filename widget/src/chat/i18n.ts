/**
 * Every visible string of the chat UI, in one table per language. Add a language by adding a table: the
 * `Strings` type makes a missing key a compile error. `{name}` placeholders are filled by `fill`; keys with
 * plural forms hold one variant per CLDR category, separated by `|`, in the order given by `plural`.
 */
const en = {
  plural: 'one other',
  title: 'Chat',
  openChat: 'Open chat',
  openChatUnread: '{n} new',
  closeChat: 'Minimise chat',
  endChat: 'End chat',
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
  messages: 'Messages',
  placeholder: 'Write a message…',
  send: 'Send message',
  queue: 'You are number {n} in the queue',
  queueNext: 'You are next in the queue',
  ahead: '{n} person ahead of you|{n} people ahead of you',
  eta: 'about {a}–{b} min',
  etaOne: 'about {a} min',
  typing: '{name} is typing…',
  operatorTyping: 'Typing…',
  withOperator: 'You are chatting with {name}',
  joined: '{name} joined the chat',
  tookOver: '{name} took over the chat',
  anotherOperator: 'Another operator',
  visitorEnded: 'You ended the chat',
  operatorEnded: '{name} ended the chat',
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
  comment: 'Anything to add? (optional)',
  sendFeedback: 'Send feedback',
  rateThanks: 'Thanks for your feedback!',
  offlineNobody: 'Nobody is online right now.',
  offlineHours: 'We are outside our opening hours.',
  offlineAsk: 'Leave a message and we will reply by email.',
  leaveInstead: 'Leave a message instead',
  name: 'Name',
  email: 'Email',
  message: 'Message',
  optional: '(optional)',
  offlineSent: 'Thank you! We got your message and will reply to {email}.',
  anotherMessage: 'Write another message',
  badEmail: 'Enter a valid email address.',
  required: 'Please fill this in.',
  prechat: 'Please introduce yourself before we start.',
  topic: 'Topic',
  chooseTopic: 'Choose a topic',
  startChat: 'Start chat',
  preview: 'The team sees what you type before you send it.',
  mute: 'Mute sounds',
  unmute: 'Turn sounds on',
  newMessage: 'New message',
  unavailable: 'Chat is not available on this website.',
  operator: 'Operator',
  you: 'You',
};

export type Strings = Record<keyof typeof en, string>;

const cs: Strings = {
  plural: 'one few many other',
  title: 'Chat',
  openChat: 'Otevřít chat',
  openChatUnread: 'nové zprávy: {n}',
  closeChat: 'Minimalizovat chat',
  endChat: 'Ukončit chat',
  connecting: 'Připojování…',
  reconnecting: 'Obnovování spojení…',
  messages: 'Zprávy',
  placeholder: 'Napište zprávu…',
  send: 'Odeslat zprávu',
  queue: 'Jste {n}. ve frontě',
  queueNext: 'Jste ve frontě na řadě',
  ahead: 'Před vámi je {n} člověk|Před vámi jsou {n} lidé|Před vámi je {n} člověka|Před vámi je {n} lidí',
  eta: 'asi {a}–{b} min',
  etaOne: 'asi {a} min',
  typing: '{name} píše…',
  operatorTyping: 'Píše…',
  withOperator: 'Odpovídá vám {name}',
  joined: '{name} je v chatu',
  tookOver: 'Nyní vám odpovídá {name}',
  anotherOperator: 'Jiný operátor',
  visitorEnded: 'Ukončili jste chat',
  operatorEnded: '{name} ukončil(a) chat',
  sending: 'Odesílání…',
  sent: 'Odesláno',
  retrying: 'Zatím neodesláno, zkoušíme znovu…',
  failed: 'Neodesláno',
  remove: 'Odstranit',
  removeMessage: 'Odstranit neodeslanou zprávu',
  ended: 'Chat skončil',
  startNew: 'Začít nový chat',
  rateAsk: 'Jak jste byli spokojeni?',
  rateGood: 'Dobře',
  rateBad: 'Špatně',
  comment: 'Chcete něco dodat? (nepovinné)',
  sendFeedback: 'Odeslat hodnocení',
  rateThanks: 'Děkujeme za hodnocení!',
  offlineNobody: 'Právě teď nikdo není online.',
  offlineHours: 'Právě máme zavřeno.',
  offlineAsk: 'Nechte nám zprávu a odpovíme vám e-mailem.',
  leaveInstead: 'Raději nechat zprávu',
  name: 'Jméno',
  email: 'E-mail',
  message: 'Zpráva',
  optional: '(nepovinné)',
  offlineSent: 'Děkujeme! Vaši zprávu jsme dostali a odpovíme na {email}.',
  anotherMessage: 'Napsat další zprávu',
  badEmail: 'Zadejte platnou e-mailovou adresu.',
  required: 'Vyplňte prosím toto pole.',
  prechat: 'Než začneme, představte se prosím.',
  topic: 'Téma',
  chooseTopic: 'Vyberte téma',
  startChat: 'Začít chat',
  preview: 'Tým vidí, co píšete, ještě před odesláním.',
  mute: 'Vypnout zvuky',
  unmute: 'Zapnout zvuky',
  newMessage: 'Nová zpráva',
  unavailable: 'Chat na tomto webu není k dispozici.',
  operator: 'Operátor',
  you: 'Vy',
};

const ru: Strings = {
  plural: 'one few many other',
  title: 'Чат',
  openChat: 'Открыть чат',
  openChatUnread: 'новых сообщений: {n}',
  closeChat: 'Свернуть чат',
  endChat: 'Завершить чат',
  connecting: 'Подключение…',
  reconnecting: 'Восстанавливаем соединение…',
  messages: 'Сообщения',
  placeholder: 'Напишите сообщение…',
  send: 'Отправить сообщение',
  queue: 'Ваш номер в очереди: {n}',
  queueNext: 'Ваша очередь следующая',
  ahead: 'Перед вами {n} человек|Перед вами {n} человека|Перед вами {n} человек|Перед вами {n} человека',
  eta: 'примерно {a}–{b} мин',
  etaOne: 'примерно {a} мин',
  typing: '{name} печатает…',
  operatorTyping: 'Печатает…',
  withOperator: 'Вам отвечает {name}',
  joined: '{name} в чате',
  tookOver: 'Теперь вам отвечает {name}',
  anotherOperator: 'Другой оператор',
  visitorEnded: 'Вы завершили чат',
  operatorEnded: '{name} завершил(а) чат',
  sending: 'Отправка…',
  sent: 'Отправлено',
  retrying: 'Пока не отправлено, пробуем снова…',
  failed: 'Не отправлено',
  remove: 'Удалить',
  removeMessage: 'Удалить неотправленное сообщение',
  ended: 'Чат завершён',
  startNew: 'Начать новый чат',
  rateAsk: 'Как вам этот чат?',
  rateGood: 'Хорошо',
  rateBad: 'Плохо',
  comment: 'Хотите что-то добавить? (необязательно)',
  sendFeedback: 'Отправить отзыв',
  rateThanks: 'Спасибо за отзыв!',
  offlineNobody: 'Сейчас никого нет на связи.',
  offlineHours: 'Сейчас нерабочее время.',
  offlineAsk: 'Оставьте сообщение, и мы ответим по электронной почте.',
  leaveInstead: 'Лучше оставить сообщение',
  name: 'Имя',
  email: 'Эл. почта',
  message: 'Сообщение',
  optional: '(необязательно)',
  offlineSent: 'Спасибо! Мы получили ваше сообщение и ответим на {email}.',
  anotherMessage: 'Написать ещё одно сообщение',
  badEmail: 'Введите корректный адрес эл. почты.',
  required: 'Заполните это поле.',
  prechat: 'Пожалуйста, представьтесь перед началом чата.',
  topic: 'Тема',
  chooseTopic: 'Выберите тему',
  startChat: 'Начать чат',
  preview: 'Команда видит, что вы печатаете, ещё до отправки.',
  mute: 'Выключить звук',
  unmute: 'Включить звук',
  newMessage: 'Новое сообщение',
  unavailable: 'Чат недоступен на этом сайте.',
  operator: 'Оператор',
  you: 'Вы',
};

export const LANGUAGES = { en, cs, ru } as const;
export type Lang = keyof typeof LANGUAGES;

const primary = (tag: string): string => tag.trim().toLowerCase().split(/[-_]/)[0] ?? '';
const supported = (tag: string | null | undefined): Lang | null => {
  const p = primary(tag ?? '');
  return p in LANGUAGES ? (p as Lang) : null;
};

/**
 * The UI language: an explicit choice (`Beseda.setLanguage`, then `data-lang` on the tag) when supported,
 * else the first supported language of the browser (navigator.languages, in the visitor's order), else
 * the site's default language, else English.
 */
export function pickLanguage(
  explicit: readonly (string | null | undefined)[],
  browser: readonly string[],
  siteDefault?: string | null,
): Lang {
  for (const tag of explicit) {
    const l = supported(tag);
    if (l) return l;
  }
  for (const tag of browser) {
    const l = supported(tag);
    if (l) return l;
  }
  return supported(siteDefault) ?? 'en';
}

/**
 * The locale for dates and numbers: the visitor's own regional variant of the UI language when the
 * browser has one (en-GB keeps 24-hour time with English strings), else the UI language itself.
 */
export function formatLocale(lang: Lang, browser: readonly string[]): string {
  return browser.find((tag) => primary(tag) === lang) ?? lang;
}

/** The table for a BCP 47 tag: its primary language when built in, else English. */
export function stringsFor(lang: string): Strings {
  return LANGUAGES[supported(lang) ?? 'en'];
}

export function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''));
}

/** The variant of a `|`-separated plural template for `n`, by the CLDR rules of `lang`, with `{n}` filled. */
export function plural(t: Strings, lang: string, template: string, n: number): string {
  const forms = template.split('|');
  let category = 'other';
  try {
    category = new Intl.PluralRules(lang).select(n);
  } catch {
    // unknown tag: "other"
  }
  const i = t.plural.split(' ').indexOf(category);
  return fill(forms[i < 0 ? forms.length - 1 : i] ?? forms[forms.length - 1] ?? '', { n });
}
