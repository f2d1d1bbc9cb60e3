import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/start-server.js';
import { connectVisitor } from '../helpers/ws-client.js';

/** Parses a Content-Security-Policy header into directive → sources. */
function csp(header: string | null): Record<string, string[]> {
  expect(header, 'content-security-policy header').toBeTruthy();
  return Object.fromEntries(
    header!
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((p) => p[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

/**
 * Issue #9 point 2, read from the wire: every answer carries nosniff and a Referrer-Policy; the console a
 * strict CSP that cannot be framed; the demo page a CSP whose one inline style is allowed by its exact hash;
 * the widget's files may be loaded by other sites; API answers may load, run or be framed by nothing.
 */
describe('security headers', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => server.close());

  const get = (path: string, init?: RequestInit) => fetch(`${server.origin}${path}`, init);

  it('nosniff and a Referrer-Policy on every kind of answer, including errors', async () => {
    for (const path of [
      '/',
      '/console/',
      '/widget.js',
      '/api/auth/me',
      '/api/widget/config?site=demo',
      '/nope',
    ]) {
      const r = await get(path);
      expect(r.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(r.headers.get('referrer-policy'), path).toMatch(
        /^(no-referrer|strict-origin-when-cross-origin)$/,
      );
      expect(r.headers.get('x-powered-by'), path).toBeNull();
    }
  });

  it('the console: default-src self, no inline script or style, never framed', async () => {
    const r = await get('/console/');
    expect(r.status).toBe(200);
    const p = csp(r.headers.get('content-security-policy'));
    expect(p['default-src']).toEqual(["'self'"]);
    expect(p['script-src']).toEqual(["'self'"]);
    expect(p['style-src']).toEqual(["'self'"]);
    expect(p['frame-ancestors']).toEqual(["'none'"]);
    expect(p['object-src']).toEqual(["'none'"]);
    expect(JSON.stringify(p)).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(r.headers.get('x-frame-options')).toBe('DENY');
    expect(r.headers.get('referrer-policy')).toBe('no-referrer');
    expect(r.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    // The built console really has no inline script for the policy to break.
    const html = await r.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    // Deep links of the console app get the same policy.
    expect((await get('/console/assets/missing.js')).headers.get('content-security-policy')).toBe(
      r.headers.get('content-security-policy'),
    );
  });

  it('the demo page: scripts only from here, its inline style allowed by its exact hash', async () => {
    const r = await get('/');
    const p = csp(r.headers.get('content-security-policy'));
    expect(p['script-src']).toEqual(["'self'"]);
    expect(p['connect-src']).toEqual(["'self'"]);
    const html = await r.text();
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map(
      (m) => `'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`,
    );
    expect(styles.length).toBeGreaterThan(0);
    expect(p['style-src']).toEqual(["'self'", ...styles]);
    expect(p['frame-ancestors']).toEqual(["'self'"]);
    expect(r.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
  });

  it('the widget’s files and API may be loaded by other sites; everything else only by this one', async () => {
    for (const path of ['/widget.js', '/api/widget/config?site=demo']) {
      expect((await get(path)).headers.get('cross-origin-resource-policy'), path).toBe('cross-origin');
    }
    const chunk = (await (await get('/widget.js')).text()).match(/["'/]([\w.-]*chat[\w.-]*\.js)/)?.[1];
    expect(chunk, 'the loader names the chat bundle').toBeTruthy();
    expect((await get(`/widget/${chunk}`)).headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    for (const path of ['/', '/console/', '/api/auth/me']) {
      expect((await get(path)).headers.get('cross-origin-resource-policy'), path).toBe('same-origin');
    }
  });

  it('API answers: nothing may load, run or frame them', async () => {
    for (const path of ['/api/auth/me', '/nope']) {
      const r = await get(path);
      const p = csp(r.headers.get('content-security-policy'));
      expect(p['default-src'], path).toEqual(["'none'"]);
      expect(p['frame-ancestors'], path).toEqual(["'none'"]);
      expect(r.headers.get('x-frame-options'), path).toBe('DENY');
    }
  });

  it('HSTS only when the installation is served over https', async () => {
    expect((await get('/')).headers.get('strict-transport-security')).toBeNull();
    const https = await startServer({ publicUrl: 'https://chat.example.com' });
    try {
      const r = await fetch(`${https.origin}/api/auth/me`);
      expect(r.headers.get('strict-transport-security')).toBe('max-age=15552000');
    } finally {
      await https.close();
    }
  });

  it('WebSocket upgrades are not touched (sockets still open)', async () => {
    const { client } = await connectVisitor(server.wsUrl, server.origin);
    expect(client.frames.some((f) => f.type === 'welcome')).toBe(true);
    await client.close();
  });
});
