/**
 * The console's only noises and pop-ups: a WebAudio beep (no sound files to load) and a desktop
 * notification. Browsers allow both only after a user gesture, so `unlock()` runs on the first click or
 * key press, and the notification permission is asked from a button, never on page load.
 */

type Tone = 'new' | 'late';

let audio: AudioContext | null = null;

function context(): AudioContext | null {
  if (audio) return audio;
  const Ctor =
    globalThis.AudioContext ??
    (globalThis as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Ctor) return null;
  try {
    audio = new Ctor();
  } catch {
    return null;
  }
  return audio;
}

/** Called from a user gesture: creates or resumes the audio context so later beeps are allowed. */
export function unlockAudio(): void {
  const ctx = context();
  if (ctx?.state === 'suspended') void ctx.resume().catch(() => undefined);
}

/** Two rising tones for something new, three insistent lower ones for a wait past the threshold. */
export function beep(tone: Tone): void {
  const ctx = context();
  if (!ctx) return;
  const notes = tone === 'new' ? [880, 1320] : [660, 660, 660];
  const start = ctx.currentTime + 0.01;
  notes.forEach((frequency, i) => {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'sine';
    osc.frequency.value = frequency;
    const t = start + i * 0.16;
    gain.gain.setValueAtTime(0.0001, t);
    gain.gain.exponentialRampToValueAtTime(0.25, t + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.13);
    osc.connect(gain).connect(ctx.destination);
    osc.start(t);
    osc.stop(t + 0.14);
  });
}

export type Permission = NotificationPermission | 'unsupported';

export function notificationPermission(): Permission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

export async function askNotificationPermission(): Promise<Permission> {
  if (typeof Notification === 'undefined') return 'unsupported';
  if (Notification.permission !== 'default') return Notification.permission;
  try {
    return await Notification.requestPermission();
  } catch {
    return Notification.permission;
  }
}

/** Shown only when the operator is not looking at the console; the sound covers the other case. */
export function desktopNotify(title: string, body: string, tag: string, onClick: () => void): void {
  if (notificationPermission() !== 'granted') return;
  if (document.visibilityState === 'visible' && document.hasFocus()) return;
  try {
    const n = new Notification(title, { body, tag });
    n.onclick = () => {
      window.focus();
      onClick();
      n.close();
    };
  } catch {
    // Some platforms only allow notifications from a service worker; the beep still plays.
  }
}

// ---- mute preference, kept per browser ----
const MUTE_KEY = 'beseda.console.muted';
const muteListeners = new Set<() => void>();
let muted = readMuted();

function readMuted(): boolean {
  try {
    return localStorage.getItem(MUTE_KEY) === '1';
  } catch {
    return false;
  }
}

export function isMuted(): boolean {
  return muted;
}

export function setMuted(value: boolean): void {
  muted = value;
  try {
    if (value) localStorage.setItem(MUTE_KEY, '1');
    else localStorage.removeItem(MUTE_KEY);
  } catch {
    // storage disabled: the choice lasts until reload
  }
  for (const fn of muteListeners) fn();
}

export function onMutedChange(fn: () => void): () => void {
  muteListeners.add(fn);
  return () => muteListeners.delete(fn);
}
