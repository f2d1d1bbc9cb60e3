/** Bumped on any incompatible change to a frame. Clients send it in `hello`; the server refuses others. */
export const PROTOCOL_VERSION = 1 as const;

/** Hard cap on one WebSocket frame, enforced by ws (maxPayload) before any parsing. */
export const MAX_FRAME_BYTES = 16 * 1024;
/** Longest chat message text, in characters. */
export const MAX_TEXT_LENGTH = 4000;
