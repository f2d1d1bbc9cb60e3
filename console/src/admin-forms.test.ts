import type { SiteAdmin } from '@beseda/shared/types';
import { describe, expect, it } from 'vitest';
import { parseOrigins, sitePatch, thresholdProblem, timezones, withSiteDefaults } from './admin-forms.js';

const site: SiteAdmin = {
  id: 's1',
  key: 'demo',
  name: 'Demo',
  timezone: 'UTC',
  color: '#2354d6',
  position: 'right',
  launcherText: 'Chat',
  greeting: 'Hi',
  lang: 'en',
  businessHours: null,
  alertAfterSeconds: 240,
  amberAfterSeconds: 60,
  slaSeconds: 30,
  ringTimeoutSeconds: 0,
  autoAwayMinutes: 0,
  typingPreview: false,
  teams: [],
  prechat: { enabled: false, requireEmail: false, topics: [] },
  allowedOrigins: ['https://shop.example'],
  identitySecret: 'secret',
};

describe('admin forms', () => {
  it('parses allowed origins one per line, forgiving trailing slashes and duplicates', () => {
    expect(parseOrigins('https://a.example/\n\nhttp://localhost:3000, https://A.example\n*')).toEqual({
      origins: ['https://a.example', 'http://localhost:3000', '*'],
      invalid: [],
    });
    expect(parseOrigins('a.example\nhttps://b.example/path').invalid).toEqual([
      'a.example',
      'https://b.example/path',
    ]);
  });

  it('checks the queue thresholds like the server does', () => {
    expect(thresholdProblem(60, 240)).toBeNull();
    expect(thresholdProblem(4, 240)).toMatch(/5 seconds/);
    expect(thresholdProblem(60, 9)).toMatch(/10 seconds/);
    expect(thresholdProblem(240, 240)).toMatch(/before/);
  });

  it('sends only the fields that changed', () => {
    expect(sitePatch(site, { ...site })).toEqual({});
    expect(
      sitePatch(site, {
        ...site,
        greeting: 'Hello',
        prechat: { enabled: true, requireEmail: false, topics: [] },
        allowedOrigins: ['https://shop.example'],
      }),
    ).toEqual({ greeting: 'Hello', prechat: { enabled: true, requireEmail: false, topics: [] } });
  });

  it('lists time zones', () => {
    expect(timezones()).toContain('UTC');
  });
});

describe('withSiteDefaults', () => {
  it('fills what an older server leaves out and keeps what it sends', () => {
    const filled = withSiteDefaults({ id: 's', key: 'k', name: 'N', alertAfterSeconds: 100 });
    expect(filled.alertAfterSeconds).toBe(100);
    expect(filled.amberAfterSeconds).toBe(60);
    expect(filled.prechat).toEqual({ enabled: false, requireEmail: false, topics: [] });
    expect(withSiteDefaults(site)).toEqual(site);
  });
});
