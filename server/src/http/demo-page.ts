const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A small shop page with the one-line install, so a newcomer sees the launcher at once and can follow
 * a chat across pages. The script tag is exactly what a site owner pastes.
 */
export function demoPage(origin: string, siteKey: string, title: string, path: string): string {
  const nav = [
    ['/', 'Home'],
    ['/demo/pricing', 'Pricing'],
    ['/console/', 'Operator console'],
  ]
    .map(([href, label]) => `<a href="${href}"${href === path ? ' aria-current="page"' : ''}>${label}</a>`)
    .join(' · ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · Demo shop</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; color: #1f2933; background: #f7f7f5; }
  header { background: #fff; border-bottom: 1px solid #e4e4e0; padding: 16px 24px; }
  main { max-width: 720px; margin: 32px auto; padding: 0 24px; }
  code { background: #eceae4; padding: 2px 6px; border-radius: 4px; font-size: 14px; }
  nav a { color: #2354d6; }
</style>
</head>
<body>
<header><strong>Demo shop</strong> — ${nav}</header>
<main>
  <h1>${esc(title)}</h1>
  <p>This page is a stand-in for your website. The chat bubble in the corner is Beseda, installed with one tag:</p>
  <p><code>&lt;script src="${esc(origin)}/widget.js" data-site="${esc(siteKey)}" async&gt;&lt;/script&gt;</code></p>
  <p>Open the bubble, write a message, then answer it from the <a href="/console/">operator console</a>.
  Move to another page: the conversation follows you.</p>
</main>
<script src="/widget.js" data-site="${esc(siteKey)}" async></script>
</body>
</html>`;
}
