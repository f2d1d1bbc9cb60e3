import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, BrowserContextOptions, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { launchBrowser, screenshot, watchErrors } from '../helpers/browser.js';
import { startServer, type TestServer } from '../helpers/start-server.js';
import { connectOperator, type TestClient } from '../helpers/ws-client.js';

/**
 * Shared steps of the widget end-to-end tests (tests/e2e/widget-*.test.ts; not a test file itself). Every
 * test file starts its own server and browser; waits are for selectors, frames or store state, never for
 * a fixed time. Widget elements live in an open shadow root, which Playwright's CSS locators pierce.
 */

export type Frame = { type: string; [k: string]: unknown };

export interface WidgetEnv {
  server: TestServer;
  browser: Browser;
  close(): Promise<void>;
}

export async function widgetEnv(): Promise<WidgetEnv> {
  const [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  return {
    server,
    browser,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** Site settings changed the way the admin API does it: store, then the relay's cached copy. */
export async function updateSite(server: TestServer, patch: Record<string, unknown>): Promise<void> {
  await server.app.store.updateSite(server.site.id, patch as never);
  await server.app.relay.refreshSite(server.site.id);
}

export interface Visitor {
  ctx: BrowserContext;
  page: Page;
  /** Host page errors (pageerror, console.error) since the page opened. */
  errors: string[];
  /** Visitor socket frames, parsed, across reconnects and navigations. */
  sent: Frame[];
  received: Frame[];
  /** A locator inside the widget's shadow root. */
  w(selector: string): Locator;
  openPanel(): Promise<void>;
  /** Types into the composer and presses Enter. */
  say(text: string): Promise<void>;
  /** Resolves with the first frame from the server (already received or future) matching `pred`. */
  nextReceived(pred: (f: Frame) => boolean, timeoutMs?: number): Promise<Frame>;
  nextSent(pred: (f: Frame) => boolean, timeoutMs?: number): Promise<Frame>;
  shot(name: string): Promise<string>;
}

/** Waits until `pred` holds over a list that grows (frames), polling without fixed sleeps in the tests. */
async function waitIn(
  list: Frame[],
  pred: (f: Frame) => boolean,
  timeoutMs: number,
  what: string,
): Promise<Frame> {
  let found: Frame | undefined;
  await expect
    .poll(() => (found = list.find(pred)), { timeout: timeoutMs, interval: 25, message: what })
    .toBeTruthy();
  return found!;
}

/** Records every visitor socket frame of a page (the console and other sockets are ignored). */
export function recordFrames(page: Page, sent: Frame[], received: Frame[]): void {
  page.on('websocket', (ws) => {
    if (!ws.url().includes('/ws/visitor')) return;
    const parse = (payload: string | Buffer, into: Frame[]) => {
      try {
        into.push(JSON.parse(String(payload)) as Frame);
      } catch {
        // not JSON: not ours
      }
    };
    ws.on('framesent', (f) => parse(f.payload, sent));
    ws.on('framereceived', (f) => parse(f.payload, received));
  });
}

export async function visitorPage(
  env: WidgetEnv,
  opts: {
    path?: string;
    url?: string;
    context?: BrowserContextOptions;
    ctx?: BrowserContext;
    init?: string;
  } = {},
): Promise<Visitor> {
  const ctx =
    opts.ctx ?? (await env.browser.newContext({ viewport: { width: 1100, height: 760 }, ...opts.context }));
  if (opts.init && !opts.ctx) await ctx.addInitScript(opts.init);
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  const sent: Frame[] = [];
  const received: Frame[] = [];
  recordFrames(page, sent, received);
  await page.goto(opts.url ?? `${env.server.origin}${opts.path ?? '/'}`);
  const w = (selector: string) => page.locator('beseda-widget').locator(selector);
  const v: Visitor = {
    ctx,
    page,
    errors,
    sent,
    received,
    w,
    async openPanel() {
      await w('button.l').click();
      await w('.p:not([hidden])').waitFor();
    },
    async say(text: string) {
      const input = w('.c textarea');
      await input.fill(text);
      await input.press('Enter');
    },
    nextReceived: (pred, timeoutMs = 10_000) => waitIn(received, pred, timeoutMs, 'frame from the server'),
    nextSent: (pred, timeoutMs = 10_000) => waitIn(sent, pred, timeoutMs, 'frame from the widget'),
    shot: (name: string) => screenshot(page, name),
  };
  return v;
}

/** An operator of the demo site over a real socket (the widget is what these tests look at). */
export async function operator(server: TestServer, name: string, capacity = 1) {
  const op = await server.createOperator(name, capacity);
  const client = await connectOperator(
    server.wsUrl,
    server.origin,
    await server.login(op.email, op.password),
  );
  let n = 0;
  return {
    op,
    client,
    /** Waits for a chat to be assigned to this operator; returns its conversation id. */
    async assigned(pred: (conversationId: string) => boolean = () => true): Promise<string> {
      const f = await client.next<{ conversation: { id: string; status: string } }>(
        (x) =>
          x.type === 'chat' &&
          (x.conversation as { status: string }).status === 'active' &&
          pred((x.conversation as { id: string }).id),
        15_000,
      );
      return f.conversation.id;
    },
    async reply(conversationId: string, text: string) {
      const clientId = `op-${Date.now().toString(36)}-${++n}`;
      client.send({ type: 'send', conversationId, clientId, text });
      await client.next((f) => f.type === 'ack' && f.clientId === clientId);
    },
    typing(conversationId: string, active: boolean) {
      client.send({ type: 'typing', conversationId, active });
    },
    end(conversationId: string) {
      client.send({ type: 'end', conversationId });
    },
  };
}
export type Operator = Awaited<ReturnType<typeof operator>>;

/**
 * Host pages on another origin: a tiny HTTP server on its own loopback port (a public origin may not
 * load scripts from loopback: Chromium's Private Network Access rules). `pages` maps path → HTML.
 */
export async function hostServer(pages: Record<string, string>) {
  const http = createServer((req, res) => {
    const html = pages[req.url ?? '/'];
    if (!html) {
      res.writeHead(204).end(); // favicon and the like: no 404 in the host console
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return {
    origin,
    pages,
    close: () => new Promise<void>((r) => http.close(() => r())),
  };
}

export function hostHtml(
  server: TestServer,
  opts: { head?: string; body?: string; tag?: string } = {},
): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Shop</title>${opts.head ?? ''}</head>
<body><main><h1>Shop</h1><p>A host page.</p>${opts.body ?? ''}</main>
${opts.tag ?? `<script src="${server.origin}/widget.js" data-site="demo" async></script>`}
</body></html>`;
}

/** Messages of a conversation as the store has them (what operators and transcripts see). */
export async function storedTexts(
  server: TestServer,
  conversationId: string,
  author?: string,
): Promise<string[]> {
  const messages = await server.app.store.listMessages(conversationId, 0);
  return messages.filter((m) => !author || m.author === author).map((m) => m.text);
}

export type { TestClient };
