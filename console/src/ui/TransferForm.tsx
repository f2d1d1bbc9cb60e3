import type { OperatorPresence } from '@beseda/shared/types';
import { useState } from 'preact/hooks';
import { t } from '../i18n/index.js';
import { parseTarget, targetValue } from '../teams.js';
import { useConsole, useStore } from './hooks.js';

/** Only online colleagues with a free slot can receive a chat; the server re-checks under a lock. */
function canReceive(op: OperatorPresence): boolean {
  return op.status === 'online' && op.activeChats < op.capacity;
}

/**
 * Hand the open chat to a colleague, or send it back to a queue of its site: one of its teams or the whole
 * site's (it then waits at the front of that queue for the next free operator). An optional internal note
 * goes with it. One native select, so it is keyboard-operable like the rest of the form.
 */
export function TransferForm({ conversationId, onClose }: { conversationId: string; onClose: () => void }) {
  const store = useStore();
  const myId = useConsole((s) => s.me?.id ?? null);
  const operators = useConsole((s) => s.operators);
  const siteId = useConsole((s) => s.chats[conversationId]?.conversation.siteId ?? null);
  const currentTeam = useConsole((s) => s.chats[conversationId]?.conversation.teamId ?? null);
  const site = useConsole((s) => (siteId ? s.sites[siteId] : undefined));
  const others = operators.filter((op) => op.id !== myId);
  const teams = site?.teams ?? [];
  // The queue the chat is routed through already is no target (the server refuses it).
  const otherTeams = teams.filter((team) => team.id !== currentTeam);
  const [to, setTo] = useState(() => {
    const free = others.find(canReceive);
    return free ? targetValue({ operatorId: free.id }) : '';
  });
  const [note, setNote] = useState('');
  const target = parseTarget(to);
  const chosenTeam =
    target && 'teamId' in target ? teams.find((team) => team.id === target.teamId) : undefined;
  const hint =
    target && 'teamId' in target
      ? chosenTeam
        ? t('transfer.teamHint', { name: chosenTeam.name })
        : t('transfer.siteHint')
      : null;

  return (
    <form
      class="transfer"
      onSubmit={(e) => {
        e.preventDefault();
        if (!target) return;
        store.transfer(conversationId, target, note);
        onClose();
      }}
      data-testid="transfer-form"
    >
      <label class="field-inline">
        {t('transfer.to')}
        <select
          value={to}
          onChange={(e) => setTo(e.currentTarget.value)}
          aria-describedby={hint ? 'transfer-hint' : undefined}
          data-testid="transfer-select"
        >
          <option value="" disabled>
            {teams.length > 0
              ? t('transfer.chooseAny')
              : t(others.some(canReceive) ? 'transfer.choose' : 'transfer.nobody')}
          </option>
          {others.length > 0 && (
            <optgroup label={t('transfer.colleagues')}>
              {others.map((op) => (
                <option key={op.id} value={targetValue({ operatorId: op.id })} disabled={!canReceive(op)}>
                  {t('transfer.option', {
                    name: op.name,
                    status: t(`status.${op.status}`),
                    active: op.activeChats,
                    capacity: op.capacity,
                  })}
                </option>
              ))}
            </optgroup>
          )}
          {teams.length > 0 && (
            <optgroup label={t('transfer.queues')} data-testid="transfer-queues">
              {otherTeams.map((team) => (
                <option key={team.id} value={targetValue({ teamId: team.id })}>
                  {t('transfer.teamOption', { name: team.name })}
                </option>
              ))}
              {currentTeam !== null && (
                <option value={targetValue({ teamId: null })}>
                  {t('transfer.wholeSite', { site: site?.name ?? '' })}
                </option>
              )}
            </optgroup>
          )}
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
      <button type="submit" class="btn primary" disabled={!target} data-testid="transfer-submit">
        {t('transfer.submit')}
      </button>
      <button type="button" class="btn ghost" onClick={onClose}>
        {t('chat.cancel')}
      </button>
      {hint && (
        <p class="hint transfer-hint" id="transfer-hint" data-testid="transfer-hint">
          {hint}
        </p>
      )}
    </form>
  );
}
