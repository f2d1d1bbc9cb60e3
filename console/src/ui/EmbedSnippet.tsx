import { useEffect, useRef, useState } from 'preact/hooks';
import { api, errorText, type WidgetEmbed } from '../api.js';
import { t } from '../i18n/index.js';

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
      (err: unknown) => current && setLoad({ phase: 'error', text: errorText(err, t('embed.loadFailed')) }),
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
      <legend>{t('embed.title')}</legend>
      {load.phase === 'loading' && <p class="muted">{t('app.loading')}</p>}
      {load.phase === 'error' && (
        <p class="form-error" role="alert" data-testid="embed-error">
          {load.text}
        </p>
      )}
      {load.phase === 'ready' && (
        <>
          <p class="muted">
            {t('embed.howBefore')} <code>&lt;/body&gt;</code> {t('embed.howAfter')} <code>integrity</code>{' '}
            {t('embed.howEnd')}
          </p>
          <textarea
            ref={area}
            class="snippet-code"
            readOnly
            rows={4}
            value={load.embed.html}
            aria-label={t('embed.label')}
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
              {t('embed.copy')}
            </button>
            <span class="ok-text" role="status" data-testid="embed-copied">
              {copied ? t('embed.copied') : ''}
            </span>
          </div>
        </>
      )}
    </fieldset>
  );
}
