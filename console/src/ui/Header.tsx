import type { OperatorStatus } from '@beseda/shared/types';
import { useEffect, useState } from 'preact/hooks';
import type { Route } from '../router.js';
import { totalUnread } from '../state.js';
import { AlertControls } from './AlertControls.js';
import { ConnectionIndicator } from './ConnectionIndicator.js';
import { useConsole, useStore } from './hooks.js';

const STATUS_LABELS: Record<OperatorStatus, string> = { online: 'Online', away: 'Away', offline: 'Offline' };
const MAX_CAPACITY = 50;

export function Header({ route, onLogout }: { route: Route; onLogout: () => void }) {
  const store = useStore();
  const me = useConsole((s) => s.me);
  const unread = useConsole(totalUnread);
  const activeChats = useConsole((s) => Object.keys(s.chats).length);
  const connected = useConsole((s) => s.connection.phase === 'open');

  return (
    <header class="topbar">
      <span class="brand">Beseda</span>
      <nav class="tabs">
        <a href="#/chats" aria-current={route.page === 'chats' ? 'page' : undefined} data-testid="nav-chats">
          Chats
          {unread > 0 && <span class="badge">{unread}</span>}
        </a>
        <a
          href="#/history"
          aria-current={route.page === 'history' ? 'page' : undefined}
          data-testid="nav-history"
        >
          History
        </a>
        <a
          href="#/canned"
          aria-current={route.page === 'canned' ? 'page' : undefined}
          data-testid="nav-canned"
        >
          Canned
        </a>
        {me?.role === 'owner' && (
          <a
            href="#/admin/operators"
            aria-current={route.page === 'admin' ? 'page' : undefined}
            data-testid="nav-admin"
          >
            Admin
          </a>
        )}
        {me?.role === 'owner' && (
          <a
            href="#/dashboards"
            aria-current={route.page === 'dashboards' ? 'page' : undefined}
            data-testid="nav-dashboards"
          >
            Dashboards
          </a>
        )}
      </nav>
      <ConnectionIndicator />
      <span class="spacer" />
      <AlertControls />
      {me && (
        <div class="presence">
          <label class="field-inline">
            <span class={`dot dot-${me.status}`} aria-hidden="true" />
            <span class="sr-only">Status</span>
            <select
              value={me.status}
              disabled={!connected}
              onChange={(e) => store.setStatus(e.currentTarget.value as OperatorStatus, me.capacity)}
              data-testid="presence-select"
            >
              {(Object.keys(STATUS_LABELS) as OperatorStatus[]).map((s) => (
                <option key={s} value={s}>
                  {STATUS_LABELS[s]}
                </option>
              ))}
            </select>
          </label>
          <CapacityInput
            capacity={me.capacity}
            active={activeChats}
            disabled={!connected}
            onCommit={(capacity) => store.setStatus(me.status, capacity, 'capacity')}
          />
          <span class="me-name" title={me.email} data-testid="me-name">
            {me.name}
          </span>
        </div>
      )}
      <button type="button" class="btn ghost" onClick={onLogout} data-testid="logout">
        Sign out
      </button>
    </header>
  );
}

interface CapacityProps {
  capacity: number;
  active: number;
  disabled: boolean;
  onCommit: (capacity: number) => void;
}

/** Edited locally and committed on change (blur or Enter), so typing "12" does not send "1" first. */
function CapacityInput({ capacity, active, disabled, onCommit }: CapacityProps) {
  const [text, setText] = useState(String(capacity));
  useEffect(() => setText(String(capacity)), [capacity]);

  function commit() {
    const n = Number.parseInt(text, 10);
    if (Number.isNaN(n)) return setText(String(capacity));
    const clamped = Math.min(MAX_CAPACITY, Math.max(0, n));
    setText(String(clamped));
    if (clamped !== capacity) onCommit(clamped);
  }

  return (
    <label class="field-inline capacity" title="Maximum chats at once">
      <span>{active} /</span>
      <input
        type="number"
        min={0}
        max={MAX_CAPACITY}
        value={text}
        disabled={disabled}
        onInput={(e) => setText(e.currentTarget.value)}
        onChange={commit}
        data-testid="capacity-input"
      />
      <span>chats</span>
    </label>
  );
}
