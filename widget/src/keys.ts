/**
 * Every localStorage key the widget uses, in one place. Keys are namespaced by site key so two sites
 * embedded on one origin (or a staging and a live key) never read each other's identity or chat.
 * Every tab of the site shares them; the `storage` event keeps open tabs in step (see chat/tab-sync.ts).
 *
 * vid, token  visitor identity, made by the widget before its first socket (confirmed by `welcome`)
 * fresh       '1' while that identity is not confirmed yet: the upgrade says `new=1`
 * chat        the shown conversation: id, view, last seq seen (resume cursor) and its cached messages
 * outbox      messages written but not yet acknowledged by the server
 * open        '1' while the panel is open, so it reopens after a navigation
 * look        `color|foreground|position|launcher text` from the site config, so the launcher paints right at once
 * ident       who the visitor is (JS API identify/setAttributes, pre-chat form) and whether the server has it
 * offline     the leave-a-message form: unsent (retried until acked), then its confirmation
 * mute        '1' when the visitor turned notification sounds off
 * beep        `conversationId:seq` of the last message a tab played a sound for (one sound across tabs)
 * team        the team (department) a new chat is for: the visitor's pick or the host page's `setTeam`
 */
export type StorageName =
  | 'vid'
  | 'token'
  | 'fresh'
  | 'chat'
  | 'outbox'
  | 'open'
  | 'look'
  | 'ident'
  | 'offline'
  | 'mute'
  | 'beep'
  | 'team';

export const storageKey = (site: string, name: StorageName): string => `beseda:${site}:${name}`;
