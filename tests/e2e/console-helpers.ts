import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { watchErrors } from '../helpers/browser.js';
import type { TestServer } from '../helpers/start-server.js';
import { clientId, connectVisitor, type TestClient } from '../helpers/ws-client.js';

/** Shared steps of the console end-to-end tests (not a test file itself). */

export interface ConsoleSession {
  ctx: BrowserContext;
  page: Page;
  errors: string[];
}

/**
 * Replaces WebAudio with a recorder before any console script runs, so a test can see that the alert
 * sound played (`window.__beeps`) without a sound card.
 */
const AUDIO_STUB = `
  window.__beeps = 0;
  class FakeNode { connect(n) { return n; } }
  class FakeParam { setValueAtTime() {} exponentialRampToValueAtTime() {} set value(v) {} }
  class FakeOsc extends FakeNode {
    constructor() { super(); this.frequency = new FakeParam(); }
    start() { window.__beeps++; }
    stop() {}
  }
  class FakeGain extends FakeNode { constructor() { super(); this.gain = new FakeParam(); } }
  window.AudioContext = class {
    constructor() { this.state = 'running'; this.currentTime = 0; this.destination = new FakeNode(); }
    resume() { return Promise.resolve(); }
    createOscillator() { return new FakeOsc(); }
    createGain() { return new FakeGain(); }
  };
`;

export async function openConsole(
  browser: Browser,
  server: TestServer,
  email: string,
  password: string,
  viewport = { width: 1440, height: 900 },
): Promise<ConsoleSession> {
  const ctx = await browser.newContext({ viewport });
  await ctx.addInitScript(AUDIO_STUB);
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  await page.goto(`${server.origin}/console/`);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('me-name').waitFor({ state: 'attached' });
  await page.locator('[data-testid="connection"][data-phase="open"]').waitFor({ state: 'attached' });
  return { ctx, page, errors };
}

export interface TestVisitor {
  client: TestClient;
  visitorId: string;
  say(text: string): Promise<void>;
}

/** A visitor over a real socket: optionally identified (unsigned, so unverified), then says something. */
export async function visitorSays(
  server: TestServer,
  text: string,
  identity?: { name?: string; email?: string; attributes?: Record<string, string | number | boolean> },
): Promise<TestVisitor> {
  const { client, identity: id } = await connectVisitor(server.wsUrl, server.origin);
  if (identity) {
    client.send({ type: 'identify', ...identity });
    await client.next((f) => f.type === 'identity');
  }
  const say = async (t: string) => {
    const cid = clientId();
    client.send({ type: 'send', clientId: cid, text: t });
    await client.next((f) => f.type === 'ack' && f.clientId === cid);
  };
  await say(text);
  return { client, visitorId: id.visitorId, say };
}

/** Messages the visitor received from operators, as texts. */
export function receivedTexts(visitor: TestVisitor): string[] {
  return visitor.client
    .ofType<{ message: { author: string; text: string } }>('message')
    .filter((f) => f.message.author === 'operator')
    .map((f) => f.message.text);
}

/** Console errors worth failing for: a refused REST call while the server is mid-change is reported separately. */
export function realErrors(errors: string[]): string[] {
  return errors.filter((e) => !/Failed to load resource/.test(e));
}

/** A visitor who opens a chat for a team of the site (`send.teamId`, as the pre-chat form or `setTeam` does). */
export async function visitorSaysForTeam(
  server: TestServer,
  text: string,
  teamId: string,
  name?: string,
): Promise<TestVisitor> {
  const { client, identity: id } = await connectVisitor(server.wsUrl, server.origin);
  if (name) {
    client.send({ type: 'identify', name });
    await client.next((f) => f.type === 'identity');
  }
  const say = async (t: string) => {
    const cid = clientId();
    client.send({ type: 'send', clientId: cid, text: t, teamId });
    await client.next((f) => f.type === 'ack' && f.clientId === cid);
  };
  await say(text);
  return { client, visitorId: id.visitorId, say };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Serious and critical axe-core violations on the page as "state: rule targets" lines (empty: clean). */
export async function axeViolations(page: Page, state: string): Promise<string[]> {
  // Evaluated over the DevTools protocol: the console's CSP (script-src 'self') refuses inline script tags.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const r = await (
      window as unknown as {
        axe: {
          run: (
            ctx: unknown,
            o: unknown,
          ) => Promise<{ violations: { id: string; impact: string; nodes: { target: unknown }[] }[] }>;
        };
      }
    ).axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((x) => ({
      id: x.id,
      impact: x.impact,
      targets: x.nodes.map((n) => JSON.stringify(n.target)),
    }));
  });
  return violations
    .filter((x) => x.impact === 'serious' || x.impact === 'critical')
    .map((x) => `${state}: ${x.id} ${x.targets.slice(0, 5).join(' ')}`);
}
