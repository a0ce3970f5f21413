/**
 * The retrospective as a workbook a person reworks (R8): one sheet per table, Chinese column
 * headers as the platforms word them, money as ¥ numbers (yuan, two decimals — not fen), rates as
 * percentages, durations as h:mm:ss, times as dates; header rows frozen and filterable.
 * exceljs is loaded on first use: the core and `lcr` start without it.
 */
import type ExcelJS from 'exceljs';
import type { RetroReport } from '../retrospective.ts';
import { KPI_BY_KEY, ROLE_LABELS, SOURCE_LABELS } from '../../../../shared/retro/labels.ts';
import { adActionText } from '../../../../shared/retro/scorecard.ts';
import { RETRO_WORDS, previousLabel } from '../../../../shared/retro/words.ts';
import { TrafficSources } from '../../../../shared/protocol.ts';
import type { KpiKey, Unit } from '../../../../shared/retro/types.ts';
import type { Settlement } from '../../../../shared/imports/types.ts';
import { alertText } from '../../../../shared/alerts/text.ts';
import { minuteColumn, minuteNumber } from '../../../../shared/minutes.ts';
import { whoText } from '../../../../shared/who.ts';
import { isDateTs } from '../../../../shared/format.ts';
import { isFormulaLike } from '../../../../shared/spreadsheet.ts';

const FMT = {
  money: '"¥"#,##0.00',
  yuan: '"¥"#,##0.00',
  pct: '0.00%',
  int: '#,##0',
  ratio: '0.00',
  dur: '[h]:mm:ss',
  time: 'yyyy-mm-dd hh:mm:ss',
} as const;

type Kind = keyof typeof FMT | 'text';
interface Col {
  header: string;
  key: string;
  kind: Kind;
  width?: number;
}

/** Excel keeps no time zone: wall-clock times are written as the exporting machine's local time. */
function excelDate(ts: number | null): Date | null {
  // Beyond the Date range (a relay's garbage start): an empty cell, not a RangeError.
  if (!isDateTs(ts) || !isDateTs(ts + 14 * 3600_000) || !isDateTs(ts - 14 * 3600_000)) return null;
  return new Date(ts - new Date(ts).getTimezoneOffset() * 60_000);
}

function cellValue(v: unknown, kind: Kind): ExcelJS.CellValue {
  if (v === null || v === undefined) return null;
  switch (kind) {
    case 'money':
      return typeof v === 'number' ? v / 100 : null;
    case 'dur':
      return typeof v === 'number' ? v / 86_400 : null;
    case 'time':
      return typeof v === 'number' ? excelDate(v) : null;
    case 'text':
      return v as ExcelJS.CellValue;
    default:
      return typeof v === 'number' && Number.isFinite(v) ? v : null;
  }
}

function sheet(wb: ExcelJS.Workbook, name: string, cols: Col[], rows: ReadonlyArray<Record<string, unknown>>): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = cols.map((c) => ({ header: c.header, key: c.key, width: c.width ?? Math.max(10, c.header.length * 2 + 2) }));
  for (const r of rows) {
    const values: Record<string, ExcelJS.CellValue> = {};
    for (const c of cols) values[c.key] = cellValue(r[c.key], c.kind);
    ws.addRow(values);
  }
  cols.forEach((c, i) => {
    if (c.kind !== 'text') ws.getColumn(i + 1).numFmt = FMT[c.kind];
  });
  const head = ws.getRow(1);
  head.font = { bold: true };
  head.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF0F2F5' } };
  head.numFmt = '@';
  if (rows.length) ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: cols.length } };
  return ws;
}

function unitKind(u: Unit): Kind {
  return u === 'fen' ? 'money' : u === 'yuan' ? 'yuan' : u === 'rate' ? 'pct' : u === 'sec' ? 'dur' : u === 'ratio' ? 'ratio' : 'int';
}

export async function buildWorkbook(r: RetroReport): Promise<ExcelJS.Workbook> {
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  wb.creator = 'Live Control Room 直播中控室';
  wb.created = isDateTs(r.session.startedAt) ? new Date(r.session.startedAt) : new Date(0);
  const titles = new Map(r.products.map((p) => [p.productId, p.title]));
  const startedAt = r.session.startedAt;

  // 概览: the session, then every KPI against target and the previous shows (each row its own format).
  const ov = wb.addWorksheet('概览', { views: [{ state: 'frozen', ySplit: 1 }] });
  ov.columns = [
    { header: '指标', key: 'name', width: 22 },
    { header: 'key', key: 'key', width: 16 },
    { header: '本场', key: 'value', width: 16 },
    { header: '目标', key: 'target', width: 12 },
    { header: '较目标', key: 'vsTarget', width: 10 },
    { header: previousLabel(RETRO_WORDS['zh-CN'], r.headline.previousSessions.length), key: 'mean', width: 16 },
    { header: '较均值', key: 'change', width: 10 },
    { header: '排名', key: 'rank', width: 8 },
  ];
  ov.getRow(1).font = { bold: true };
  for (const it of r.headline.items) {
    const meta = KPI_BY_KEY.get(it.key)!;
    const kind = unitKind(it.unit);
    const row = ov.addRow({
      name: meta.zh,
      key: it.key,
      value: cellValue(it.value, kind),
      target: cellValue(it.target, kind),
      vsTarget: it.vsTarget,
      mean: cellValue(it.previous.mean, kind),
      change: it.previous.changeVsMean,
      rank: it.previous.rank === null || it.previous.of < 2 ? null : `${it.previous.rank}/${it.previous.of}`,
    });
    for (const c of ['value', 'target', 'mean']) if (kind !== 'text') row.getCell(c).numFmt = FMT[kind];
    row.getCell('vsTarget').numFmt = '+0.0%;-0.0%;0.0%';
    row.getCell('change').numFmt = '+0.0%;-0.0%;0.0%';
  }
  ov.addRow({});
  const info: Array<[string, ExcelJS.CellValue, string?]> = [
    ['场次', r.session.sessionId],
    ['标题', r.session.title],
    ['直播间', r.session.roomId],
    ['平台', r.session.platform],
    ['开播', excelDate(r.session.startedAt), FMT.time],
    ['下播', excelDate(r.session.endedAt), FMT.time],
  ];
  for (const [k, v, f] of info) {
    const row = ov.addRow({ name: k, key: '', value: v });
    if (f) row.getCell('value').numFmt = f;
  }
  ov.addRow({});
  ov.addRow({ name: '本场要点' }).font = { bold: true };
  for (const p of r.keyPoints) ov.addRow({ name: p.zh });

  // 复盘维度: the four review dimensions, one figure per row.
  const rv = r.review;
  const dims: Array<{ dim: string; name: string; value: number | null; kind: Kind; note?: string }> = [
    { dim: '销售指标达成', name: '成交金额', value: rv.sales.gmvFen, kind: 'money' },
    { dim: '销售指标达成', name: '成交目标', value: rv.sales.gmvTargetFen, kind: 'money', note: rv.sales.gmvTargetSource ? RETRO_WORDS['zh-CN'].targetSource[rv.sales.gmvTargetSource] : '未设' },
    { dim: '销售指标达成', name: '达成率', value: rv.sales.attainment, kind: 'pct' },
    { dim: '销售指标达成', name: '较前几场均值', value: rv.sales.vsPrevious, kind: 'pct' },
    { dim: '销售指标达成', name: '商品点击率', value: rv.sales.ctr.value, kind: 'pct', note: `目标 ${(rv.sales.ctr.target * 100).toFixed(1)}%` },
    { dim: '销售指标达成', name: '点击成交转化率', value: rv.sales.clickToOrder.value, kind: 'pct', note: `目标 ${(rv.sales.clickToOrder.target * 100).toFixed(1)}%` },
    { dim: '传播价值', name: '观看次数', value: rv.reach.pv, kind: 'int' },
    { dim: '传播价值', name: '累计观看人数', value: rv.reach.uv, kind: 'int' },
    { dim: '传播价值', name: '最高在线人数', value: rv.reach.peakOnline, kind: 'int' },
    { dim: '传播价值', name: '人均观看时长', value: rv.reach.avgWatchSec, kind: 'dur' },
    { dim: '传播价值', name: '分享次数', value: rv.reach.shares, kind: 'int' },
    { dim: '传播价值', name: '自然流量占比', value: rv.reach.naturalShare, kind: 'pct' },
    { dim: '人群资产沉淀', name: '新增粉丝', value: rv.audience.newFollowers, kind: 'int' },
    { dim: '人群资产沉淀', name: '转粉率', value: rv.audience.followRate, kind: 'pct' },
    { dim: '人群资产沉淀', name: '新加团人数', value: rv.audience.fansclubJoins, kind: 'int' },
    { dim: '人群资产沉淀', name: '成交人数', value: rv.audience.buyers, kind: 'int' },
    { dim: '人群资产沉淀', name: '回访观众', value: rv.audience.returningViewers, kind: 'int', note: '数据源未提供' },
    { dim: '投入产出比', name: '消耗', value: rv.roi.adSpendFen, kind: 'money' },
    { dim: '投入产出比', name: '整体支付ROI', value: rv.roi.roi, kind: 'ratio', note: `目标 ${rv.roi.roiTarget}` },
    { dim: '投入产出比', name: '广告支付ROI', value: rv.roi.adRoi, kind: 'ratio' },
    { dim: '投入产出比', name: '保本ROI', value: rv.roi.breakEvenRoi, kind: 'ratio' },
    { dim: '投入产出比', name: '每元成交毛利', value: rv.roi.margin, kind: 'pct' },
    { dim: '投入产出比', name: '估算利润', value: rv.roi.profitFen, kind: 'money', note: rv.roi.assumptionsZh.join('；') },
  ];
  const dimSheet = wb.addWorksheet('复盘维度', { views: [{ state: 'frozen', ySplit: 1 }] });
  dimSheet.columns = [
    { header: '维度', key: 'dim', width: 14 },
    { header: '指标', key: 'name', width: 16 },
    { header: '数值', key: 'value', width: 16 },
    { header: '说明', key: 'note', width: 60 },
  ];
  dimSheet.getRow(1).font = { bold: true };
  for (const d of dims) {
    const row = dimSheet.addRow({ dim: d.dim, name: d.name, value: cellValue(d.value, d.kind), note: d.note ?? '' });
    if (d.kind !== 'text') row.getCell('value').numFmt = FMT[d.kind];
  }

  // 分钟: METRICS.md's minute rows plus entries by source and demand comments. Every sheet names a
  // minute as people count it (第几分钟 = index + 1, shared/minutes.ts), so a row here, a note and
  // an alert of the same minute carry the same number.
  const demand = r.demand.perMinute;
  const traffic = new Map(r.traffic.perMinute.map((t) => [t.minute, t.bySource]));
  sheet(
    wb,
    '分钟',
    [
      { header: minuteColumn('zh-CN'), key: 'minuteN', kind: 'int', width: 9 },
      { header: '时间', key: 'ts', kind: 'time', width: 20 },
      { header: '讲解商品', key: 'pinned', kind: 'text', width: 24 },
      { header: '平均在线', key: 'onlineAvg', kind: 'int' },
      { header: '最高在线', key: 'onlineMax', kind: 'int' },
      { header: '分钟末在线', key: 'onlineEnd', kind: 'int' },
      { header: '进入人数', key: 'enters', kind: 'int' },
      ...TrafficSources.map((s): Col => ({ header: `进入·${SOURCE_LABELS[s].zh}`, key: `src_${s}`, kind: 'int' })),
      { header: '商品曝光次数', key: 'exposures', kind: 'int' },
      { header: '商品点击次数', key: 'clicks', kind: 'int' },
      { header: '商品点击率', key: 'ctr', kind: 'pct' },
      { header: '成交订单数', key: 'orders', kind: 'int' },
      { header: '成交件数', key: 'items', kind: 'int' },
      { header: '成交金额', key: 'gmvFen', kind: 'money', width: 14 },
      { header: '千次观看成交金额', key: 'gpm', kind: 'yuan' },
      { header: '退款金额', key: 'refundFen', kind: 'money' },
      { header: '消耗', key: 'adSpendFen', kind: 'money' },
      { header: '点赞', key: 'likes', kind: 'int' },
      { header: '评论', key: 'comments', kind: 'int' },
      { header: '需求评论', key: 'demand', kind: 'int' },
      { header: '新增粉丝', key: 'follows', kind: 'int' },
      { header: '分享', key: 'shares', kind: 'int' },
      { header: '新加团', key: 'fansclub', kind: 'int' },
      { header: '礼物价值', key: 'giftFen', kind: 'money' },
    ],
    r.minutes.map((m) => {
      const src = traffic.get(m.minute);
      return {
        ...m,
        minuteN: minuteNumber(m.minute),
        ts: m.ts,
        pinned: m.pinnedProductId ? (titles.get(m.pinnedProductId) ?? m.pinnedProductId) : null,
        demand: demand[m.minute] ?? 0,
        ...Object.fromEntries(TrafficSources.map((s) => [`src_${s}`, src?.[s] ?? 0])),
      };
    }),
  );

  sheet(
    wb,
    '商品',
    [
      { header: '商品ID', key: 'productId', kind: 'text', width: 16 },
      { header: '商品', key: 'title', kind: 'text', width: 30 },
      { header: '角色', key: 'roleName', kind: 'text', width: 8 },
      { header: '价格', key: 'priceFen', kind: 'money' },
      { header: '商品曝光次数', key: 'exposures', kind: 'int' },
      { header: '商品点击次数', key: 'clicks', kind: 'int' },
      { header: '商品点击率', key: 'ctr', kind: 'pct' },
      { header: '成交订单数', key: 'orders', kind: 'int' },
      { header: '成交件数', key: 'items', kind: 'int' },
      { header: '成交金额', key: 'gmvFen', kind: 'money', width: 14 },
      { header: '点击成交转化率', key: 'clickToOrder', kind: 'pct' },
      { header: '讲解次数', key: 'pins', kind: 'int' },
      { header: '讲解时长', key: 'pinnedSec', kind: 'dur' },
      { header: '讲解每分钟成交', key: 'gmvPerPinnedMin', kind: 'yuan' },
      { header: '商品GPM', key: 'productGpm', kind: 'yuan' },
      { header: '库存', key: 'stock', kind: 'int' },
      { header: '售罄', key: 'soldOutText', kind: 'text', width: 6 },
    ],
    r.products.map((p) => ({ ...p, roleName: p.role ? (ROLE_LABELS[p.role]?.zh ?? p.role) : null, soldOutText: p.soldOut ? '是' : '' })),
  );

  sheet(
    wb,
    '讲解段',
    [
      { header: '段', key: 'n', kind: 'int', width: 5 },
      { header: '商品ID', key: 'productId', kind: 'text', width: 16 },
      { header: '商品', key: 'title', kind: 'text', width: 28 },
      { header: '开始', key: 'startTs', kind: 'time', width: 20 },
      { header: `开始${minuteColumn('zh-CN')}`, key: 'startMin', kind: 'int' },
      { header: '时长', key: 'durationSec', kind: 'dur' },
      { header: '成交金额', key: 'gmvFen', kind: 'money', width: 14 },
      { header: '每分钟成交', key: 'gmvPerMin', kind: 'yuan' },
      { header: 'GPM', key: 'gpm', kind: 'yuan' },
      { header: '商品点击率', key: 'ctr', kind: 'pct' },
      { header: '点击成交转化率', key: 'clickToOrder', kind: 'pct' },
      { header: '成交订单数', key: 'orders', kind: 'int' },
      { header: '进入人数', key: 'enters', kind: 'int' },
      { header: '开始在线', key: 'onlineStart', kind: 'int' },
      { header: '结束在线', key: 'onlineEnd', kind: 'int' },
      { header: '在线变化', key: 'onlineChange', kind: 'pct' },
      { header: '每分钟成交比场均', key: 'vsRoom', kind: 'pct' },
      { header: '每分钟成交比本品其他段', key: 'vsProduct', kind: 'pct' },
      { header: '评价', key: 'verdictText', kind: 'text', width: 6 },
      { header: '建议', key: 'adviceText', kind: 'text', width: 8 },
    ],
    r.scorecard.segments.map((g) => ({
      ...g,
      n: g.index + 1,
      startMin: minuteNumber(g.startMinute),
      vsRoom: g.vsRoom.gmvPerMin,
      vsProduct: g.vsProduct?.gmvPerMin ?? null,
      verdictText: g.verdict === 'strong' ? '强' : g.verdict === 'weak' ? '弱' : '',
      adviceText: g.advice === 'followed' ? '采纳' : g.advice === 'against' ? '未采纳' : '',
    })),
  );

  const kindName: Record<string, string> = { 'next-up': '下一个讲解', 'switch-now': '建议换品', play: '流量应对' };
  const actName: Record<string, string> = { shown: '出现', accepted: '采纳', dismissed: '拒绝' };
  sheet(
    wb,
    '建议记录',
    [
      { header: '时间', key: 'time', kind: 'time', width: 20 },
      { header: '开播后', key: 'since', kind: 'dur' },
      { header: '类型', key: 'kindName', kind: 'text' },
      { header: '商品', key: 'product', kind: 'text', width: 26 },
      { header: '操作', key: 'actName', kind: 'text', width: 8 },
      { header: '操作人', key: 'byName', kind: 'text' },
      { header: '角色', key: 'byRole', kind: 'text' },
      { header: '原因', key: 'reason', kind: 'text', width: 30 },
      { header: '预计每分钟成交', key: 'value', kind: 'money' },
    ],
    r.actions.flatMap((d) =>
      d.type === 'suggestion'
        ? [
            {
              time: d.at,
              since: Math.max(0, (d.ts - startedAt) / 1000),
              kindName: kindName[d.kind] ?? d.kind,
              product: d.productId ? (titles.get(d.productId) ?? d.productId) : null,
              actName: actName[d.action] ?? d.action,
              byName: d.byName,
              byRole: d.byRole,
              reason: d.reason,
              value: typeof d.figures.valueFenPerMin === 'number' ? d.figures.valueFenPerMin : null,
            },
          ]
        : [],
    ),
  );

  sheet(
    wb,
    '投放操作',
    [
      { header: '开播后', key: 'since', kind: 'dur' },
      { header: '计划', key: 'planId', kind: 'text', width: 16 },
      { header: '操作', key: 'text', kind: 'text', width: 36 },
      { header: '调整前(每分钟)', key: 'before', kind: 'money' },
      { header: '调整后(每分钟)', key: 'after', kind: 'money' },
      { header: '来源', key: 'sourceName', kind: 'text' },
      { header: '操作人', key: 'byName', kind: 'text' },
      { header: '原因', key: 'reason', kind: 'text', width: 30 },
    ],
    r.timeline.adActions.map((a) => ({ ...a, since: Math.max(0, (a.ts - startedAt) / 1000), text: adActionText(a, 'zh-CN'), sourceName: a.source === 'advice' ? '采纳建议' : '手动' })),
  );

  sheet(
    wb,
    '备注',
    [
      { header: minuteColumn('zh-CN'), key: 'minuteText', kind: 'text', width: 9 },
      { header: '备注', key: 'text', kind: 'text', width: 60 },
      { header: '记录人', key: 'byName', kind: 'text' },
      { header: '记录时间', key: 'createdAt', kind: 'time', width: 20 },
    ],
    r.notes.map((n) => ({ ...n, minuteText: n.minute === null ? '全场' : String(minuteNumber(n.minute)) })),
  );

  sheet(
    wb,
    '需求词',
    [
      { header: '需求词', key: 'word', kind: 'text', width: 12 },
      { header: '次数', key: 'count', kind: 'int' },
    ],
    r.demand.words,
  );

  sheet(
    wb,
    '预警',
    [
      { header: minuteColumn('zh-CN'), key: 'm', kind: 'int', width: 9 },
      { header: '类型', key: 'kind', kind: 'text' },
      { header: '内容', key: 'params', kind: 'text', width: 50 },
      { header: '确认人', key: 'acknowledgedBy', kind: 'text', width: 16 },
      { header: '确认时间', key: 'acknowledgedAt', kind: 'time', width: 20 },
    ],
    // In words, as the dashboard raised it (the sheet is for people; the figures are in lcr report --json).
    r.alerts.map((a) => ({
      m: minuteNumber(a.minute),
      kind: a.kind,
      params: alertText(a, 'zh-CN'),
      acknowledgedBy: a.acknowledgedAt === null ? null : whoText(a.acknowledgedBy, a.acknowledgedRole, 'zh-CN'),
      acknowledgedAt: a.acknowledgedAt,
    })),
  );
  if (r.settlement) settlementSheet(wb, r.settlement);
  return wb;
}

/**
 * R9 "结算更新 / Settled vs live": each KPI the settled tables moved (live, settled, change, change %),
 * each row in its KPI's format, then every file imported for the session. Only for a session with a
 * settled import, so other workbooks keep their sheets.
 */
function settlementSheet(wb: ExcelJS.Workbook, st: Settlement): void {
  const ws = wb.addWorksheet('结算更新', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = [
    { header: '指标', key: 'name', width: 22 },
    { header: 'key', key: 'key', width: 16 },
    { header: '直播时', key: 'live', width: 16 },
    { header: '结算后', key: 'settled', width: 16 },
    { header: '变化', key: 'change', width: 16 },
    { header: '变化%', key: 'changePct', width: 10 },
  ];
  ws.getRow(1).font = { bold: true };
  for (const c of st.changes) {
    const meta = KPI_BY_KEY.get(c.key as KpiKey);
    const kind = unitKind(meta?.unit ?? 'count');
    const row = ws.addRow({ name: meta?.zh ?? c.key, key: c.key, live: cellValue(c.live, kind), settled: cellValue(c.settled, kind), change: cellValue(c.change, kind), changePct: c.changePct });
    for (const k of ['live', 'settled', 'change']) if (kind !== 'text') row.getCell(k).numFmt = FMT[kind];
    row.getCell('changePct').numFmt = '+0.0%;-0.0%;0.0%';
  }
  ws.addRow({});
  ws.addRow({ name: '导入记录' }).font = { bold: true };
  for (const i of st.imports) {
    const row = ws.addRow({ name: i.file, key: i.kind === 'settled' ? '结算' : '初步', live: { minutes: '分钟表', products: '商品表', totals: '汇总表' }[i.table], settled: excelDate(i.importedAt), change: i.rows });
    row.getCell('settled').numFmt = FMT.time;
  }
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

export async function writeXlsx(r: RetroReport, out: string): Promise<void> {
  const wb = await buildWorkbook(r);
  keepFormulaLikeTextAsText(wb);
  await wb.xlsx.writeFile(out);
}
