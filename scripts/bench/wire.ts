import { startsWith } from './ws.js';

/**
 * Bench messages and how the load generator recognises them without JSON.parse (so the generator's own
 * cost stays small next to the server's). The message number and pair travel in the clientId
 * (`<phase letter><9-digit index>_<pair>`), which Beseda echoes in its `message` and `ack` frames and the
 * raw relay forwards unchanged, so one decoder serves both. The text is ordinary chat prose from a small
 * set: a unique token per message would make Beseda's full-text index work far harder than real chats do.
 */
export const clientIdOf = (phase: string, i: number, p: number): string =>
  `${phase}${String(i).padStart(9, '0')}_${p}`;

const TEXTS = [
  'Hi! I ordered a blue jacket last week and the tracking page still says pending. Can you check?',
  'Do you ship to Tallinn, and how long does delivery usually take?',
  'My discount code SPRING10 is not accepted at checkout.',
  'Thanks, that answers it. One more question about returns: is it 30 days?',
  'Could I change the size from M to L before the order is shipped?',
  'The payment went through twice, I see two charges on my card.',
  'Is the green one available in store or only online?',
  'Great, thank you for the quick help!',
] as const;

export const sendFrame = (phase: string, i: number, p: number): string =>
  `{"type":"send","clientId":"${clientIdOf(phase, i, p)}","text":"${TEXTS[i % TEXTS.length]}"}`;

const CLIENT_ID_MARKER = Buffer.from('"clientId":"');
const ACK_PREFIX = Buffer.from('{"type":"ack","clientId":"');
export const ERROR_PREFIX = Buffer.from('{"type":"error"');

/** Reused result of the decoders, to keep the receive path allocation-free. */
export const decoded = { phase: 0, i: 0, p: 0 };

/** Parses `<phase><digits>_<digits>` at `from` into `decoded`. */
function parseId(frame: Buffer, from: number): boolean {
  const phase = frame[from];
  if (phase === undefined) return false;
  let k = from + 1;
  let i = 0;
  for (let c = frame[k]; c !== undefined && c >= 48 && c <= 57; c = frame[++k]) i = i * 10 + (c - 48);
  if (frame[k] !== 95 /* _ */) return false;
  let p = 0;
  for (let c = frame[++k]; c !== undefined && c >= 48 && c <= 57; c = frame[++k]) p = p * 10 + (c - 48);
  decoded.phase = phase;
  decoded.i = i;
  decoded.p = p;
  return true;
}

/** A frame carrying a bench message (Beseda `message` or a forwarded raw `send`): fills `decoded`. */
export function decodeDelivery(frame: Buffer): boolean {
  const at = frame.indexOf(CLIENT_ID_MARKER);
  return at >= 0 && parseId(frame, at + CLIENT_ID_MARKER.length);
}

/** Beseda's `ack` for a bench message: fills `decoded`. */
export function decodeAck(frame: Buffer): boolean {
  return startsWith(frame, ACK_PREFIX) && parseId(frame, ACK_PREFIX.length);
}
