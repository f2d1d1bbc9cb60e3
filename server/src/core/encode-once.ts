/**
 * One frame object is often sent to many sockets (all tabs of a visitor, every operator of a site) and
 * published to other nodes: its JSON text is built once per object, not once per socket or per hop.
 */
const cache = new WeakMap<object, string>();

export function encodeFrame(frame: unknown): string {
  if (typeof frame !== 'object' || frame === null) return JSON.stringify(frame);
  let text = cache.get(frame);
  if (text === undefined) {
    text = JSON.stringify(frame);
    cache.set(frame, text);
  }
  return text;
}

/** Parses JSON received from another node and remembers the text, so local sockets send it as it came. */
export function decodeFrame(text: string): unknown {
  const frame: unknown = JSON.parse(text);
  if (typeof frame === 'object' && frame !== null) cache.set(frame, text);
  return frame;
}
