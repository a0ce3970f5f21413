/**
 * The retrospective as a workbook a person reworks: one sheet per table, sheet names and
 * column headers in the localiser's language (Chinese as the platforms word them, by default),
 * money as ¥ numbers (yuan, two decimals — not fen), rates as percentages, durations as h:mm:ss,
 * times as dates; header rows frozen and filterable. The tables of the show's minutes, products,
 * segments and logs are in xlsx-tables.ts. exceljs is loaded on first use: the core and `lcr`
 * start without it.
 */
import type ExcelJS from 'exceljs';
import type { RetroReport } from '../retrospective.ts';
import { KPI_BY_KEY, previousLabel } from '../../../../shared/retro/labels.ts';
import { reviewView, type FigureKind } from '../../../../shared/retro/review-view.ts';
import type { KpiKey } from '../../../../shared/retro/types.ts';
import type { Settlement } from '../../../../shared/imports/types.ts';
import { isDateTs } from '../../../../shared/format.ts';
import { isFormulaLike } from '../../../../shared/spreadsheet.ts';
import { localiser, said, type Localiser } from '../../../../shared/i18n/localiser.ts';
import { FMT, numFmt, cellValue, excelDate, unitKind, type Kind } from './xlsx-cells.ts';
import { tableSheets } from './xlsx-tables.ts';

const CHANGE_FMT = '+0.0%;-0.0%;0.0%';

/** A sheet whose rows each carry their own format, its header row bold and frozen. */
function plainSheet(wb: ExcelJS.Workbook, name: string, columns: Array<{ header: string; key: string; width: number }>): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns;
  ws.getRow(1).font = { bold: true };
  return ws;
}

/** 概览: every KPI against target and the previous shows (each row its own format), then the session and the key points. */
function overviewSheet(wb: ExcelJS.Workbook, r: RetroReport, i18n: Localiser): void {
  const ov = plainSheet(wb, i18n('sheet.overview'), [
    { header: i18n('report.kpi'), key: 'name', width: 22 },
    { header: i18n('col.key'), key: 'key', width: 16 },
    { header: i18n('report.value'), key: 'value', width: 16 },
    { header: i18n('report.target'), key: 'target', width: 12 },
    { header: i18n('col.vsTarget'), key: 'vsTarget', width: 10 },
    { header: previousLabel(r.headline.previousSessions.length, i18n), key: 'mean', width: 16 },
    { header: i18n('col.vsMean'), key: 'change', width: 10 },
    { header: i18n('report.rank'), key: 'rank', width: 8 },
  ]);
  for (const it of r.headline.items) {
    const kind = unitKind(it.unit);
    const row = ov.addRow({
      name: i18n(`kpi.${it.key}`),
      key: it.key,
      value: cellValue(it.value, kind),
      target: cellValue(it.target, kind),
      vsTarget: it.vsTarget,
      mean: cellValue(it.previous.mean, kind),
      change: it.previous.changeVsMean,
      rank: it.previous.rank === null || it.previous.of < 2 ? null : `${it.previous.rank}/${it.previous.of}`,
    });
    for (const c of ['value', 'target', 'mean']) if (kind !== 'text') row.getCell(c).numFmt = numFmt(kind);
    row.getCell('vsTarget').numFmt = CHANGE_FMT;
    row.getCell('change').numFmt = CHANGE_FMT;
  }
  ov.addRow({});
  const s = r.session;
  const info: Array<[string, ExcelJS.CellValue, string?]> = [
    [i18n('report.session'), s.sessionId],
    [i18n('report.showTitle'), s.title],
    [i18n('report.room'), s.roomId],
    [i18n('report.platform'), s.platform],
    [i18n('report.start'), excelDate(s.startedAt), FMT.time],
    [i18n('report.end'), excelDate(s.endedAt), FMT.time],
  ];
  for (const [k, v, f] of info) {
    const row = ov.addRow({ name: k, key: '', value: v });
    if (f) row.getCell('value').numFmt = f;
  }
  ov.addRow({});
  ov.addRow({ name: i18n('report.keyPoints') }).font = { bold: true };
  for (const p of r.keyPoints) ov.addRow({ name: said(p, i18n) });
}

const FIGURE_KIND: Record<FigureKind, Exclude<Kind, 'text'>> = { money: 'money', rate: 'pct', change: 'pct', count: 'int', ratio: 'ratio', duration: 'dur' };

/** 复盘维度: the four review dimensions, one figure per row, from the one review view-model. */
function reviewSheet(wb: ExcelJS.Workbook, r: RetroReport, i18n: Localiser): void {
  const view = reviewView(r, i18n);
  const ws = plainSheet(wb, i18n('sheet.dims'), [
    { header: i18n('col.dim'), key: 'dim', width: 14 },
    { header: i18n('report.kpi'), key: 'name', width: 16 },
    { header: i18n('col.value'), key: 'value', width: 16 },
    { header: i18n('report.target'), key: 'target', width: 12 },
    { header: i18n('col.note'), key: 'note', width: 60 },
  ]);
  for (const d of view.dims) {
    for (const x of d.rows) {
      const kind = FIGURE_KIND[x.kind];
      const row = ws.addRow({ dim: d.title, name: x.name, value: cellValue(x.value, kind), target: cellValue(x.target, kind), note: x.note ?? '' });
      row.getCell('value').numFmt = FMT[kind];
      row.getCell('target').numFmt = FMT[kind];
    }
  }
}

/**
 * "结算更新 / Settled vs live": each KPI the settled tables moved (live, settled, change, change %),
 * each row in its KPI's format, then every file imported for the session. Only for a session with a
 * settled import, so other workbooks keep their sheets.
 */
function settlementSheet(wb: ExcelJS.Workbook, st: Settlement, i18n: Localiser): void {
  const ws = plainSheet(wb, i18n('report.settlement'), [
    { header: i18n('report.kpi'), key: 'name', width: 22 },
    { header: i18n('col.key'), key: 'key', width: 16 },
    { header: i18n('retro.liveFigure'), key: 'live', width: 16 },
    { header: i18n('retro.settledFigure'), key: 'settled', width: 16 },
    { header: i18n('report.change'), key: 'change', width: 16 },
    { header: i18n('col.changePct'), key: 'changePct', width: 10 },
  ]);
  for (const c of st.changes) {
    const meta = KPI_BY_KEY.get(c.key as KpiKey);
    const kind = unitKind(meta?.unit ?? 'count');
    const row = ws.addRow({ name: meta ? i18n(`kpi.${meta.key}`) : c.key, key: c.key, live: cellValue(c.live, kind), settled: cellValue(c.settled, kind), change: cellValue(c.change, kind), changePct: c.changePct });
    for (const k of ['live', 'settled', 'change']) if (kind !== 'text') row.getCell(k).numFmt = FMT[kind];
    row.getCell('changePct').numFmt = CHANGE_FMT;
  }
  ws.addRow({});
  ws.addRow({ name: i18n('retro.importHistory') }).font = { bold: true };
  for (const i of st.imports) {
    const row = ws.addRow({ name: i.file, key: i18n(i.kind === 'settled' ? 'col.settled' : 'col.provisional'), live: i18n(`retro.table.${i.table}`), settled: excelDate(i.importedAt), change: i.rows });
    row.getCell('settled').numFmt = FMT.time;
  }
}

export async function buildWorkbook(r: RetroReport, i18n: Localiser = localiser('zh-CN')): Promise<ExcelJS.Workbook> {
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  // The product's name in both languages, whichever the workbook is written in.
  wb.creator = `${localiser('en')('app.title')} ${localiser('zh-CN')('app.title')}`;
  wb.created = isDateTs(r.session.startedAt) ? new Date(r.session.startedAt) : new Date(0);
  overviewSheet(wb, r, i18n);
  reviewSheet(wb, r, i18n);
  tableSheets(wb, r, i18n);
  if (r.settlement) settlementSheet(wb, r.settlement, i18n);
  return wb;
}

/**
 * A string cell is text in the file (never a formula), but Excel re-reads a cell as a formula when
 * a person edits it: every formula-like text (shared/spreadsheet.ts's one rule) — a title, a note,
 * a file name from anywhere in the workbook — gets the Text number format, so it stays text.
 */
function keepFormulaLikeTextAsText(wb: ExcelJS.Workbook): void {
  wb.eachSheet((ws) =>
    ws.eachRow((row) =>
      row.eachCell((cell) => {
        if (typeof cell.value === 'string' && isFormulaLike(cell.value)) cell.numFmt = '@';
      }),
    ),
  );
}

export async function writeXlsx(r: RetroReport, out: string, i18n: Localiser = localiser('zh-CN')): Promise<void> {
  const wb = await buildWorkbook(r, i18n);
  keepFormulaLikeTextAsText(wb);
  await wb.xlsx.writeFile(out);
}
