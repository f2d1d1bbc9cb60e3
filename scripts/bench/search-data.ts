/**
 * Deterministic multilingual chat history for the search benchmark (scripts/bench/search.ts): Czech,
 * Russian and English conversations whose words follow a Zipf-like frequency (so "doprava" or "доставка"
 * are in a large share of messages, as in a real shop's chats), with diacritics, ё, order numbers,
 * a few rare words, visitors with names and e-mails, operators, ratings, tags and a year of timestamps.
 * Rows come out in batches ready for bulk inserts; nothing here touches a database.
 */
import { Rand } from '../generate-data.js';

const WORDS = {
  cs: `dobrý den děkuji prosím objednávka zásilka doprava zdarma kdy dorazí číslo balík platba kartou dobírka
    vrácení peněz reklamace výměna velikost faktura sleva kód košík skladem dodání termín pobočka kurýr adresa
    změna heslo účet přihlášení potvrzení e-mail telefon zboží cena dárek poukaz záruka oprava servis
    vyzvednutí otevírací doba sobota neděle zítra včera týden měsíc hotovost převod účtenka storno chyba
    stránka aplikace mobil rozměr barva černá bílá modrá dostupnost sklad expedice odeslání sledování
    zpoždění omlouváme vyřešeno kolega předám hned moment chvilku ještě něco dalšího pomoci rádi`,
  ru: `здравствуйте спасибо пожалуйста заказ доставка бесплатно когда придёт номер посылка оплата картой
    наложенный платёж возврат денег жалоба обмен размер счёт скидка промокод корзина наличие срок пункт
    выдачи курьер адрес изменение пароль аккаунт вход подтверждение почта телефон товар цена подарок
    сертификат гарантия ремонт сервис самовывоз часы работы суббота воскресенье завтра вчера неделя месяц
    наличные перевод чек отмена ошибка сайт приложение ёлка цвет чёрный белый синий отправка отслеживание
    задержка извините решено коллега передам сейчас минутку ещё что-нибудь помочь рады`,
  en: `hello thanks please order delivery free when arrive number parcel payment card cash refund money
    complaint exchange size invoice discount code cart stock shipping date pickup point courier address
    change password account login confirmation email phone product price gift voucher warranty repair
    service opening hours saturday sunday tomorrow yesterday week month transfer receipt cancel error website
    app colour black white blue availability warehouse dispatch tracking delay sorry solved colleague
    forward moment anything else help glad`,
} as const;

type Lang = keyof typeof WORDS;
const LANGS: Lang[] = ['cs', 'cs', 'ru', 'en'];

/** Words that occur in about one message in ten thousand: the "rare word" shapes look for these. */
export const RARE_WORDS = ['vodoměr', 'самовар', 'kaleidoscope'] as const;
const RARE_RATE = 1e-4;

const FIRST = [
  'Jana',
  'Petr',
  'Lucie',
  'Tomáš',
  'Eva',
  'Jiří',
  'Анна',
  'Иван',
  'Ольга',
  'John',
  'Mary',
  'Zoë',
];
const LAST = ['Novák', 'Svobodová', 'Dvořák', 'Černá', 'Procházka', 'Иванов', 'Смирнова', 'Smith', 'Brown'];
export const TAGS = ['doprava', 'reklamace', 'platba', 'vip', 'b2b'] as const;

/** Cumulative Zipf weights (1/rank) over a word list, for picking by binary search. */
function zipf(n: number): Float64Array {
  const acc = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += 1 / (i + 1);
    acc[i] = sum;
  }
  for (let i = 0; i < n; i++) acc[i] = (acc[i] ?? 0) / sum;
  return acc;
}

const LISTS = Object.fromEntries(
  (Object.keys(WORDS) as Lang[]).map((l) => {
    const words = WORDS[l].split(/\s+/).filter(Boolean);
    return [l, { words, acc: zipf(words.length) }];
  }),
) as Record<Lang, { words: string[]; acc: Float64Array }>;

function pickWord(rand: Rand, lang: Lang): string {
  const { words, acc } = LISTS[lang];
  const x = rand.next();
  let lo = 0;
  let hi = acc.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((acc[mid] ?? 1) < x) lo = mid + 1;
    else hi = mid;
  }
  return words[lo] ?? words[0] ?? '';
}

function sentence(rand: Rand, lang: Lang): string {
  const n = 4 + Math.floor(rand.next() * 12);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(pickWord(rand, lang));
  // Now and then an order number, a capitalised word or a rare word, as real chats have.
  if (rand.next() < 0.2) out.push(`#${100000 + Math.floor(rand.next() * 900000)}`);
  if (rand.next() < RARE_RATE * 3) out.push(RARE_WORDS[Math.floor(rand.next() * RARE_WORDS.length)] ?? '');
  const first = out[0] ?? '';
  out[0] = first.charAt(0).toUpperCase() + first.slice(1);
  return `${out.join(' ')}${rand.next() < 0.3 ? '?' : '.'}`;
}

export interface GenConversation {
  id: string;
  visitorId: string;
  visitorName: string;
  visitorEmail: string | null;
  status: 'ended' | 'missed' | 'offline';
  operatorId: string | null;
  createdAt: number;
  endedAt: number;
  lastSeq: number;
  rating: 'good' | 'bad' | null;
  tags: string[];
}

export interface GenMessage {
  conversationId: string;
  seq: number;
  author: 'visitor' | 'operator';
  operatorId: string | null;
  text: string;
  at: number;
}

export interface GenBatch {
  conversations: GenConversation[];
  messages: GenMessage[];
}

export const DAY = 86_400_000;
/** Last generated moment: fixed so runs are comparable. */
export const END = Date.UTC(2026, 5, 30);

/**
 * `messages` messages in conversations of 1–16 messages (8.75 on average), created evenly over `days`
 * days up to END, oldest first; yields a batch every `batch` conversations.
 */
export function* generateHistory(opts: {
  messages: number;
  days: number;
  operatorIds: string[];
  seed: number;
  batch?: number;
}): Generator<GenBatch> {
  const rand = new Rand(opts.seed);
  // Missed and offline chats hold one message, the rest 4–16: 8.75 on average.
  const total = Math.max(1, Math.round(opts.messages / 8.75));
  const start = END - opts.days * DAY;
  const step = (opts.days * DAY) / total;
  const batchSize = opts.batch ?? 2_000;
  let written = 0;
  let out: GenBatch = { conversations: [], messages: [] };
  for (let i = 0; written < opts.messages; i++) {
    const id = `c${String(i).padStart(8, '0')}`;
    const lang = LANGS[Math.floor(rand.next() * LANGS.length)] ?? 'cs';
    const roll = rand.next();
    const status = roll < 0.85 ? 'ended' : roll < 0.95 ? 'missed' : 'offline';
    const operatorId =
      status === 'ended'
        ? (opts.operatorIds[Math.floor(rand.next() * opts.operatorIds.length)] ?? null)
        : null;
    const createdAt = Math.floor(start + i * step + rand.next() * step);
    const count = Math.min(
      opts.messages - written,
      status === 'ended' ? 4 + Math.floor(rand.next() * 13) : 1,
    );
    const name = `${FIRST[Math.floor(rand.next() * FIRST.length)]} ${LAST[Math.floor(rand.next() * LAST.length)]}`;
    const rateRoll = rand.next();
    for (let seq = 1; seq <= count; seq++) {
      const author = status === 'ended' && seq % 2 === 0 ? 'operator' : 'visitor';
      out.messages.push({
        conversationId: id,
        seq,
        author,
        operatorId: author === 'operator' ? operatorId : null,
        text: sentence(rand, lang),
        at: createdAt + seq * 20_000,
      });
    }
    written += count;
    out.conversations.push({
      id,
      visitorId: `v${String(i).padStart(8, '0')}`,
      visitorName: name,
      visitorEmail: rand.next() < 0.6 ? `visitor${i}@example.${lang === 'ru' ? 'ru' : 'cz'}` : null,
      status,
      operatorId,
      createdAt,
      endedAt: createdAt + (count + 1) * 20_000,
      lastSeq: count,
      rating: status !== 'ended' ? null : rateRoll < 0.3 ? 'good' : rateRoll < 0.35 ? 'bad' : null,
      tags: rand.next() < 0.2 ? [TAGS[Math.floor(rand.next() * TAGS.length)] ?? 'vip'] : [],
    });
    if (out.conversations.length >= batchSize) {
      yield out;
      out = { conversations: [], messages: [] };
    }
  }
  if (out.conversations.length > 0) yield out;
}
