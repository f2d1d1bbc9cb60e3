import { elapsedSeconds, formatDuration, type WaitThresholds, waitLevel } from '../format.js';
import { t } from '../i18n/index.js';
import { useNow } from './hooks.js';

interface Props {
  since: number;
  /** The site's amber/alert thresholds; the defaults until the sites are loaded. */
  thresholds?: WaitThresholds;
  label?: string;
  testId?: string;
}

/** A live "1:23" since `since`, coloured by how long that is. Its own component so only it ticks. */
export function WaitTimer({ since, thresholds, label, testId }: Props) {
  const seconds = elapsedSeconds(since, useNow());
  const level = waitLevel(seconds, thresholds);
  return (
    <span
      class={`wait wait-${level}`}
      data-testid={testId}
      data-seconds={seconds}
      data-level={level}
      title={level === 'late' ? t('queue.lateTitle') : undefined}
    >
      {label ? `${label} ` : ''}
      {formatDuration(seconds)}
    </span>
  );
}
