import { useAppShallow, useT } from '../lib/hooks.ts';
import { fill } from '../../../shared/suggest/reasons.ts';

/** Desktop app: the core restarting, back, or given up, and saved settings set aside — in plain words (issue 13). */
export function CoreNotices() {
  const t = useT();
  const { notice, warnings } = useAppShallow((s) => ({ notice: s.coreNotice, warnings: s.coreWarnings }));
  if (!notice && !warnings.length) return null;
  let text: string | null = null;
  if (notice?.state === 'restarting') text = fill(t('core.restarting'), { attempt: notice.attempt });
  else if (notice?.state === 'running') text = t('core.restarted');
  else if (notice?.state === 'failed') text = fill(t('core.gaveUp'), { attempts: notice.attempts, error: notice.error });
  return (
    <div className="core-notices" role="status" aria-live="polite">
      {text ? (
        <p className={`core-notice ${notice?.state ?? ''}`} data-testid="core-notice" data-state={notice?.state}>
          {text}
        </p>
      ) : null}
      {warnings.map((w) => (
        <p key={w} className="core-notice warning" data-testid="core-warning">
          {fill(t('core.warning'), { text: w })}
        </p>
      ))}
    </div>
  );
}
