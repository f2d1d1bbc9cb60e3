/**
 * The nine host pages of issue #11.3: stylesheets and markup real sites ship that used to break the widget.
 * Each is `head` CSS, `body` markup and optional attributes on <html>; widget-hostile-pages.test.ts puts the
 * widget's script tag on each and compares it with `plain`.
 */
export interface HostilePage {
  name: string;
  head: string;
  body: string;
  htmlAttrs?: string;
}

const LONG = '<div style="height:2400px">Long content</div>';

export const HOSTILE_PAGES: HostilePage[] = [
  { name: 'plain', head: '', body: LONG },
  {
    name: 'bootstrap-like',
    head: `<style>
      *,*::before,*::after{box-sizing:border-box}
      body{margin:0;font-family:system-ui;font-size:1rem;line-height:1.5;color:#212529}
      button{border-radius:.375rem;padding:.375rem .75rem;border:1px solid #0d6efd;background:#0d6efd;color:#fff;font-size:1rem}
      svg{vertical-align:middle;overflow:hidden}
      [hidden]{display:none!important}
      .fixed-bottom{position:fixed;right:0;bottom:0;left:0;z-index:1030;background:#343a40;color:#fff;padding:8px}
    </style>`,
    body: `${LONG}<div class="fixed-bottom">We use cookies <button>OK</button></div>`,
  },
  {
    name: 'tailwind-flex-body',
    head: `<style>
      *,::before,::after{box-sizing:border-box;border-width:0;border-style:solid;border-color:#e5e7eb}
      html{line-height:1.5;-webkit-text-size-adjust:100%;font-family:ui-sans-serif,system-ui}
      body{margin:0;line-height:inherit;display:flex;flex-direction:column;gap:24px;min-height:100vh}
      button{font-family:inherit;font-size:100%;line-height:inherit;color:inherit;margin:0;padding:0;background-color:transparent;background-image:none;cursor:pointer}
      img,svg,video{display:block;vertical-align:middle;max-width:100%;height:auto}
    </style>`,
    body: LONG,
  },
  { name: 'all-unset', head: '<style>* { all: unset !important; }</style>', body: LONG },
  { name: 'root-font-8px', head: '<style>html { font-size: 8px; }</style>', body: LONG },
  { name: 'body-zoom', head: '<style>body { zoom: 1.5; }</style>', body: LONG },
  { name: 'body-transform', head: '<style>body { transform: translateX(0); }</style>', body: LONG },
  {
    name: 'max-z-index-bar',
    head: `<style>.bar{position:fixed;right:0;bottom:0;left:0;height:120px;z-index:2147483647;background:#222;color:#fff;padding:16px}</style>`,
    body: `${LONG}<div class="bar">A bar at the maximum z-index</div>`,
  },
  { name: 'rtl', head: '', body: LONG, htmlAttrs: 'dir="rtl"' },
];
