import { storageKey } from '../keys.js';
import { type StorageLike, write } from './storage.js';

/**
 * Getting the visitor's attention for a new operator message while the panel is closed or the tab is
 * hidden: the tab title alternates with "New message" until the visitor looks, and a short beep plays
 * (WebAudio, no audio file) unless muted. The mute choice is stored; one beep per message across tabs.
 * Audio starts only after the visitor has interacted with the page (browsers refuse, with a console
 * warning, an AudioContext started without a user gesture).
 */
export function notifier(storage: StorageLike, site: string) {
  const muteKey = storageKey(site, 'mute');
  const beepKey = storageKey(site, 'beep');
  let audio: AudioContext | null = null;
  let timer: ReturnType<typeof setInterval> | undefined;
  let original = '';
  let shown = '';

  const beep = () => {
    const activation = (navigator as Navigator & { userActivation?: { hasBeenActive: boolean } })
      .userActivation;
    if (!activation?.hasBeenActive || typeof AudioContext === 'undefined') return;
    try {
      audio ??= new AudioContext();
      if (audio.state === 'suspended') audio.resume().catch(() => {});
      const t0 = audio.currentTime;
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.setValueAtTime(880, t0);
      osc.frequency.setValueAtTime(1320, t0 + 0.09);
      gain.gain.setValueAtTime(0.0001, t0);
      gain.gain.exponentialRampToValueAtTime(0.2, t0 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t0 + 0.25);
      osc.connect(gain).connect(audio.destination);
      osc.start(t0);
      osc.stop(t0 + 0.26);
    } catch {
      // no audio output: the title and the badge still tell
    }
  };

  const api = {
    get muted(): boolean {
      try {
        return storage.getItem(muteKey) === '1';
      } catch {
        return false;
      }
    },
    setMuted(muted: boolean) {
      write(storage, muteKey, muted ? '1' : null);
    },
    /** A new message, `key` unique per message (the same in every tab). */
    alert(key: string, text: string) {
      let played = null;
      try {
        played = storage.getItem(beepKey);
      } catch {}
      if (played !== key) {
        write(storage, beepKey, key);
        if (!api.muted) beep();
      }
      if (timer) return;
      original = document.title;
      shown = `💬 ${text}`;
      let on = false;
      const tick = () => {
        // The host page retitled itself meanwhile: that is the title to come back to.
        if (document.title !== shown && document.title !== original) original = document.title;
        on = !on;
        document.title = on ? shown : original;
      };
      tick();
      timer = setInterval(tick, 1000);
    },
    /** The visitor is looking: stop flashing and give the page its title back. */
    stop() {
      if (!timer) return;
      clearInterval(timer);
      timer = undefined;
      if (document.title === shown) document.title = original;
    },
  };
  return api;
}
