/**
 * Settled figures end to end: a simulated show recorded through the core, then the platform's settled minute
 * table imported through the core's `importTables` request (as the 复盘 screen's button sends it).
 * The report's KPIs become the settled ones, the settlement section lists live vs settled, the live
 * rollups and events stay exactly as recorded, a newer settled file replaces the older one, and
 * `lcr report`, the HTML and the XLSX export show "结算更新".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Core } from '../../electron/core/core.ts';
import { openDatabase } from '../../electron/core/store/db.ts';
import { lcrRun } from '../helpers/processes.ts';
import { tempDir } from '../helpers/util.ts';
import type { ImportResult } from '../../shared/imports/types.ts';
import type { RetroReportView, SessionListItem } from '../../shared/retro/types.ts';
import type { MinuteRow } from '../../shared/metrics/types.ts';

const tiny = fileURLToPath(new URL('../fixtures/scenarios/tiny.json', import.meta.url));

const pad = (n: number) => String(n).padStart(2, '0');
const local = (ts: number) => {
  const d = new Date(ts);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

/** A Compass minute table for the recorded minutes: live GMV and orders, with `extra` yuan / orders on minute 0 and refunds on minute 1. */
function settledCsv(startedAt: number, minutes: MinuteRow[], extraYuan: number, extraOrders: number, refundYuan: number): string {
  const first = startedAt - (startedAt % 60_000);
  const lines = ['stat_time,pay_amt,pay_cnt,refund_amt'];
  for (const m of minutes) {
    const yuan = m.gmvFen / 100 + (m.minute === 0 ? extraYuan : 0);
    lines.push(`${local(first + m.minute * 60_000)},"¥${yuan.toLocaleString('en-US', { minimumFractionDigits: 2 })}",${m.orders + (m.minute === 0 ? extraOrders : 0)},${m.minute === 1 ? refundYuan : 0}`);
  }
  return lines.join('\n') + '\n';
}

describe('settled figures for a recorded show (R9)', () => {
  let dir: string;
  let cleanup: () => void;
  let core: Core;
  let sessionId: string;
  let live: RetroReportView;
  let liveRollup: { kpis: string; minutes: number; events: number; minuteRows: string };

  async function req<T>(name: string, args: unknown): Promise<T> {
    const r = await core.request(name, args);
    if (!r.ok) throw new Error(r.error);
    return r.value as T;
  }

  function stored(): typeof liveRollup {
    const db = openDatabase(dir);
    try {
      const k = db.prepare('SELECT kpis FROM session_rollups WHERE session_id = ?').get(sessionId) as { kpis: string };
      const n = (sql: string) => (db.prepare(sql).get(sessionId) as { n: number }).n;
      const rows = db.prepare('SELECT * FROM minute_rollups WHERE session_id = ? ORDER BY minute').all(sessionId);
      return { kpis: k.kpis, minutes: n('SELECT count(*) AS n FROM minute_rollups WHERE session_id = ?'), events: n('SELECT count(*) AS n FROM events WHERE session_id = ?'), minuteRows: JSON.stringify(rows) };
    } finally {
      db.close();
    }
  }

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    core = await Core.start({ dataDir: dir, scenarioFiles: [tiny], speed: 60, seed: '5' });
    await core.untilEnded();
    sessionId = (await req<SessionListItem[]>('listSessions', {}))[0]!.sessionId;
    live = await req<RetroReportView>('getReport', { sessionId });
    liveRollup = stored();
  }, 90_000);
  afterAll(async () => {
    await core?.stop();
    cleanup();
  });

  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

  it('refuses a provisional import for a recorded show', async () => {
    const r = await core.request('importTables', { fileName: 'x.csv', dataBase64: b64(settledCsv(live.session.startedAt, live.minutes, 0, 0, 0)), sessionId, kind: 'provisional' });
    expect(r).toMatchObject({ ok: false, error: expect.stringMatching(/was recorded live.*--kind settled/) });
  });

  it('a settled table matched by room and time updates the report and says what moved; live rows stay', async () => {
    expect(live.kpis.gmvFen).toBeGreaterThan(0);
    const csv = settledCsv(live.session.startedAt, live.minutes, 100, 1, 50);
    const res = await req<ImportResult>('importTables', { fileName: '罗盘-结算-1.csv', dataBase64: b64(csv), roomId: live.session.roomId });
    expect(res).toMatchObject({ sessionId, created: false, kind: 'settled', table: 'minutes', rows: live.minutes.length });
    const changes = new Map(res.settlement!.changes.map((c) => [c.key, c]));
    expect(changes.get('gmvFen')).toEqual({ key: 'gmvFen', live: live.kpis.gmvFen, settled: live.kpis.gmvFen + 10_000, change: 10_000, changePct: 10_000 / live.kpis.gmvFen });
    expect(changes.get('orders')).toMatchObject({ live: live.kpis.orders, settled: live.kpis.orders + 1, change: 1 });
    // The file's refund column is the settled refunds: ¥50, whatever the live feed saw.
    expect(changes.get('refundFen')).toMatchObject({ live: live.kpis.refundFen, settled: 5000 });
    expect(changes.has('pv')).toBe(false); // not in the file: not moved

    const rep = await req<RetroReportView>('getReport', { sessionId });
    expect(rep.kpis.gmvFen).toBe(live.kpis.gmvFen + 10_000);
    expect(rep.kpis.orders).toBe(live.kpis.orders + 1);
    expect(rep.kpis.pv).toBe(live.kpis.pv);
    expect(rep.kpis.gpm).toBeCloseTo((live.kpis.gmvFen + 10_000) / 100 / live.kpis.pv * 1000, 9);
    expect(rep.minutes[0]!.gmvFen).toBe(live.minutes[0]!.gmvFen + 10_000);
    expect(rep.minutes[0]!.enters).toBe(live.minutes[0]!.enters);
    expect(rep.segments).toEqual(live.segments);
    expect(rep.settlement).toMatchObject({ file: '罗盘-结算-1.csv', tables: ['minutes'] });
    expect(rep.settlement!.changes).toEqual(res.settlement!.changes);
    // The live figures are kept exactly as recorded.
    expect(stored()).toEqual(liveRollup);
  });

  it('a newer settled file replaces the previous settled figures; both stay in the history', async () => {
    const csv = settledCsv(live.session.startedAt, live.minutes, 200, 2, 0);
    const res = await req<ImportResult>('importTables', { fileName: '罗盘-结算-2.csv', dataBase64: b64(csv), sessionId });
    expect(res.settlement!.changes.find((c) => c.key === 'gmvFen')).toMatchObject({ change: 20_000 });
    const rep = await req<RetroReportView>('getReport', { sessionId });
    expect(rep.kpis.gmvFen).toBe(live.kpis.gmvFen + 20_000);
    expect(rep.settlement!.file).toBe('罗盘-结算-2.csv');
    expect(rep.settlement!.imports.map((i) => i.file)).toEqual(['罗盘-结算-2.csv', '罗盘-结算-1.csv']);
    expect(stored()).toEqual(liveRollup);
    // The session list shows the show as its report does: with the settled figures.
    const listed = (await req<SessionListItem[]>('listSessions', {})).find((x) => x.sessionId === sessionId)!;
    expect(listed).toMatchObject({ gmvFen: live.kpis.gmvFen + 20_000, orders: live.kpis.orders + 2, gpm: rep.kpis.gpm });
  });

  it('a bad settled file changes nothing', async () => {
    const r = await core.request('importTables', { fileName: 'bad.csv', dataBase64: b64('stat_time,pay_amt\n2024-11-11 20:00,1\n2024-11-11 20:01,¥abc\n'), sessionId });
    expect(r).toEqual({ ok: false, error: 'line 3, column pay_amt: "¥abc" is not a number' });
    expect((await req<RetroReportView>('getReport', { sessionId })).settlement!.file).toBe('罗盘-结算-2.csv');
  });

  it('the HTML and XLSX exports carry 结算更新 / Settled vs live', async () => {
    const html = readFileSync((await req<{ path: string }>('exportReport', { sessionId, format: 'html' })).path, 'utf8');
    expect(html).toContain('结算更新');
    expect(html).toContain('罗盘-结算-2.csv');
    const en = readFileSync((await req<{ path: string }>('exportReport', { sessionId, format: 'html', locale: 'en' })).path, 'utf8');
    expect(en).toContain('Settled vs live');
    const { default: Excel } = await import('exceljs');
    const wb = new Excel.Workbook();
    await wb.xlsx.readFile((await req<{ path: string }>('exportReport', { sessionId, format: 'xlsx' })).path);
    const ws = wb.getWorksheet('结算更新')!;
    expect(ws).toBeDefined();
    const gmv = ws.getRows(2, ws.rowCount - 1)!.find((r) => r.getCell(2).value === 'gmvFen')!;
    expect([gmv.getCell(1).value, gmv.getCell(3).value, gmv.getCell(4).value, gmv.getCell(5).value]).toEqual(['成交金额', live.kpis.gmvFen / 100, live.kpis.gmvFen / 100 + 200, 200]);
  });

  it('lcr report prints the settled figures and what moved', async () => {
    await core.stop();
    const text = await lcrRun(['report', '--session', sessionId], { LCR_DATA_DIR: dir });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('■ 结算更新');
    expect(text.stdout).toMatch(/成交金额 .*\+¥200/);
    const json = JSON.parse((await lcrRun(['report', '--session', sessionId, '--json'], { LCR_DATA_DIR: dir })).stdout) as RetroReportView;
    expect(json.kpis.gmvFen).toBe(live.kpis.gmvFen + 20_000);
    expect(json.settlement!.changes[0]).toMatchObject({ key: 'gmvFen', change: 20_000 });
  });
});
