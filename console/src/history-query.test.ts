import { describe, expect, it } from 'vitest';
import { transcriptSearch } from './api.js';
import {
  emptyHistoryForm,
  exportHref,
  HISTORY_PAGE_SIZE,
  startOfDay,
  toTranscriptQuery,
} from './history-query.js';

describe('history search query', () => {
  it('sends only the filters that are filled in', () => {
    expect(toTranscriptQuery(emptyHistoryForm)).toEqual({ limit: HISTORY_PAGE_SIZE });
    expect(
      toTranscriptQuery({ ...emptyHistoryForm, q: '  refund ', visitor: ' eve@x.org', operatorId: 'op-2' }),
    ).toEqual({
      limit: HISTORY_PAGE_SIZE,
      q: 'refund',
      visitor: 'eve@x.org',
      operatorId: 'op-2',
    });
  });

  it('makes the date range inclusive of the whole last day, in local time', () => {
    const query = toTranscriptQuery({ ...emptyHistoryForm, from: '2024-05-01', to: '2024-05-03' });
    expect(query.from).toBe(new Date(2024, 4, 1).getTime());
    expect(query.to).toBe(new Date(2024, 4, 4).getTime() - 1);
  });

  it('ignores malformed dates', () => {
    expect(startOfDay('')).toBeNull();
    expect(startOfDay('05/01/2024')).toBeNull();
  });

  it('pages with the cursor', () => {
    expect(toTranscriptQuery(emptyHistoryForm, 123).before).toBe(123);
  });

  it('builds the query string without empty values', () => {
    expect(transcriptSearch({ limit: 50, q: 'a b', before: 7 })).toBe('?limit=50&q=a+b&before=7');
    expect(transcriptSearch({})).toBe('');
  });

  it('filters by tag, rating and status (offline messages included)', () => {
    expect(
      toTranscriptQuery({ ...emptyHistoryForm, tag: ' Billing ', rating: 'bad', status: 'offline' }),
    ).toEqual({ limit: HISTORY_PAGE_SIZE, tag: 'billing', rating: 'bad', status: 'offline' });
  });

  it('links to the export of one transcript', () => {
    expect(exportHref('c/1', 'txt')).toBe('/api/transcripts/c%2F1/export?format=txt');
    expect(exportHref('c1', 'json')).toBe('/api/transcripts/c1/export?format=json');
  });
});
