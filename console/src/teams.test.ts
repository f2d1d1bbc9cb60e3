import { describe, expect, it } from 'vitest';
import {
  normalTeamName,
  parseTarget,
  pruneTeamIds,
  queueKey,
  targetValue,
  teamGroups,
  teamName,
  teamNameProblem,
  transferFields,
  withTeamAdded,
  withTeamRemoved,
  withTeamRenamed,
} from './teams.js';

const sales = { id: 't-sales', name: 'Sales' };
const support = { id: 't-support', name: 'Support' };
const shop = { id: 's-shop', name: 'Shop', teams: [sales, support] };
const blog = { id: 's-blog', name: 'Blog', teams: [] };
const docs = { id: 's-docs', name: 'Docs', teams: [{ id: 't-docs', name: 'Writers' }] };

describe('team list edits (the whole list is sent)', () => {
  it('adds at the end without an id, keeping the others with theirs', () => {
    expect(withTeamAdded([sales], '  Key   accounts ')).toEqual([
      { id: 't-sales', name: 'Sales' },
      { name: 'Key accounts' },
    ]);
  });

  it('renames in place and removes by leaving the team out', () => {
    expect(withTeamRenamed([sales, support], 't-support', 'Help desk')).toEqual([
      { id: 't-sales', name: 'Sales' },
      { id: 't-support', name: 'Help desk' },
    ]);
    expect(withTeamRemoved([sales, support], 't-sales')).toEqual([{ id: 't-support', name: 'Support' }]);
  });

  it('refuses what the server refuses: empty, too long, a name taken (case-insensitively)', () => {
    expect(normalTeamName(' a \t b ')).toBe('a b');
    expect(teamNameProblem([sales], '   ')).toBe('empty');
    expect(teamNameProblem([sales], 'x'.repeat(61))).toBe('tooLong');
    expect(teamNameProblem([sales], ' sales ')).toBe('duplicate');
    // Renaming a team to its own name in another case is no clash.
    expect(teamNameProblem([sales], 'SALES', 't-sales')).toBeNull();
    expect(teamNameProblem([sales], 'Support')).toBeNull();
  });
});

describe('team names and memberships', () => {
  it('names a chat’s team from the sites list (record or array); none for no or a deleted team', () => {
    expect(teamName({ [shop.id]: shop }, 's-shop', 't-sales')).toBe('Sales');
    expect(teamName([shop, blog], 's-shop', 't-support')).toBe('Support');
    expect(teamName([shop], 's-shop', null)).toBeNull();
    expect(teamName([shop], 's-shop', 't-gone')).toBeNull();
    expect(teamName([{ id: 's-old', name: 'Old' }], 's-old', 't-sales')).toBeNull();
  });

  it('groups team checkboxes per chosen site that has teams, in the sites’ order', () => {
    expect(teamGroups([shop, blog, docs], ['s-docs', 's-blog', 's-shop'])).toEqual([
      { siteId: 's-shop', siteName: 'Shop', teams: [sales, support] },
      { siteId: 's-docs', siteName: 'Docs', teams: [{ id: 't-docs', name: 'Writers' }] },
    ]);
    expect(teamGroups([shop, docs], ['s-docs'])).toHaveLength(1);
  });

  it('drops teams of sites no longer chosen and keeps teams it does not know', () => {
    expect(pruneTeamIds(['t-sales', 't-docs', 't-elsewhere'], [shop, docs], ['s-docs'])).toEqual([
      't-docs',
      't-elsewhere',
    ]);
  });
});

describe('transfer targets', () => {
  it('round-trips operators, teams and the whole site through the select value', () => {
    for (const target of [{ operatorId: 'op-1' }, { teamId: 't-sales' }, { teamId: null }]) {
      expect(parseTarget(targetValue(target))).toEqual(target);
    }
    expect(parseTarget('')).toBeNull();
    expect(parseTarget('op:')).toBeNull();
  });

  it('sends exactly one of toOperatorId / toTeamId', () => {
    expect(transferFields({ operatorId: 'op-1' })).toEqual({ toOperatorId: 'op-1' });
    expect(transferFields({ teamId: 't-sales' })).toEqual({ toTeamId: 't-sales' });
    expect(transferFields({ teamId: null })).toEqual({ toTeamId: null });
  });

  it('keys a queue by site and team', () => {
    expect(queueKey({ siteId: 's1', teamId: null })).toBe('s1');
    expect(queueKey({ siteId: 's1' })).toBe('s1');
    expect(queueKey({ siteId: 's1', teamId: 't1' })).toBe('s1/t1');
  });
});
