import { useEffect, useState } from 'react';
import { useT } from '../../lib/hooks.ts';
import { setShowTarget } from './retro-store.ts';
import type { Transport } from '../../lib/transport.ts';
import type { RetroReportView } from '../../../../shared/retro/types.ts';
import { gmvTargetInput, parseGmvTarget } from '../../../../shared/retro/gmv-target.ts';

/**
 * On the report: the show's own GMV target, typed in yuan (8万 allowed). Saving reads the
 * report again, so 达成率, the headline and 本场要点 judge against it; clearing falls back to the
 * room's target from the settings.
 */
export function TargetEditor({ r, transport }: { r: RetroReportView; transport: Transport }) {
  const t = useT();
  const sales = r.review.sales;
  const own = sales.gmvTargetSource === 'show' ? sales.gmvTargetFen : null;
  const [text, setText] = useState(gmvTargetInput(own));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setText(gmvTargetInput(own)), [r.session.sessionId, own]);
  const save = async (fen: number | null) => {
    setBusy(true);
    const e = await setShowTarget(transport, fen);
    setBusy(false);
    setError(e === null ? null : t('retro.target.failed').replace('{error}', e));
  };
  return (
    <form
      className="target-form"
      title={t('retro.target.help')}
      onSubmit={(e) => {
        e.preventDefault();
        const fen = parseGmvTarget(text);
        if (fen === undefined || fen === null) setError(t('retro.target.invalid'));
        else void save(fen);
      }}
    >
      <input type="text" inputMode="decimal" value={text} placeholder={t('retro.target.placeholder')} data-testid="show-target-input" onChange={(e) => setText(e.target.value)} />
      <button className="zoom active" type="submit" disabled={busy || !text.trim()} data-testid="show-target-save">
        {t('retro.target.save')}
      </button>
      {own !== null ? (
        <button className="zoom" type="button" disabled={busy} data-testid="show-target-clear" onClick={() => void save(null)}>
          {t('retro.target.clear')}
        </button>
      ) : null}
      {error ? <p className="bad" data-testid="show-target-error">{error}</p> : null}
    </form>
  );
}
