import type { CannedResponse, InboxItem, InboxList, InboxStatus, SiteSettings } from '@beseda/shared/types';
import type { LocalMemory } from './local-memory.js';
import type { ConsoleEvent, ConsoleState } from './state.js';

/** REST reads the store refreshes after every welcome; optional so tests can leave them out. */
export interface SideData {
  sites(): Promise<SiteSettings[]>;
  canned(): Promise<CannedResponse[]>;
  /** Open offline messages and missed chats of my sites, with the count for the badge. */
  inbox?(): Promise<InboxList>;
  setInboxStatus?(conversationId: string, status: InboxStatus): Promise<InboxItem>;
}

/**
 * The store's REST reads (sites, canned responses, the open inbox). Failures leave the previous values in
 * place: thresholds fall back to defaults, lists stay as they were.
 */
export function sideReloads(
  side: SideData | undefined,
  memory: LocalMemory,
  getState: () => ConsoleState,
  update: (event: ConsoleEvent) => void,
) {
  /** Counts inbox reads: only the latest answer is applied, so a slow older one cannot undo a newer state. */
  let inboxReads = 0;
  return {
    async reloadSites(): Promise<void> {
      if (!side) return;
      const sites = await side.sites().catch(() => null);
      if (sites && getState().me) update({ type: 'ui/sites', sites });
    },
    async reloadInbox(): Promise<void> {
      if (!side?.inbox) return;
      const read = ++inboxReads;
      const list = await side.inbox().catch(() => null);
      if (!list || !getState().me || read !== inboxReads) return;
      update({ type: 'ui/inbox', items: list.items, openCount: list.openCount, read: memory.marked('read') });
    },
    async reloadCanned(): Promise<void> {
      if (!side) return;
      const items = await side.canned().catch(() => null);
      if (items && getState().me) update({ type: 'ui/canned', items });
    },
  };
}
