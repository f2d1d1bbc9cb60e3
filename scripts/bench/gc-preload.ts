/**
 * Loaded into each server child with --expose-gc so the memory phase can ask for a full GC (SIGUSR2)
 * before reading RSS: the per-socket figure should be what a socket keeps alive, not garbage from the
 * handshakes that a later GC would reclaim anyway. Both relays get the same treatment.
 */
process.on('SIGUSR2', () => {
  (globalThis as { gc?: () => void }).gc?.();
});
