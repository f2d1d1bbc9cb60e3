import { elapsedSeconds, formatDuration, waitLevel } from '../format.js';
import { useNow } from './hooks.js';

/** A live "1:23" since `since`, coloured by how long that is. Its own component so only it ticks. */
export function WaitTimer({ since, label, testId }: { since: number; label?: string; testId?: string }) {
  const seconds = elapsedSeconds(since, useNow());
  return (
    <span class={`wait wait-${waitLevel(seconds)}`} data-testid={testId} data-seconds={seconds}>
      {label ? `${label} ` : ''}
      {formatDuration(seconds)}
    </span>
  );
}
