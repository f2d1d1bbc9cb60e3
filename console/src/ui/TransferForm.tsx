import type { OperatorPresence } from '@beseda/shared/types';
import { useState } from 'preact/hooks';
import { t } from '../i18n/index.js';
import { useConsole, useStore } from './hooks.js';

/** Only online colleagues with a free slot can receive a chat; the server re-checks under a lock. */
function canReceive(op: OperatorPresence): boolean {
  return op.status === 'online' && op.activeChats < op.capacity;
}

/** Hand the open chat to a colleague, with an optional internal note for them. */
export function TransferForm({ conversationId, onClose }: { conversationId: string; onClose: () => void }) {
  const store = useStore();
  const myId = useConsole((s) => s.me?.id ?? null);
  const operators = useConsole((s) => s.operators);
  const others = operators.filter((op) => op.id !== myId);
  const [to, setTo] = useState(() => others.find(canReceive)?.id ?? '');
  const [note, setNote] = useState('');

  return (
    <form
      class="transfer"
      onSubmit={(e) => {
        e.preventDefault();
        if (!to) return;
        store.transfer(conversationId, to, note);
        onClose();
      }}
    >
      <label class="field-inline">
        {t('transfer.to')}
        <select value={to} onChange={(e) => setTo(e.currentTarget.value)} data-testid="transfer-select">
          <option value="" disabled>
            {t(others.some(canReceive) ? 'transfer.choose' : 'transfer.nobody')}
          </option>
          {others.map((op) => (
            <option key={op.id} value={op.id} disabled={!canReceive(op)}>
              {t('transfer.option', {
                name: op.name,
                status: t(`status.${op.status}`),
                active: op.activeChats,
                capacity: op.capacity,
              })}
            </option>
          ))}
        </select>
      </label>
      <input
        type="text"
        class="grow"
        maxLength={2000}
        placeholder={t('transfer.note')}
        aria-label={t('transfer.noteLabel')}
        value={note}
        onInput={(e) => setNote(e.currentTarget.value)}
        data-testid="transfer-note"
      />
      <button type="submit" class="btn primary" disabled={!to} data-testid="transfer-submit">
        {t('transfer.submit')}
      </button>
      <button type="button" class="btn ghost" onClick={onClose}>
        {t('chat.cancel')}
      </button>
    </form>
  );
}
