import { useT } from '../../lib/hooks.ts';
import { useRetro } from './hooks.ts';
import { exportAs, type ExportFormat, type ExportJob } from '../../lib/retro.ts';
import type { Transport } from '../../lib/transport.ts';
import type { Locale } from '../../../../shared/format.ts';

// ---- R8: exports ---------------------------------------------------------------------------------

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

function ExportLine({ job, transport }: { job: ExportJob; transport: Transport }) {
  const t = useT();
  const fmt = job.format.toUpperCase();
  if (job.status === 'running') return <div className="export-line muted" data-testid={`export-status-${job.format}`} data-status="running">{t('retro.exporting').replace('{fmt}', fmt)}</div>;
  if (job.status === 'failed') return <div className="export-line bad" data-testid={`export-status-${job.format}`} data-status="failed">{t('retro.exportFailed').replace('{error}', job.error ?? '')}</div>;
  const path = job.path ?? '';
  const url = transport.downloadUrl(path);
  return (
    <div className="export-line" data-testid={`export-status-${job.format}`} data-status="done" data-path={path}>
      <span className="good">✓ {t('retro.exported')} {fmt}</span>
      <code title={job.files.join('\n')}>{path}</code>
      {url ? (
        <a className="zoom" href={url} download data-testid={`export-download-${job.format}`}>
          {t('retro.download')}
        </a>
      ) : (
        <button className="zoom" onClick={() => void transport.request('revealExport', { path })}>
          {t('retro.reveal')}
        </button>
      )}
    </div>
  );
}
