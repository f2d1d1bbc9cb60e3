import { createHash } from 'node:crypto';
import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import fp from 'fastify-plugin';
import { demoPage } from '../http/demo-page.js';

/**
 * Security headers for every HTTP answer (issue #9 point 2; each header is explained in docs/security.md).
 * One policy per kind of resource, chosen from the route's URL when the route is declared:
 * - `console`: the operator console — strict CSP (`default-src 'self'`, no inline script or style), never framed;
 * - `page`: the demo host page — scripts only from here, its one inline <style> allowed by hash;
 * - `widget`: the loader, the chat bundle and the widget API — fetched by other sites' pages, so
 *   `Cross-Origin-Resource-Policy: cross-origin` (the default `same-origin` would block the script tag there);
 * - `api`: everything else (JSON, 404s) — nothing may load, run or frame it.
 * nosniff, Referrer-Policy and the rest of helmet's set apply to all four. WebSocket upgrades get none.
 */
export type HeaderPolicy = 'console' | 'page' | 'widget' | 'api';

export function policyFor(url: string): HeaderPolicy {
  if (url === '/console' || url.startsWith('/console/')) return 'console';
  if (url === '/' || url.startsWith('/demo/')) return 'page';
  if (url.startsWith('/widget') || url.startsWith('/api/widget/')) return 'widget';
  return 'api';
}

/** CSP hash sources of the demo page's inline <style> blocks (its text does not depend on the arguments). */
export function demoStyleHashes(): string[] {
  const html = demoPage('http://x', 'k', 't', '/');
  return [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map(
    (m) =>
      `'sha256-${createHash('sha256')
        .update(m[1] ?? '')
        .digest('base64')}'`,
  );
}

type Csp = Record<string, string[]>;

const NOTHING: Csp = {
  'default-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

const CONSOLE: Csp = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  // Vite inlines small images and fonts as data: URLs.
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'", 'data:'],
  // 'self' covers ws:/wss: to this host too (CSP Level 3).
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

function pageCsp(): Csp {
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    // The widget styles itself with constructable stylesheets, which style-src does not restrict.
    'style-src': ["'self'", ...demoStyleHashes()],
    'img-src': ["'self'", 'data:'],
    'connect-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'self'"],
  };
}

const csp = (directives: Csp) => ({ useDefaults: false, directives });

export const securityHeaders = fp<{ publicUrl?: string | undefined }>(
  async (app, opts) => {
    const https = opts.publicUrl?.startsWith('https:') ?? false;
    const base: FastifyHelmetOptions = {
      global: true,
      contentSecurityPolicy: csp(NOTHING),
      crossOriginResourcePolicy: { policy: 'same-origin' },
      crossOriginOpenerPolicy: { policy: 'same-origin' },
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
      // HSTS only makes sense (and is only honoured) when the installation is served over https.
      strictTransportSecurity: https ? { maxAge: 15_552_000, includeSubDomains: false } : false,
    };
    const perPolicy: Record<Exclude<HeaderPolicy, 'api'>, FastifyHelmetOptions> = {
      console: { contentSecurityPolicy: csp(CONSOLE) },
      page: {
        contentSecurityPolicy: csp(pageCsp()),
        frameguard: { action: 'sameorigin' },
        // A stand-in for a shop: page views the widget reports keep their same-site referrer.
        referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
      },
      widget: { crossOriginResourcePolicy: { policy: 'cross-origin' } },
    };

    await app.register(helmet, base);
    app.addHook('onRoute', (route) => {
      if ((route as { websocket?: boolean }).websocket) {
        route.config = { ...route.config, helmet: { skipRoute: true } } as typeof route.config;
        return;
      }
      const policy = policyFor(route.url ?? route.path);
      if (policy === 'api') return;
      route.config = { ...route.config, helmet: perPolicy[policy] } as typeof route.config;
    });
  },
  { name: 'security-headers', dependencies: [] },
);
