/**
 * A deliberately small user-agent parser for the visitor card: which browser, which OS, phone or not.
 * It only has to be right for the browsers people actually chat from; anything else falls back to
 * null rather than a guess. Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari".
 */

export interface ParsedUserAgent {
  browser: string | null;
  browserVersion: string | null;
  os: string | null;
  osVersion: string | null;
  device: 'mobile' | 'tablet' | 'desktop' | 'bot';
}

const BROWSERS: ReadonlyArray<[name: string, pattern: RegExp]> = [
  ['Edge', /\b(?:Edg|EdgA|EdgiOS|Edge)\/([\d.]+)/],
  ['Opera', /\b(?:OPR|OPiOS|Opera)\/([\d.]+)/],
  ['Samsung Internet', /\bSamsungBrowser\/([\d.]+)/],
  ['Yandex Browser', /\bYaBrowser\/([\d.]+)/],
  ['Vivaldi', /\bVivaldi\/([\d.]+)/],
  ['Firefox', /\b(?:Firefox|FxiOS)\/([\d.]+)/],
  ['Chrome', /\b(?:Chrome|CriOS)\/([\d.]+)/],
  ['Safari', /\bVersion\/([\d.]+)(?: Mobile\/\w+)? Safari\//],
  ['Internet Explorer', /\b(?:MSIE |Trident\/.*rv:)([\d.]+)/],
];

const WINDOWS_VERSIONS: Record<string, string> = {
  '10.0': '10/11',
  '6.3': '8.1',
  '6.2': '8',
  '6.1': '7',
  '6.0': 'Vista',
  '5.1': 'XP',
};

const BOT = /bot\b|crawler|spider|crawling|headlesschrome|lighthouse/i;

export function parseUserAgent(ua: string | null | undefined): ParsedUserAgent {
  const result: ParsedUserAgent = {
    browser: null,
    browserVersion: null,
    os: null,
    osVersion: null,
    device: 'desktop',
  };
  if (!ua) return result;

  for (const [name, pattern] of BROWSERS) {
    const m = pattern.exec(ua);
    if (m) {
      result.browser = name;
      result.browserVersion = majorMinor(m[1] ?? '');
      break;
    }
  }

  Object.assign(result, detectOs(ua));
  if (BOT.test(ua)) result.device = 'bot';
  return result;
}

type Os = Pick<ParsedUserAgent, 'os' | 'osVersion' | 'device'>;

/** First match wins: iOS and Android before the desktop systems their user agents also mention. */
function detectOs(ua: string): Os {
  const apple = /\b(iPhone|iPad|iPod)\b.*? OS (\d+(?:_\d+)*)/.exec(ua);
  if (apple) {
    const ipad = apple[1] === 'iPad';
    return {
      os: ipad ? 'iPadOS' : 'iOS',
      osVersion: majorMinor((apple[2] ?? '').replace(/_/g, '.')),
      device: ipad ? 'tablet' : 'mobile',
    };
  }
  if (/\bAndroid\b/.test(ua)) {
    const version = /\bAndroid (\d+(?:\.\d+)*)/.exec(ua)?.[1];
    return {
      os: 'Android',
      osVersion: version ? majorMinor(version) : null,
      device: /\bMobile\b/.test(ua) ? 'mobile' : 'tablet',
    };
  }
  const windows = /\bWindows NT (\d+\.\d+)/.exec(ua);
  if (windows)
    return { os: 'Windows', osVersion: WINDOWS_VERSIONS[windows[1] ?? ''] ?? null, device: 'desktop' };
  const mac = /\bMac OS X (\d+(?:[._]\d+)*)/.exec(ua);
  if (mac)
    return { os: 'macOS', osVersion: majorMinor((mac[1] ?? '').replace(/_/g, '.')), device: 'desktop' };
  if (/\bCrOS\b/.test(ua)) return { os: 'ChromeOS', osVersion: null, device: 'desktop' };
  if (/\bLinux\b/.test(ua))
    return { os: /\bUbuntu\b/.test(ua) ? 'Ubuntu' : 'Linux', osVersion: null, device: 'desktop' };
  return { os: null, osVersion: null, device: 'desktop' };
}

/** "Chrome 126 on Windows 10/11 · mobile" — the one line the card shows. */
export function describeUserAgent(p: ParsedUserAgent): string | null {
  const browser = p.browser ? `${p.browser}${p.browserVersion ? ` ${p.browserVersion}` : ''}` : null;
  const os = p.os ? `${p.os}${p.osVersion ? ` ${p.osVersion}` : ''}` : null;
  const main = browser && os ? `${browser} on ${os}` : (browser ?? os);
  if (!main) return null;
  return p.device === 'desktop' ? main : `${main} · ${p.device}`;
}

/** "126.0.6478.127" → "126"; "17.4.1" → "17.4"; browsers other than Safari/iOS only need the major. */
function majorMinor(version: string): string {
  const [major, minor] = version.split('.');
  if (!major) return version;
  return minor && minor !== '0' && Number(major) < 40 ? `${major}.${minor}` : major;
}
