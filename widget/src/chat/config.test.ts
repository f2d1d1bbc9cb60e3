import { describe, expect, it } from 'vitest';
import { DEFAULT_COLOR, fetchConfig, lookOf, normalizeConfig } from './config.js';

describe('site config', () => {
  it('keeps well-formed values and replaces anything that could inject CSS', () => {
    expect(
      normalizeConfig(
        {
          name: 'Shop',
          color: '#FFcc00',
          position: 'left',
          launcherText: 'Ask us',
          greeting: 'Hi',
          operatorsOnline: true,
        },
        'k',
      ),
    ).toEqual({
      siteKey: 'k',
      name: 'Shop',
      color: '#FFcc00',
      position: 'left',
      launcherText: 'Ask us',
      greeting: 'Hi',
      operatorsOnline: true,
      typingPreview: false,
    });
    const hostile = normalizeConfig({ color: 'red;} * {display:none', position: 'top', name: 7 }, 'k');
    expect(hostile).toMatchObject({
      color: DEFAULT_COLOR,
      position: 'right',
      name: '',
      operatorsOnline: false,
    });
    expect(normalizeConfig(null, 'k')).toBeNull();
    expect(normalizeConfig('oops', 'k')).toBeNull();
  });

  it('keeps business hours, language, typing preview and a well-formed pre-chat form', () => {
    const c = normalizeConfig(
      {
        withinHours: false,
        lang: 'cs',
        typingPreview: true,
        launcherText: 'Ask\nus',
        prechat: { enabled: true, requireEmail: true, topics: ['Billing', 7, ' ', 'Tech'] },
      },
      'k',
    );
    expect(c).toMatchObject({
      withinHours: false,
      lang: 'cs',
      typingPreview: true,
      launcherText: 'Ask us',
      prechat: { enabled: true, requireEmail: true, topics: ['Billing', 'Tech'] },
    });
    expect(normalizeConfig({ prechat: { enabled: false, topics: [] } }, 'k')?.prechat).toBeUndefined();
    expect(normalizeConfig({ withinHours: 'no' }, 'k')?.withinHours).toBeUndefined();
  });

  it("takes the server's text colour, only #fff or #111, and the default colour for nonsense", () => {
    expect(lookOf({ color: '#ffcc00', position: 'right', foreground: '#111' }).fg).toBe('#111');
    expect(normalizeConfig({ color: '#ffcc00', foreground: 'red;}' }, 'k')?.foreground).toBeUndefined();
    expect(normalizeConfig({ color: '#ffcc00', foreground: '#111' }, 'k')?.foreground).toBe('#111');
    expect(lookOf({ color: 'nonsense', position: 'left' })).toEqual({
      color: DEFAULT_COLOR,
      fg: '#fff',
      position: 'left',
    });
  });

  it('fetches from the site-scoped URL and falls back to null on any failure', async () => {
    const urls: string[] = [];
    const ok = (async (url: string) => {
      urls.push(url);
      return new Response(JSON.stringify({ name: 'Shop', color: '#123456', position: 'right' }));
    }) as typeof fetch;
    expect((await fetchConfig('https://chat.example.com', 'a b', 'sk,cs', ok))?.name).toBe('Shop');
    expect(urls).toEqual(['https://chat.example.com/api/widget/config?site=a%20b&lang=sk%2Ccs']);
    const notFound = (async () => new Response('{}', { status: 404 })) as typeof fetch;
    expect(await fetchConfig('https://x', 'k', '', notFound)).toBeNull();
    const offline = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    expect(await fetchConfig('https://x', 'k', '', offline)).toBeNull();
  });
});
