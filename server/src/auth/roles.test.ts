import { describe, expect, it } from 'vitest';
import {
  type Actor,
  chatAction,
  mayGrantRole,
  mergeSiteIds,
  reachOver,
  seesSite,
  siteScope,
} from './roles.js';

const admin: Actor = { id: 'adm', role: 'admin', siteIds: ['A'] };
const ownerA: Actor = { id: 'oa', role: 'owner', siteIds: ['A'] };
const opA: Actor = { id: 'pa', role: 'operator', siteIds: ['A'] };

describe('roles', () => {
  it('scope: the admin sees every site, others their own that still exist', () => {
    expect(siteScope(admin, ['A', 'B'])).toEqual(['A', 'B']);
    expect(siteScope({ ...ownerA, siteIds: ['A', 'gone'] }, ['A', 'B'])).toEqual(['A']);
    expect(seesSite(admin, 'B')).toBe(true);
    expect(seesSite(ownerA, 'B')).toBe(false);
  });

  it('reach over accounts: full inside my sites, membership when shared or an admin, none outside', () => {
    expect(reachOver(admin, { id: 'x', role: 'owner', siteIds: ['B'] })).toBe('full');
    expect(reachOver(ownerA, { id: 'x', role: 'operator', siteIds: ['A'] })).toBe('full');
    expect(reachOver(ownerA, { id: 'x', role: 'operator', siteIds: ['A', 'B'] })).toBe('membership');
    expect(reachOver(ownerA, { id: 'x', role: 'admin', siteIds: ['A'] })).toBe('membership');
    expect(reachOver(ownerA, { id: 'x', role: 'operator', siteIds: ['B'] })).toBe('none');
    // An account with no site at all belongs to no tenant: only the admin manages it.
    expect(reachOver(ownerA, { id: 'x', role: 'operator', siteIds: [] })).toBe('none');
    expect(reachOver(opA, { id: 'x', role: 'operator', siteIds: ['A'] })).toBe('none');
  });

  it('grants: only an admin grants admin; sites outside the scope are neither granted nor removed', () => {
    expect(mayGrantRole(admin, 'admin')).toBe(true);
    expect(mayGrantRole(ownerA, 'admin')).toBe(false);
    expect(mayGrantRole(ownerA, 'owner')).toBe(true);
    expect(mayGrantRole(opA, 'operator')).toBe(false);
    expect(mergeSiteIds(['A'], ['A', 'B'], [])).toEqual(['B']);
    expect(mergeSiteIds(['A'], ['B'], ['A', 'A'])).toEqual(['B', 'A']);
    expect(mergeSiteIds(['A'], ['A'], ['B'])).toBeNull();
  });

  it('acting on a chat: not_found outside my sites, forbidden when visible but not mine to act on', () => {
    expect(chatAction(opA, { siteId: 'A', operatorId: 'pa' })).toBe('ok');
    expect(chatAction(opA, { siteId: 'A', operatorId: 'other' })).toBe('forbidden');
    expect(chatAction(opA, { siteId: 'B', operatorId: 'pa' })).toBe('not_found');
    expect(chatAction(ownerA, { siteId: 'A', operatorId: 'other' })).toBe('ok');
    // The owner bypass of issue #9: an owner of A must not end or transfer B's chats.
    expect(chatAction(ownerA, { siteId: 'B', operatorId: 'other' })).toBe('not_found');
    expect(chatAction(admin, { siteId: 'B', operatorId: 'other' })).toBe('ok');
  });
});
