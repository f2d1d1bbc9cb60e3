import { CannedManager } from './CannedManager.js';

/** Lazy-loaded #/canned: the operator's own canned responses (and, for owners, the shared ones). */
export default function CannedPage() {
  return (
    <div class="settings-page">
      <header class="settings-head">
        <h1>Canned responses</h1>
        <p class="muted">
          Type / in a reply to insert one. Personal ones are yours alone; shared ones are managed by owners.
        </p>
      </header>
      <CannedManager scope="all" />
    </div>
  );
}
