import { useRef } from 'react';
import { useT } from '../../lib/hooks.ts';
import { useRetro } from './hooks.ts';
import { importTable, retroStore } from './retro-store.ts';
import type { Transport } from '../../lib/transport.ts';
import type { RetroReportView } from '../../../../shared/retro/types.ts';
import { KPI_BY_KEY, formatChange, formatValue } from '../../../../shared/retro/labels.ts';
import type { KpiKey } from '../../../../shared/retro/types.ts';
import { formatDateTime } from '../../../../shared/format.ts';

/**
 * Table imports and settled figures on the 复盘 screen: a button that imports a Compass table — into a given show as its
 * settled figures, or (no show given) as a show of its own or matched to a recorded one.
 */
export function ImportButton({ transport, sessionId, testId }: { transport: Transport; sessionId?: string; testId: string }) {
  const t = useT();
  const input = useRef<HTMLInputElement>(null);
  const busy = useRetro((s) => s.importing);
  return (
    <label className={busy ? 'zoom disabled' : 'zoom'} title={t(sessionId ? 'retro.importSettledHelp' : 'retro.importHelp')}>
      {t(sessionId ? 'retro.importSettled' : 'retro.import')}
      <input
        ref={input}
        type="file"
        hidden
        disabled={busy}
        accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        data-testid={testId}
        onChange={(e) => {
          const file = e.target.files?.[0];
          // The same file may be picked again after fixing it: clear the input.
          if (input.current) input.current.value = '';
          // A show of its own goes to the room picked in the filter (or the file's 直播间ID column).
          const roomId = retroStore.getState().filters.roomId || undefined;
          if (file) void importTable(transport, file, sessionId ? { sessionId } : { roomId });
        }}
      />
    </label>
  );
}

/** What the last import did, or why it was refused (the line, the column and the reason). */
export function ImportStatus() {
  const t = useT();
  const busy = useRetro((s) => s.importing);
  const last = useRetro((s) => s.lastImport);
  const error = useRetro((s) => s.importError);
  if (busy) return <div className="panel muted" data-testid="import-status" data-status="running">{t('retro.importing')}</div>;
  if (error)
    return (
      <div className="panel bad" data-testid="import-status" data-status="failed">
        {t('retro.importFailed', { error })}
        {/which room/.test(error) ? <div className="muted">{t('retro.importPickRoom')}</div> : null}
      </div>
    );
  if (!last) return null;
  const text = t('retro.imported', { file: last.file, rows: last.rows, table: t(`retro.table.${last.table}`), kind: t(`retro.kind.${last.kind}`) });
  return (
    <div className="panel good" data-testid="import-status" data-status="done" data-session={last.sessionId}>
      ✓ {text}
    </div>
  );
}

/** What the settled tables moved, against what was recorded live. */
export function SettlementSection({ r }: { r: RetroReportView }) {
  const t = useT();
  const { locale } = t;
  const st = r.settlement;
  if (!st) return null;
  const when = formatDateTime(st.importedAt, locale, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <section className="panel settlement" data-testid="report-settlement">
      <h2>{t('retro.settlement')}</h2>
      <p className="note">{t('retro.settlementNote', { file: st.file, time: when })}</p>
      {st.changes.length ? (
        <table className="tbl">
          <thead>
            <tr>
              <th className="l" />
              <th>{t('retro.liveFigure')}</th>
              <th>{t('retro.settledFigure')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {st.changes.map((c) => {
              const meta = KPI_BY_KEY.get(c.key as KpiKey);
              const unit = meta?.unit ?? 'count';
              const better = meta?.better ?? null;
              const cls = c.change === null || c.change === 0 || better === null ? '' : (c.change > 0) === (better === 'higher') ? 'good' : 'bad';
              return (
                <tr key={c.key} data-testid={`settled-${c.key}`} data-live={c.live ?? ''} data-settled={c.settled ?? ''}>
                  <td className="l">{meta ? t(`kpi.${meta.key}`) : c.key}</td>
                  <td>{formatValue(c.live, unit, locale)}</td>
                  <td>
                    <b>{formatValue(c.settled, unit, locale)}</b>
                  </td>
                  <td className={cls}>{formatChange(c.changePct)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : (
        <p className="muted">{t('retro.noChange')}</p>
      )}
      <h3>{t('retro.importHistory')}</h3>
      <ul className="note">
        {st.imports.map((i) => (
          <li key={i.importId}>
            {formatDateTime(i.importedAt, locale)} · {i.file} · {t(`retro.table.${i.table}`)} · {t(`retro.kind.${i.kind}`)} · {i.rows}
            {i.importedBy ? ` · ${i.importedBy}` : ''}
          </li>
        ))}
      </ul>
    </section>
  );
}
