import type { Liveness } from '../../../shared/live/staleness.ts';
import type { MessageKey } from '../../../shared/i18n/messages.ts';
import { useT } from '../lib/hooks.ts';
import { useNow } from '../lib/liveness.ts';
import { formatAgo, intlLocale } from '../../../shared/format.ts';

/**
 * Says, in words, that the numbers below have stopped: why, the time they stopped and how long
 * ago — and that they come back by themselves. The numbers under it are greyed (the `stale` class
 * on their container).
 */
export function StaleBanner({ live, testId = 'stale-banner' }: { live: Liveness; testId?: string }) {
  const t = useT();
  const now = useNow();
  if (!live.stale || !live.reason) return null;
  const since = live.since === null ? null : new Date(live.since);
  return (
    <div className="stale-banner" role="status" data-testid={testId} data-reason={live.reason}>
      <strong>{t(`stale.${live.reason}` as MessageKey)}</strong>
      {since ? (
        <span>
          {' · '}
          {t('stale.since')} {since.toLocaleTimeString(intlLocale(t.locale), { hour12: false })}
          {t('stale.ago', { ago: formatAgo(now - since.getTime(), t.locale) })}
        </span>
      ) : null}
      <span className="muted"> · {t('stale.recovers')}</span>
    </div>
  );
}
