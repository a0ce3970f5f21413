/** Reading the store: the session list, a session's retrospective and its export. */
import { resolve } from 'node:path';
import type { StoreReader } from '../store/reader.ts';
import { buildRetroReport, type RetroReport } from '../retro/retrospective.ts';
import { listSessions } from '../store/retro.ts';
import { EXPORT_FORMATS, exportReport, isExportFormat } from '../retro/export/index.ts';
import { reportText } from '../retro/export/text.ts';
import { localiser } from '../../../shared/i18n/localiser.ts';
import { directWrite } from '../store/writer.ts';
import { sessionInfo } from '../../../shared/contract.ts';
import { isoMinute } from '../../../shared/format.ts';
import { UsageError, args, parseDate, withReader } from './common.ts';

export function sessions(argv: string[]): number {
  const v = args(argv, {
    json: { type: 'boolean' },
    room: { type: 'string' },
    platform: { type: 'string' },
    since: { type: 'string' },
    until: { type: 'string' },
    search: { type: 'string' },
  });
  const filter = { roomId: v.room, platform: v.platform, since: parseDate('since', v.since), until: parseDate('until', v.until), search: v.search };
  const list = withReader((r) => listSessions(r, filter)).map(sessionInfo);
  if (v.json) {
    process.stdout.write(JSON.stringify(list) + '\n');
    return 0;
  }
  if (!list.length) {
    console.log(v.room || v.platform || v.since || v.until || v.search ? 'no sessions match' : 'no sessions in the store yet');
    return 0;
  }
  for (const s of list) {
    const start = isoMinute(s.startedAt);
    const dur = s.endedAt === null ? 'live' : `${Math.round((s.endedAt - s.startedAt) / 60000)} min`;
    console.log(`${s.sessionId}\t${s.platform}\t${start}\t${dur}\t${s.title}`);
  }
  return 0;
}

/** The report of a session; retro rollups computed from the raw log are stored for next time (when the store can be written). */
function retroReport(r: StoreReader, sessionId: string, recompute = false, readonly = false): RetroReport {
  return buildRetroReport(r, sessionId, {
    recompute,
    onExtrasRecomputed: recompute || readonly ? undefined : (row) => directWrite(r.db)({ retroRollups: [row] }),
  });
}

export function report(argv: string[]): number {
  const v = args(argv, { session: { type: 'string' }, json: { type: 'boolean' }, recompute: { type: 'boolean' }, lang: { type: 'string' } });
  if (!v.session) throw new UsageError('report needs --session ID (see: lcr sessions)');
  const lang = v.lang ?? 'zh-CN';
  if (lang !== 'zh-CN' && lang !== 'en') throw new UsageError('--lang must be zh-CN or en');
  const rep = withReader((r, readonly) => retroReport(r, String(v.session), Boolean(v.recompute), readonly));
  if (v.json) process.stdout.write(JSON.stringify(rep) + '\n');
  else process.stdout.write(reportText(rep, localiser(lang)));
  return 0;
}

export async function exportCmd(argv: string[]): Promise<number> {
  const v = args(argv, { session: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' }, lang: { type: 'string' } });
  if (!v.session) throw new UsageError('export needs --session ID');
  if (!v.out) throw new UsageError('export needs --out PATH');
  const format = v.format ?? 'csv';
  if (!isExportFormat(format)) throw new UsageError(`unknown format "${String(format)}" (${EXPORT_FORMATS.join(', ')})`);
  const lang = v.lang ?? 'zh-CN';
  if (lang !== 'zh-CN' && lang !== 'en') throw new UsageError('--lang must be zh-CN or en');
  const rep = withReader((r, readonly) => retroReport(r, String(v.session), false, readonly));
  const files = await exportReport(rep, format, resolve(String(v.out)), { locale: lang });
  for (const f of files) console.error(`wrote ${f}`);
  return 0;
}
