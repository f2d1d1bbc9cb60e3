import { describe, expect, it } from 'vitest';
import { modeOf } from './App.js';
import { normalizeConfig } from './config.js';
import { SITE, setup } from './connection-kit.js';
import { conversation } from './fake-server.js';
import { storageName } from './tab-sync.js';
import { teamState } from './teams.js';

const TEAMS = [
  { id: 't-sales', name: 'Sales', online: true },
  { id: 't-support', name: 'Support', online: false },
];
const config = { teams: TEAMS };

describe('teams: picking and resolving', () => {
  const pick = (p: unknown, api?: boolean) =>
    teamState(config, {}, { pick: p as string, api }).team?.id ?? null;

  it('resolves an id, else a name case-insensitively; anything else is no team', () => {
    expect(pick('t-support')).toBe('t-support');
    expect(pick('sales')).toBe('t-sales');
    expect(pick('  SALES ')).toBe('t-sales');
    expect(pick('Billing')).toBeNull();
    expect(pick('')).toBeNull();
    expect(pick(7)).toBeNull(); // a corrupted record
    expect(teamState(config, {}, null).team).toBeNull();
    expect(teamState(null, {}, { pick: 'sales' })).toEqual({ teams: [], team: null, ask: false });
  });

  it('applies live availability frames over the config snapshot', () => {
    const live = teamState(config, { 't-support': true, 't-sales': false, 't-gone': true }, null).teams;
    expect(live.map((t) => [t.id, t.online])).toEqual([
      ['t-sales', false],
      ['t-support', true],
    ]);
  });

  it('asks the visitor unless the host page picked a team that exists', () => {
    expect(teamState(config, {}, null)).toMatchObject({ team: null, ask: true });
    expect(teamState(config, {}, { pick: 't-sales' })).toMatchObject({ team: { id: 't-sales' }, ask: true });
    expect(teamState(config, {}, { pick: 'SUPPORT', api: true })).toMatchObject({
      team: { id: 't-support', online: false },
      ask: false,
    });
    // A name the site does not have (deleted, misspelt): the visitor picks after all.
    expect(teamState(config, {}, { pick: 'Billing', api: true })).toMatchObject({ team: null, ask: true });
    expect(storageName(SITE, `beseda:${SITE}:team`)).toBe('team');
  });

  it('keeps well-formed teams from the site config', () => {
    const c = normalizeConfig(
      {
        teams: [
          { id: 't1', name: ' Sales ', online: true },
          { id: 't1', name: 'Again', online: true },
          { id: 't2', name: 'Support' },
          { id: '', name: 'No id' },
          { id: 't3', name: 7 },
          null,
        ],
      },
      'k',
    );
    expect(c?.teams).toEqual([
      { id: 't1', name: ' Sales ', online: true },
      { id: 't1', name: 'Again', online: true },
      { id: 't2', name: 'Support', online: false },
    ]);
    expect(normalizeConfig({ teams: 'x' }, 'k')?.teams).toBeUndefined();
  });
});

describe('teams: the panel', () => {
  it('shows the leave-a-message form when nobody of the chosen team is online', () => {
    const { conn } = setup();
    const siteConfig = { ...normalizeConfig({ operatorsOnline: true }, 'k')!, teams: TEAMS };
    expect(modeOf(conn.view, siteConfig, TEAMS[0]!)).toBe('chat');
    expect(modeOf(conn.view, siteConfig, TEAMS[1]!)).toBe('offline');
    expect(modeOf(conn.view, siteConfig, null)).toBe('chat');
    const prechat = { ...siteConfig, prechat: { enabled: true, requireEmail: false, topics: [] } };
    expect(modeOf(conn.view, prechat, TEAMS[0]!)).toBe('prechat');
    expect(modeOf(conn.view, prechat, TEAMS[1]!)).toBe('offline');
  });
});

describe('teams: the connection', () => {
  it('sends the team with the message, also after a reconnect and from a reloaded page', () => {
    const { conn, net, greet, reconnect, storage } = setup();
    const clientId = conn.send('Do you ship to Brno?', 't-sales')!;
    let ws = net.last();
    ws.accept();
    expect(ws.sentOf('send')).toEqual([
      { type: 'send', clientId, text: 'Do you ship to Brno?', teamId: 't-sales' },
    ]);
    ws.serverClose(1006);
    reconnect();
    ws = greet(null);
    expect(ws.sentOf('send')).toEqual([
      { type: 'send', clientId, text: 'Do you ship to Brno?', teamId: 't-sales' },
    ]);

    // A reload before the ack: the next page's outbox still carries the team.
    const next = setup({ storage });
    next.conn.start();
    next.net.last().accept();
    expect(next.net.last().sentOf('send')).toEqual([
      { type: 'send', clientId, text: 'Do you ship to Brno?', teamId: 't-sales' },
    ]);
    // No team chosen: no teamId field (the protocol rejects unknown or empty fields).
    conn.send('And to Ostrava?');
    expect(ws.sentOf('send').at(-1)).not.toHaveProperty('teamId');
  });

  it('keeps team availability apart from the whole site', () => {
    const { conn, greet } = setup();
    conn.start();
    const ws = greet(conversation('c1'));
    ws.push({ type: 'availability', operatorsOnline: false, teamId: 't-sales' });
    expect(conn.view.operatorsOnline).toBe(true);
    expect(conn.view.teamsOnline).toEqual({ 't-sales': false });
    ws.push({ type: 'availability', operatorsOnline: true, teamId: 't-sales' });
    ws.push({ type: 'availability', operatorsOnline: false });
    expect(conn.view).toMatchObject({ operatorsOnline: false, teamsOnline: { 't-sales': true } });
  });
});
