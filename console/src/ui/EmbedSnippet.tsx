import { useEffect, useRef, useState } from 'preact/hooks';
import { api, errorText, type WidgetEmbed } from '../api.js';

type Load = { phase: 'loading' } | { phase: 'ready'; embed: WidgetEmbed } | { phase: 'error'; text: string };

/**
 * The snippet an owner pastes into their pages: exactly what the server says (script URL with its SRI
 * hash), read-only, with a copy button. Nothing is built here, so the snippet cannot drift from the
 * widget that is actually served.
 */
export function EmbedSnippet({ siteKey }: { siteKey: string }) {
  const [load, setLoad] = useState<Load>({ phase: 'loading' });
  const [copied, setCopied] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    let current = true;
    setLoad({ phase: 'loading' });
    setCopied(false);
    api.widgetEmbed(siteKey).then(
      (embed) => current && setLoad({ phase: 'ready', embed }),
      (err: unknown) =>
        current && setLoad({ phase: 'error', text: errorText(err, 'Could not load the embed snippet') }),
    );
    return () => {
      current = false;
    };
  }, [siteKey]);

  async function copy(html: string) {
    try {
      await navigator.clipboard.writeText(html);
    } catch {
      // Clipboard API refused (no permission, plain http): select the text so Ctrl+C works.
      area.current?.select();
      return;
    }
    setCopied(true);
  }

  return (
    <fieldset data-testid="embed-snippet">
      <legend>Embed on your website</legend>
      {load.phase === 'loading' && <p class="muted">Loading…</p>}
      {load.phase === 'error' && (
        <p class="form-error" role="alert" data-testid="embed-error">
          {load.text}
        </p>
      )}
      {load.phase === 'ready' && (
        <>
          <p class="muted">
            Paste this before <code>&lt;/body&gt;</code> on every page that should show the chat. The{' '}
            <code>integrity</code> hash makes browsers refuse a modified script.
          </p>
          <textarea
            ref={area}
            class="snippet-code"
            readOnly
            rows={4}
            value={load.embed.html}
            aria-label="Embed snippet"
            onFocus={(e) => e.currentTarget.select()}
            data-testid="embed-html"
          />
          <div class="row-actions">
            <button
              type="button"
              class="btn small primary"
              onClick={() => void copy(load.embed.html)}
              data-testid="embed-copy"
            >
              Copy snippet
            </button>
            <span class="ok-text" role="status" data-testid="embed-copied">
              {copied ? 'Copied to the clipboard.' : ''}
            </span>
          </div>
        </>
      )}
    </fieldset>
  );
}
