import { describe, expect, it } from 'vitest';
import { redactUrl } from './logging.js';

describe('redactUrl', () => {
  it('hides credentials in the query and keeps everything else', () => {
    expect(redactUrl('/ws/visitor?site=demo&vid=v1&token=s3cret')).toBe(
      '/ws/visitor?site=demo&vid=v1&token=***',
    );
    expect(redactUrl('/x?signature=abc&Password=p&key=k')).toBe('/x?signature=***&Password=***&key=***');
    expect(redactUrl('/api/transcripts?q=parcel')).toBe('/api/transcripts?q=parcel');
    expect(redactUrl('/healthz')).toBe('/healthz');
  });
});
