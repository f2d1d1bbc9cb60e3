/**
 * One hub payload is often sent to many sockets (all tabs of a visitor, every operator of a site): the
 * JSON text is built once per frame object, not once per socket.
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
