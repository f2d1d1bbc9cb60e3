import type { ConversationView } from '@beseda/shared/types';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.js';
import { t } from '../i18n/index.js';
import { addTags, MAX_TAGS, normalizeTag, removeTag, tagSuggestions } from '../tags.js';
import { useConsole, useStore } from './hooks.js';

/** How long typing pauses before the tag suggestions are fetched. */
const SUGGEST_DEBOUNCE_MS = 150;

/**
 * The conversation's tags as chips, plus an input that suggests tags already in use (most used first).
 * Changes go to the server as a `tags` frame; the chips show what the server's `chat` frame says, so a
 * colleague's change appears the same way as ours.
 */
export function TagEditor({ conversation }: { conversation: ConversationView }) {
  const store = useStore();
  const connected = useConsole((s) => s.connection.phase === 'open');
  const tags = conversation.tags ?? [];
  const [text, setText] = useState('');
  const [found, setFound] = useState<string[]>([]);
  const listId = `tag-suggestions-${conversation.id}`;
  const latest = useRef(0);

  useEffect(() => {
    setText('');
    setFound([]);
  }, [conversation.id]);

  function suggest(prefix: string) {
    const mine = ++latest.current;
    setTimeout(() => {
      if (mine !== latest.current) return;
      api.tags(normalizeTag(prefix)).then(
        (list) => mine === latest.current && setFound(list),
        () => undefined, // suggestions are a convenience: without them the input still works
      );
    }, SUGGEST_DEBOUNCE_MS);
  }

  function commit(raw: string) {
    const next = addTags(tags, raw);
    setText('');
    if (next !== tags) store.setTags(conversation.id, next);
  }

  const suggestions = tagSuggestions(found, tags);
  return (
    <div class="tags-bar" data-testid="tags-bar">
      <span class="tags-label" id={`tags-label-${conversation.id}`}>
        {t('tags.label')}
      </span>
      <ul class="tags" aria-labelledby={`tags-label-${conversation.id}`}>
        {tags.map((tag) => (
          <li key={tag} class="tag" data-testid="tag">
            {tag}
            <button
              type="button"
              class="tag-remove"
              aria-label={t('tags.remove', { tag })}
              disabled={!connected}
              onClick={() => store.setTags(conversation.id, removeTag(tags, tag))}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      {tags.length < MAX_TAGS && (
        <form
          class="tag-form"
          onSubmit={(e) => {
            e.preventDefault();
            commit(text);
          }}
        >
          <input
            type="text"
            list={listId}
            value={text}
            maxLength={200}
            placeholder={t('tags.add')}
            aria-label={t('tags.add')}
            aria-keyshortcuts="Alt+G"
            disabled={!connected}
            onFocus={() => suggest(text)}
            onInput={(e) => {
              const value = e.currentTarget.value;
              // Picking a suggestion from the list replaces the text: take it at once.
              const picked = (e as unknown as InputEvent).inputType === 'insertReplacementText';
              if (picked && found.includes(value)) return commit(value);
              setText(value);
              suggest(value);
            }}
            data-testid="tag-input"
          />
          <datalist id={listId}>
            {suggestions.map((tag) => (
              <option key={tag} value={tag} />
            ))}
          </datalist>
        </form>
      )}
    </div>
  );
}
