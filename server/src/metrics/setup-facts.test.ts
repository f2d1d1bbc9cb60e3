import { describe, expect, it } from 'vitest';
import { installedOn } from './setup-facts.js';

describe('installedOn: the newest page on a real website', () => {
  const page = (url: string, at: number) => ({ url, at });

  it('skips this machine and the Beseda server itself, newest real page first', () => {
    const pages = [
      page('http://localhost:3000/test.html', 50),
      page('http://127.0.0.1:8080/', 40),
      page('http://[::1]:8080/', 35),
      page('http://app.localhost/', 33),
      page('https://chat.example.net/demo/pricing', 30),
      page('https://shop.example/cart', 20),
      page('https://shop.example/', 10),
    ];
    expect(installedOn(pages, 'chat.example.net')).toEqual(page('https://shop.example/cart', 20));
    // Without knowing the server's host, its demo page counts like any website.
    expect(installedOn(pages, null)?.url).toBe('https://chat.example.net/demo/pricing');
  });

  it('nothing but local or unparsable pages: not installed', () => {
    expect(installedOn([page('not a url', 1), page('http://localhost/', 2)], 'x.test')).toBeNull();
    expect(installedOn([], null)).toBeNull();
  });

  it('the server host is compared with its port', () => {
    const pages = [page('http://beseda.test:8080/', 2), page('http://beseda.test/', 1)];
    expect(installedOn(pages, 'beseda.test:8080')?.url).toBe('http://beseda.test/');
  });
});
