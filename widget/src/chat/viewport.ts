/**
 * On a phone the panel fills the screen; with the on-screen keyboard up, the layout viewport stays tall
 * while the visible part shrinks, so a panel sized by `100%` would hide its composer under the keyboard.
 * `visualViewport` says what is visible: its height and offset go to the host as `--vh` / `--vt`, which
 * the small-screen rule in styles.ts uses. Without the API the CSS falls back to the full height.
 */
export function fitViewport(
  host: HTMLElement,
  vv: VisualViewport | null = window.visualViewport ?? null,
): void {
  if (!vv) return;
  const fit = () => {
    host.style.setProperty('--vh', `${Math.round(vv.height)}px`);
    host.style.setProperty('--vt', `${Math.round(vv.offsetTop)}px`);
  };
  vv.addEventListener('resize', fit);
  vv.addEventListener('scroll', fit);
  fit();
}
