import { useT } from '../../lib/hooks.ts';
import { useRetro } from './hooks.ts';
import { exportAs, type ExportFormat, type ExportJob } from './retro-store.ts';
import type { Transport } from '../../lib/transport.ts';
import type { Locale } from '../../../../shared/format.ts';
import type { MessageKey } from '../../../../shared/i18n/messages.ts';

// ---- exports ---------------------------------------------------------------------------------

const FORMATS: ExportFormat[] = ['html', 'pdf', 'xlsx', 'csv'];

export function ExportBar({ transport, locale }: { transport: Transport; locale: Locale }) {
  const t = useT();
  const jobs = useRetro((s) => s.exports);
  return (
    <div className="export-bar">
      <div className="export-buttons">
        <span className="muted">{t('retro.export')}</span>
        {FORMATS.map((f) => (
          <button key={f} className="zoom" data-testid={`export-${f}`} disabled={jobs.some((j) => j.format === f && j.status === 'running')} onClick={() => void exportAs(transport, f, locale)}>
            {f.toUpperCase()}
          </button>
        ))}
      </div>
      {jobs.map((j) => (
        <ExportLine key={j.format} job={j} transport={transport} />
      ))}
    </div>
  );
}

/** What each file of a CSV export holds, by the name electron/core/retro/export/csv.ts gives it. */
const CSV_PARTS: Array<[RegExp, MessageKey]> = [
  [/\.kpis\.csv$/i, 'retro.file.kpis'],
  [/\.products\.csv$/i, 'retro.file.products'],
  [/\.segments\.csv$/i, 'retro.file.segments'],
  [/\.csv$/i, 'retro.file.minutes'],
];

export function fileLabel(path: string, format: ExportFormat): MessageKey | null {
  return format === 'csv' ? (CSV_PARTS.find(([re]) => re.test(path))?.[1] ?? null) : null;
}

/**
 * A finished export: every file it wrote, each downloadable from the page in browser mode (a CSV
 * export is four tables), or shown in its folder in the desktop app.
 */
function ExportLine({ job, transport }: { job: ExportJob; transport: Transport }) {
  const t = useT();
  const fmt = job.format.toUpperCase();
  if (job.status === 'running') return <div className="export-line muted" data-testid={`export-status-${job.format}`} data-status="running">{t('retro.exporting').replace('{fmt}', fmt)}</div>;
  if (job.status === 'failed') return <div className="export-line bad" data-testid={`export-status-${job.format}`} data-status="failed">{t('retro.exportFailed').replace('{error}', job.error ?? '')}</div>;
  const path = job.path ?? '';
  const files = job.files.length ? job.files : [path];
  const several = files.length > 1;
  return (
    <div className="export-line" data-testid={`export-status-${job.format}`} data-status="done" data-path={path} data-files={files.length}>
      <span className="good">✓ {t('retro.exported')} {fmt}</span>
      {/* Cut at its start (the name matters); the path itself reads left to right, its leading / included. */}
      <code title={files.join('\n')}>
        <span dir="ltr">{path}</span>
      </code>
      {transport.downloadUrl(path) ? (
        files.map((f, i) => {
          const label = fileLabel(f, job.format);
          return (
            <a key={f} className="zoom" href={transport.downloadUrl(f)!} download data-testid={i === 0 ? `export-download-${job.format}` : undefined} data-file={f.split(/[\\/]/).pop()} title={f}>
              {t('retro.download')}
              {several && label ? ` ${t(label)}` : ''}
            </a>
          );
        })
      ) : (
        <button className="zoom" onClick={() => void transport.request('revealExport', { path })}>
          {t('retro.reveal')}
        </button>
      )}
    </div>
  );
}
