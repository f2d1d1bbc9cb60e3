import type { OperatorPresence } from '@beseda/shared/types';
import { useState } from 'preact/hooks';
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
        To
        <select value={to} onChange={(e) => setTo(e.currentTarget.value)} data-testid="transfer-select">
          <option value="" disabled>
            {others.some(canReceive) ? 'Choose a colleague' : 'Nobody is available'}
          </option>
          {others.map((op) => (
            <option key={op.id} value={op.id} disabled={!canReceive(op)}>
              {op.name} ({op.status}, {op.activeChats}/{op.capacity})
            </option>
          ))}
        </select>
      </label>
      <input
        type="text"
        class="grow"
        maxLength={2000}
        placeholder="Note for your colleague (optional, internal)"
        aria-label="Transfer note"
        value={note}
        onInput={(e) => setNote(e.currentTarget.value)}
        data-testid="transfer-note"
      />
      <button type="submit" class="btn primary" disabled={!to} data-testid="transfer-submit">
        Transfer
      </button>
      <button type="button" class="btn ghost" onClick={onClose}>
        Cancel
      </button>
    </form>
  );
}
