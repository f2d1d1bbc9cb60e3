import type { TranscriptSummary } from '@beseda/shared/types';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.js';
import { formatDateTime, previewText, visitorLabel } from '../format.js';
import { emptyHistoryForm, type HistoryForm, toTranscriptQuery } from '../history-query.js';
import { t } from '../i18n/index.js';
import { routeHref } from '../router.js';
import { useConsole } from './hooks.js';
import { TranscriptView } from './TranscriptView.js';

/** Lazy-loaded: transcript search on the left, the selected transcript on the right. */
export default function HistoryPage({ transcriptId }: { transcriptId: string | null }) {
  const [form, setForm] = useState<HistoryForm>(emptyHistoryForm);
  const [items, setItems] = useState<TranscriptSummary[]>([]);
  const [nextBefore, setNextBefore] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [searched, setSearched] = useState<HistoryForm | null>(null);
  // Answers to an older search must not overwrite a newer one.
  const generation = useRef(0);

  async function run(criteria: HistoryForm, before?: number) {
    const mine = ++generation.current;
    setBusy(true);
    setError(null);
    try {
      const list = await api.transcripts(toTranscriptQuery(criteria, before));
      if (mine !== generation.current) return;
      setItems((prev) => (before === undefined ? list.items : [...prev, ...list.items]));
      setNextBefore(list.nextBefore);
      setSearched(criteria);
    } catch (err) {
      if (mine === generation.current)
        setError(err instanceof Error ? err.message : t('history.searchFailed'));
    } finally {
      if (mine === generation.current) setBusy(false);
    }
  }

  // Most recent conversations first, before any filter is typed.
  useEffect(() => {
    void run(emptyHistoryForm);
  }, []);

  return (
    <div class="history">
      <section class="panel history-search" aria-label={t('history.searchLabel')}>
        <SearchForm
          form={form}
          busy={busy}
          onChange={setForm}
          onSubmit={() => run(form)}
          onReset={() => {
            setForm(emptyHistoryForm);
            void run(emptyHistoryForm);
          }}
        />
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
        <div class="results-scroll">
          <ul class="results" data-testid="history-results" aria-busy={busy}>
            {items.map((item) => (
              <ResultRow
                key={item.conversation.id}
                item={item}
                selected={item.conversation.id === transcriptId}
              />
            ))}
          </ul>
          {!busy && searched && items.length === 0 && <p class="empty">{t('history.none')}</p>}
          {nextBefore !== null && searched && (
            <button
              type="button"
              class="btn wide"
              disabled={busy}
              onClick={() => run(searched, nextBefore)}
              data-testid="history-load-more"
            >
              {busy ? t('app.loading') : t('history.loadMore')}
            </button>
          )}
        </div>
      </section>
      <section class="panel transcript-pane" aria-label={t('history.transcript')}>
        {transcriptId ? <TranscriptView id={transcriptId} /> : <p class="empty">{t('history.select')}</p>}
      </section>
    </div>
  );
}

interface FormProps {
  form: HistoryForm;
  busy: boolean;
  onChange: (form: HistoryForm) => void;
  onSubmit: () => void;
  onReset: () => void;
}

function SearchForm({ form, busy, onChange, onSubmit, onReset }: FormProps) {
  const operators = useConsole((s) => s.operators);
  const [tagOptions, setTagOptions] = useState<string[]>([]);
  const set = (key: keyof HistoryForm) => (e: { currentTarget: { value: string } }) =>
    onChange({ ...form, [key]: e.currentTarget.value });
  const suggestTags = (prefix: string) => {
    api.tags(prefix.trim().toLowerCase()).then(setTagOptions, () => undefined);
  };

  return (
    <search>
      <form
        class="search-form"
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit();
        }}
      >
        <input
          type="search"
          placeholder={t('history.searchMessages')}
          aria-label={t('history.searchMessages')}
          aria-keyshortcuts="Alt+S"
          value={form.q}
          onInput={set('q')}
          data-testid="history-search"
        />
        <div class="grid2">
          <label>
            {t('history.from')}
            <input type="date" value={form.from} onInput={set('from')} data-testid="history-from" />
          </label>
          <label>
            {t('history.to')}
            <input type="date" value={form.to} onInput={set('to')} data-testid="history-to" />
          </label>
          <label>
            {t('history.operator')}
            <select value={form.operatorId} onChange={set('operatorId')} data-testid="history-operator">
              <option value="">{t('history.anyone')}</option>
              {operators.map((op) => (
                <option key={op.id} value={op.id}>
                  {op.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('history.visitor')}
            <input
              type="text"
              placeholder={t('history.visitorPlaceholder')}
              value={form.visitor}
              onInput={set('visitor')}
              data-testid="history-visitor"
            />
          </label>
          <label>
            {t('history.tag')}
            <input
              type="text"
              list="history-tags"
              placeholder={t('history.anyTag')}
              value={form.tag}
              onInput={(e) => {
                set('tag')(e);
                suggestTags(e.currentTarget.value);
              }}
              data-testid="history-tag"
            />
            <datalist id="history-tags">
              {tagOptions.map((tag) => (
                <option key={tag} value={tag} />
              ))}
            </datalist>
          </label>
          <label>
            {t('history.rating')}
            <select value={form.rating} onChange={set('rating')} data-testid="history-rating">
              <option value="">{t('history.any')}</option>
              <option value="good">{t('history.good')}</option>
              <option value="bad">{t('history.bad')}</option>
            </select>
          </label>
          <label>
            {t('history.status')}
            <select value={form.status} onChange={set('status')} data-testid="history-status">
              <option value="">{t('history.any')}</option>
              <option value="ended">{t('history.ended')}</option>
              <option value="missed">{t('history.missed')}</option>
              <option value="offline">{t('history.offlineMessage')}</option>
            </select>
          </label>
        </div>
        <div class="form-actions">
          <button type="button" class="btn ghost" onClick={onReset}>
            {t('history.clear')}
          </button>
          <button type="submit" class="btn primary" disabled={busy} data-testid="history-submit">
            {t('history.search')}
          </button>
        </div>
      </form>
    </search>
  );
}

function ResultRow({ item, selected }: { item: TranscriptSummary; selected: boolean }) {
  const c = item.conversation;
  return (
    <li>
      <a
        class={`result${selected ? ' selected' : ''}`}
        href={routeHref({ page: 'history', transcriptId: c.id })}
        aria-current={selected ? 'true' : undefined}
        data-testid="history-result"
        data-conversation-id={c.id}
      >
        <span class="row">
          <span class="name">{visitorLabel(c.visitorName, c.visitorId)}</span>
          <span class="muted">{formatDateTime(c.createdAt)}</span>
        </span>
        <span class="row">
          <span class="muted">
            {c.operator?.name ?? t('history.noOperator')} ·{' '}
            {t('history.messages', { count: item.messageCount })}
            {c.rating && (
              <span class={`rating rating-${c.rating}`}>
                {` · ${t('history.rated', { rating: t(`rating.${c.rating}`) })}`}
              </span>
            )}
          </span>
          <span class={`status status-${c.status}`}>{t(`conversation.status.${c.status}`)}</span>
        </span>
        {c.tags && c.tags.length > 0 && (
          <span class="tags small">
            {c.tags.map((tag) => (
              <span key={tag} class="tag">
                {tag}
              </span>
            ))}
          </span>
        )}
        {item.snippet && <span class="snippet">{previewText(item.snippet, 140)}</span>}
      </a>
    </li>
  );
}
