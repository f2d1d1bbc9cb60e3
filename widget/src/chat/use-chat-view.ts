import { useEffect, useState } from 'preact/hooks';
import type { ChatView, Connection } from './connection.js';

/** The connection's current view; re-renders on every change. The only place Preact meets the connection. */
export function useChatView(conn: Connection): ChatView {
  const [view, setView] = useState(conn.view);
  useEffect(() => {
    setView(conn.view); // catch changes between the first render and subscribing
    return conn.subscribe(setView);
  }, [conn]);
  return view;
}
