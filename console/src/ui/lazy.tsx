import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/**
 * Code-split a component without preact/compat: the chunk is fetched on first render, and a failed
 * fetch (e.g. a deploy replaced the chunk) can be retried instead of leaving a blank page.
 */
export function lazyComponent<P extends object>(load: () => Promise<{ default: ComponentType<P> }>) {
  let loaded: ComponentType<P> | null = null;
  let loading: Promise<ComponentType<P>> | null = null;

  return function Lazy(props: P) {
    const [, setReady] = useState(0);
    const [failed, setFailed] = useState(false);
    const [attempt, setAttempt] = useState(0);

    useEffect(() => {
      if (loaded) return;
      loading ??= load().then((m) => {
        loaded = m.default;
        return m.default;
      });
      loading.then(
        () => setReady((n) => n + 1),
        () => {
          loading = null;
          setFailed(true);
        },
      );
    }, [attempt]);

    if (loaded) {
      const Component = loaded;
      return <Component {...props} />;
    }
    if (failed) {
      return (
        <p class="empty" role="alert">
          Could not load this page.{' '}
          <button
            type="button"
            class="link"
            onClick={() => {
              setFailed(false);
              setAttempt((n) => n + 1);
            }}
          >
            Try again
          </button>
        </p>
      );
    }
    return <p class="empty">Loading…</p>;
  };
}
