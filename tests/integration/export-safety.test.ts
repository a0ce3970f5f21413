/**
 * Issue 13, defects 3, 6 and 10: what a relay, an import or a person typed reaches a person's
 * spreadsheet or browser only as text. A show whose titles, notes, comments and markers are
 * formula starters and markup is exported in every format; no CSV cell may start a formula, no
 * XLSX cell may be one, no HTML sink may carry the markup unescaped — and a show whose start is
 * beyond the Date range still lists, reports and exports.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { openDatabase } from '../../electron/core/store/db.ts';
import { StoreReader } from '../../electron/core/store/reader.ts';
import { buildRetroReport } from '../../electron/core/retro/retrospective.ts';
import { exportReport } from '../../electron/core/retro/export/index.ts';
import { reportChartOptions, compareChartOption, SCREEN } from '../../shared/retro/chart-options.ts';
import { localiser } from '../../shared/i18n/localiser.ts';
import { isFormulaLike } from '../../shared/spreadsheet.ts';
import { HOSTILE_TEXTS, XSS, writeHostileSession } from '../helpers/hostile-session.ts';
import { tempDir } from '../helpers/util.ts';
import { markerTooltipLines } from '../../renderer/src/features/live/chart/chart-markers.ts';
import { lcrRun } from '../helpers/processes.ts';

/** RFC 4180 cells of a CSV text (quoted cells may hold line breaks). */
function csvCells(text: string): string[] {
  const cells: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',' || ch === '\n') {
      cells.push(cur);
      cur = '';
    } else if (ch === '\r' && text[i + 1] === '\n') continue;
    else cur += ch;
  }
  cells.push(cur);
  return cells;
}

let dir: string;
let cleanup: () => void;
let sessionId: string;
beforeAll(() => {
  ({ dir, cleanup } = tempDir());
  const db = openDatabase(dir);
  sessionId = writeHostileSession(db);
  db.close();
});
afterAll(() => cleanup());

function report() {
  const db = openDatabase(dir);
  try {
    return buildRetroReport(new StoreReader(db), sessionId);
  } finally {
    db.close();
  }
}

describe('spreadsheet exports keep hostile text as text', () => {
  it('CSV: no cell of any table starts a formula, and the texts are all there', async () => {
    const files = await exportReport(report(), 'csv', join(dir, 'out', 'r.csv'));
    expect(files).toHaveLength(4);
    const all: string[] = [];
    for (const f of files) all.push(...csvCells(readFileSync(f, 'utf8').replace(/^\uFEFF/, '')));
    const bad = all.filter((c) => isFormulaLike(c));
    expect(bad).toEqual([]);
    // The product titles are in the products table, each with its leading quote.
    const products = csvCells(readFileSync(files[2]!, 'utf8'));
    for (const t of HOSTILE_TEXTS.filter((x) => isFormulaLike(x))) expect(products).toContain(`'${t}`);
  });

  it('XLSX: no cell is a formula, and a formula-like text is a text cell in the text format', async () => {
    const [file] = await exportReport(report(), 'xlsx', join(dir, 'out', 'r.xlsx'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file!);
    let texts = 0;
    wb.eachSheet((ws) =>
      ws.eachRow({ includeEmpty: false }, (row) =>
        row.eachCell({ includeEmpty: false }, (cell) => {
          expect(cell.type, `${ws.name}!${cell.address}`).not.toBe(ExcelJS.ValueType.Formula);
          if (typeof cell.value === 'string' && isFormulaLike(cell.value)) {
            texts++;
            expect(cell.numFmt, `${ws.name}!${cell.address} ${JSON.stringify(cell.value)}`).toBe('@');
          }
        }),
      ),
    );
    expect(texts).toBeGreaterThan(HOSTILE_TEXTS.length);
  });
});

describe('HTML sinks escape hostile text', () => {
  it('the HTML export carries the markup only escaped', async () => {
    const [file] = await exportReport(report(), 'html', join(dir, 'out', 'r.html'));
    const html = readFileSync(file!, 'utf8');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it("the charts' tooltips (screen) escape titles, notes and markers", () => {
    const r = report();
    const specs = reportChartOptions(r, localiser('zh-CN'), 1200, SCREEN);
    const tips: string[] = [];
    for (const spec of Object.values(specs)) {
      const tip = (spec.option as { tooltip?: { formatter?: (p: unknown) => string } }).tooltip;
      if (!tip?.formatter) continue;
      for (let i = 0; i < r.minutes.length + 2; i++) {
        tips.push(tip.formatter([{ value: [i + 0.5, 1], dataIndex: i, name: XSS, seriesName: XSS, color: '#fff' }]));
        tips.push(tip.formatter({ value: [i + 0.5, 1], dataIndex: i, name: XSS, seriesName: XSS, color: '#fff' }));
      }
    }
    const joined = tips.join('\n');
    expect(joined).toContain('&lt;img');
    expect(joined).not.toContain('<img');
    expect(joined).not.toContain('<script');
    const cmp = compareChartOption(
      { align: 'slot', series: [{ sessionId, title: XSS, startedAt: r.session.startedAt, points: [{ x: 0, label: XSS, onlineAvg: 1, cumGmvFen: 1, gmvFen: 1, gpm: 1, ctr: 0.1 }] }] } as never,
      'gmvFen',
      'zh-CN',
      SCREEN,
      { metric: 'GMV', x: (x) => `${XSS}${x}` },
    );
    const f = (cmp.option as { tooltip: { formatter: (p: unknown) => string } }).tooltip.formatter;
    expect(f([{ seriesName: XSS, name: XSS, value: [0, 1], color: '#fff' }])).not.toContain('<img');
  });

  it("the minute chart's tooltip lines (innerHTML) escape marker texts and ad reasons", () => {
    const lines = markerTooltipLines(
      [
        { seq: 1, ts: 0, minute: 3, kind: 'note', text: XSS },
        { seq: -1, ts: 0, minute: 3, kind: 'ad', text: null, ad: { planId: XSS, type: 'adPause', before: null, after: null, byName: XSS, byRole: XSS, reason: XSS, source: 'manual' } },
      ],
      3,
      'zh-CN',
    ).join('');
    expect(lines).toContain('&lt;img');
    expect(lines).not.toContain('<img');
  });
});

describe('a start beyond the Date range', () => {
  it('lcr sessions, report and exports still work (the date shows as unknown)', async () => {
    const { dir: far, cleanup: done } = tempDir();
    try {
      const db = openDatabase(far);
      const id = writeHostileSession(db, { roomId: 'far', startedAt: 9e15, title: 'far future' });
      writeHostileSession(db, { roomId: 'ok', startedAt: 1_700_000_000_000, title: 'ordinary' });
      db.close();
      const list = await lcrRun(['sessions'], { LCR_DATA_DIR: far });
      expect(list.stderr).toBe('');
      expect(list.code).toBe(0);
      expect(list.stdout).toContain('ordinary');
      expect(list.stdout).toContain('far future');
      const json = await lcrRun(['sessions', '--json'], { LCR_DATA_DIR: far });
      expect(JSON.parse(json.stdout)).toHaveLength(2);
      const text = await lcrRun(['report', '--session', id], { LCR_DATA_DIR: far });
      expect(text.stderr).toBe('');
      expect(text.code).toBe(0);
      for (const format of ['csv', 'xlsx', 'html']) {
        const r = await lcrRun(['export', '--session', id, '--format', format, '--out', join(far, `x.${format}`)], { LCR_DATA_DIR: far });
        expect(r.stderr, format).toMatch(/^wrote /);
        expect(r.code, format).toBe(0);
      }
    } finally {
      done();
    }
  });
});
