import type { TranscriptSummary } from '@beseda/shared/types';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.js';
import { formatDateTime, previewText, visitorLabel } from '../format.js';
import { emptyHistoryForm, type HistoryForm, toTranscriptQuery } from '../history-query.js';
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
      if (mine === generation.current) setError(err instanceof Error ? err.message : 'Search failed');
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
      <section class="panel history-search" aria-label="Search transcripts">
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
          {!busy && searched && items.length === 0 && <p class="empty">No transcripts match.</p>}
          {nextBefore !== null && searched && (
            <button
              type="button"
              class="btn wide"
              disabled={busy}
              onClick={() => run(searched, nextBefore)}
              data-testid="history-load-more"
            >
              {busy ? 'Loading…' : 'Load more'}
            </button>
          )}
        </div>
      </section>
      <section class="panel transcript-pane" aria-label="Transcript">
        {transcriptId ? (
          <TranscriptView id={transcriptId} />
        ) : (
          <p class="empty">Select a conversation to read its transcript.</p>
        )}
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
          placeholder="Search messages"
          aria-label="Search messages"
          value={form.q}
          onInput={set('q')}
          data-testid="history-search"
        />
        <div class="grid2">
          <label>
            From
            <input type="date" value={form.from} onInput={set('from')} data-testid="history-from" />
          </label>
          <label>
            To
            <input type="date" value={form.to} onInput={set('to')} data-testid="history-to" />
          </label>
          <label>
            Operator
            <select value={form.operatorId} onChange={set('operatorId')} data-testid="history-operator">
              <option value="">Anyone</option>
              {operators.map((op) => (
                <option key={op.id} value={op.id}>
                  {op.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Visitor
            <input
              type="text"
              placeholder="Name or email"
              value={form.visitor}
              onInput={set('visitor')}
              data-testid="history-visitor"
            />
          </label>
          <label>
            Tag
            <input
              type="text"
              list="history-tags"
              placeholder="Any tag"
              value={form.tag}
              onInput={(e) => {
                set('tag')(e);
                suggestTags(e.currentTarget.value);
              }}
              data-testid="history-tag"
            />
            <datalist id="history-tags">
              {tagOptions.map((t) => (
                <option key={t} value={t} />
              ))}
            </datalist>
          </label>
          <label>
            Rating
            <select value={form.rating} onChange={set('rating')} data-testid="history-rating">
              <option value="">Any</option>
              <option value="good">Good</option>
              <option value="bad">Bad</option>
            </select>
          </label>
          <label>
            Status
            <select value={form.status} onChange={set('status')} data-testid="history-status">
              <option value="">Any</option>
              <option value="ended">Ended</option>
              <option value="missed">Missed</option>
              <option value="offline">Offline message</option>
            </select>
          </label>
        </div>
        <div class="form-actions">
          <button type="button" class="btn ghost" onClick={onReset}>
            Clear
          </button>
          <button type="submit" class="btn primary" disabled={busy} data-testid="history-submit">
            Search
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
            {c.operator?.name ?? 'No operator'} · {item.messageCount} messages
            {c.rating && (
              <span class={`rating rating-${c.rating}`} title={`Rated ${c.rating}`}>
                {` · rated ${c.rating}`}
              </span>
            )}
          </span>
          <span class={`status status-${c.status}`}>{c.status}</span>
        </span>
        {c.tags && c.tags.length > 0 && (
          <span class="tags small">
            {c.tags.map((t) => (
              <span key={t} class="tag">
                {t}
              </span>
            ))}
          </span>
        )}
        {item.snippet && <span class="snippet">{previewText(item.snippet, 140)}</span>}
      </a>
    </li>
  );
}
