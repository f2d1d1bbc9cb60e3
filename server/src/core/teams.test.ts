import { describe, expect, it } from 'vitest';
import { checkTeamIds, mergeTeams, operatorScopes, siteOfScope, teamOfScope, teamScope } from './teams.js';

const teams = { s1: [{ id: 't1', name: 'Sales' }], s2: [{ id: 't2', name: 'Support' }] } as Record<
  string,
  { id: string; name: string }[]
>;
const teamsOf = (siteId: string) => teams[siteId];

describe('team scopes', () => {
  it('a team scope names its site and team; a site scope has no team', () => {
    expect(teamScope('s1', 't1')).toBe('s1/t1');
    expect(teamScope('s1', null)).toBe('s1');
    expect([siteOfScope('s1/t1'), teamOfScope('s1/t1')]).toEqual(['s1', 't1']);
    expect([siteOfScope('s1'), teamOfScope('s1')]).toEqual(['s1', null]);
  });

  it('an operator takes their sites and their teams of those sites; stale or foreign team ids are ignored', () => {
    expect(operatorScopes(['s1'], ['t1', 't2', 'gone'], teamsOf)).toEqual(['s1', 's1/t1']);
    expect(operatorScopes(['s1', 's2'], ['t2'], teamsOf)).toEqual(['s1', 's2', 's2/t2']);
  });
});

describe('mergeTeams', () => {
  const current = [
    { id: 'a', name: 'Sales' },
    { id: 'b', name: 'Support' },
  ];
  it('keeps and renames by id, creates without one, drops what is left out, tidies names', () => {
    const next = mergeTeams(current, [{ id: 'b', name: '  Help   desk ' }, { name: 'Returns' }]);
    expect(next[0]).toEqual({ id: 'b', name: 'Help desk' });
    expect(next[1]!.name).toBe('Returns');
    expect(next[1]!.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(next).toHaveLength(2);
  });
  it('refuses two teams with one name (any case), an unknown id and an id given twice', () => {
    expect(() => mergeTeams(current, [{ name: 'Sales' }, { name: 'SALES' }])).toThrow(/two teams called/);
    expect(() => mergeTeams(current, [{ id: 'zzz', name: 'X' }])).toThrow(/Unknown team id/);
    expect(() =>
      mergeTeams(current, [
        { id: 'a', name: 'X' },
        { id: 'a', name: 'Y' },
      ]),
    ).toThrow(/Unknown team id/);
  });
});

describe('checkTeamIds', () => {
  it('accepts teams of the operator’s sites (de-duplicated) and names the first stranger', () => {
    expect(checkTeamIds(['t1', 't1'], ['s1'], teamsOf)).toEqual(['t1']);
    expect(() => checkTeamIds(['t2'], ['s1'], teamsOf)).toThrow(/"t2" is not a team/);
  });
});
