/**
 * The chat UI's CSS, injected into the shadow root only. Host rules cannot select anything in here; what
 * still leaks is inheritance through the host, which the loader's `:host{all:initial!important}` cuts.
 * So every element gets explicit values (the `.p *` reset) instead of trusting inherited or UA defaults,
 * and `--c` / `--f` (site colour, text on it) come from custom properties set on the host.
 * One rule per line, no spaces: this string ships as is.
 */
export const CSS = `
.p{all:initial;position:fixed;z-index:2147483001;bottom:88px;right:20px;width:370px;height:min(620px,calc(100vh - 108px));display:flex;flex-direction:column;overflow:hidden;background:#fff;color:#1f2328;border-radius:14px;box-shadow:0 12px 40px rgba(0,0,0,.22);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;text-align:left;direction:ltr;-webkit-font-smoothing:antialiased}
:host([data-pos=left]) .p{left:20px;right:auto}
.p[hidden]{display:none}
.p *{box-sizing:border-box;margin:0;padding:0;border:0;background:none;font:inherit;color:inherit;text-decoration:none;list-style:none;min-width:0}
.p button{cursor:pointer;text-align:center;user-select:none}
.p strong{font-weight:600}
.p button:disabled{cursor:default;opacity:.45}
.p :focus-visible{outline:2px solid var(--c,#2563eb);outline-offset:2px}
.p svg{display:block;fill:currentColor}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.h{flex:none;display:flex;align-items:center;gap:4px;padding:12px 8px 12px 16px;background:var(--c,#2563eb);color:var(--f,#fff)}
.ht{flex:1;min-width:0}
.p .av{flex:none;width:32px;height:32px;margin-right:6px;border-radius:50%;background:rgba(255,255,255,.25);display:flex;align-items:center;justify-content:center;font-weight:600}
.hn{display:block;font-size:16px;font-weight:600;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.hs{display:block;font-size:12px;overflow-wrap:anywhere}
.p .hb{flex:none;display:flex;align-items:center;justify-content:center;height:34px;min-width:34px;padding:0 8px;border-radius:8px;font-size:13px}
.p .hb:hover{background:rgba(127,127,127,.25)}
.p .h :focus-visible{outline-color:currentColor}
.hb svg{width:20px;height:20px}
.st{flex:none;padding:6px 12px;font-size:12px;text-align:center;background:#fff4ce;color:#5c4400;animation:bs-late 0s .8s backwards}
.p .er{background:#fde7e9;color:#8a1c1c;animation:none}
@keyframes bs-late{from{max-height:0;padding-top:0;padding-bottom:0;opacity:0}}
.q{flex:none;display:flex;flex-direction:column;align-items:center;gap:2px;padding:8px 12px;font-size:13px;text-align:center;background:#eef4ff;color:#1e3a8a}
.qh{display:block;font-weight:600}
.qr{display:block;font-size:12px}
.m{flex:1;overflow-y:auto;overscroll-behavior:contain;padding:16px 12px 8px;display:flex;flex-direction:column;gap:3px}
.ml{display:flex;flex-direction:column;gap:3px}
.g{display:flex;flex-direction:column;max-width:82%}
.v{align-self:flex-end;align-items:flex-end}
.o{align-self:flex-start;align-items:flex-start}
.y{align-self:center;align-items:center;max-width:92%;text-align:center}
.n{font-size:12px;color:#57606a;margin:8px 4px 2px}
.b{padding:8px 12px;border-radius:16px;white-space:pre-wrap;overflow-wrap:anywhere}
.p .v .b{background:var(--c,#2563eb);color:var(--f,#fff);border-bottom-right-radius:4px}
.p .o .b{background:#f0f2f5;color:#1f2328;border-bottom-left-radius:4px}
.p .y .b{color:#57606a;font-size:12px;padding:6px 8px}
.p .f .b{background:#fde7e9;color:#8a1c1c}
.k{display:flex;gap:6px;font-size:11px;color:#57606a;margin:2px 4px 4px}
.p .lk{text-decoration:underline}
.ty{align-self:flex-start;font-size:12px;color:#57606a;padding:4px}
.e{flex:none;display:flex;flex-direction:column;align-items:center;gap:10px;padding:14px 12px;border-top:1px solid #e5e7eb;text-align:center;max-height:60%;overflow-y:auto}
.et{font-weight:600}
.rt{display:flex;align-items:center;gap:8px;font-size:13px}
.p .rb{display:flex;align-items:center;justify-content:center;width:36px;height:36px;border:1px solid #d0d7de;border-radius:50%;color:#57606a}
.rb svg{width:18px;height:18px}
.p .rb[aria-pressed=true]{background:var(--c,#2563eb);color:var(--f,#fff);border-color:var(--c,#2563eb)}
.dn svg{transform:rotate(180deg)}
.p .rb:hover{background:#f6f8fa}
.p .pb{padding:9px 18px;border-radius:999px;background:var(--c,#2563eb);color:var(--f,#fff);font-weight:600}
.c{flex:none;display:flex;flex-wrap:wrap;align-items:flex-end;gap:6px;padding:8px;border-top:1px solid #e5e7eb}
.pv{flex-basis:100%;font-size:12px;color:#57606a;padding:0 4px}
.tb{flex:none;padding:8px 8px 0;border-top:1px solid #e5e7eb}
.tb .fd{flex-direction:row;align-items:center;gap:8px}
.tb .fl{align-self:auto}
.p .tb .fi{flex:1;padding:5px 8px}
.tb+.c{border-top:0}
.fm{display:flex;flex-direction:column;gap:10px;padding:4px 2px 8px}
.fd{display:flex;flex-direction:column;gap:4px}
.fl{display:flex;flex-direction:column;gap:4px;font-size:13px;font-weight:600;text-align:left;align-self:stretch}
.p .fi{display:block;width:100%;font-size:16px;padding:8px 10px;border:1px solid #8c959f;border-radius:8px;background:#fff;font-weight:400;resize:vertical}
.p select.fi{appearance:auto;-webkit-appearance:menulist}
.p .fi[aria-invalid=true]{border-color:#b42318}
.fe{font-size:12px;color:#b42318}
.ft{font-size:13px}
.ok{align-items:center;text-align:center;padding-top:24px}
.p .ck{width:44px;height:44px;color:#1a7f37}
.ok .ft{font-weight:600}
.p .qt{align-self:stretch;background:#f0f2f5;text-align:left;max-height:140px;overflow:auto}
.cm{display:flex;flex-direction:column;align-items:center;gap:8px;align-self:stretch}
.p .sm{padding:6px 14px;font-size:13px}
.fm .pb{align-self:flex-start}
.ok .pb{align-self:center}
.p .i{flex:1;display:block;resize:none;height:40px;max-height:120px;padding:9px 12px;border-radius:10px;background:#f6f8fa;font-size:16px;line-height:22px;overflow-y:auto;white-space:pre-wrap}
.i::placeholder{color:#6e7781;opacity:1}
.p .sb{flex:none;display:flex;align-items:center;justify-content:center;width:40px;height:40px;border-radius:50%;color:var(--c,#2563eb)}
.sb svg{width:22px;height:22px}
.l .x{display:none}
.l[aria-expanded=true]{width:56px;padding:0;border-radius:50%}
.l[aria-expanded=true] .t{display:none}
.t:empty{display:none}
.l[aria-expanded=true] .x{display:block}
.l[aria-expanded=true] svg:not(.x){display:none}
.bd{position:absolute;top:-3px;right:-3px;min-width:20px;height:20px;padding:0 6px;border-radius:10px;background:#e11d48;color:#fff;font:600 12px/20px system-ui,sans-serif;text-align:center}
.bd[hidden]{display:none}
@media (max-width:479.98px),(max-height:479.98px){.p{inset:var(--vt,0) 0 auto 0!important;width:auto!important;height:var(--vh,100%)!important;max-height:none!important;border-radius:0!important}.l[aria-expanded=true]{display:none}}
@media (prefers-reduced-motion:reduce){.p *{animation:none!important}}
`;
