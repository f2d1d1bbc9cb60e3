/**
 * Puts CSS into a shadow root only. Constructed stylesheets are preferred because a host page with a
 * strict Content-Security-Policy (no 'unsafe-inline' styles) blocks <style> elements but not them;
 * the <style> fallback keeps Safari < 16.4 working.
 */
export function addStyles(root: ShadowRoot, css: string): void {
  if ('adoptedStyleSheets' in root && 'replaceSync' in CSSStyleSheet.prototype) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  } else {
    const style = document.createElement('style');
    style.textContent = css;
    root.prepend(style);
  }
}
