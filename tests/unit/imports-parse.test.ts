/**
 * The column mapping (English field names and Chinese labels, units in headers) and the cell
 * rules (¥, 元, 万, thousands separators, %, dates), and a bad cell's line, column and reason.
 */
import { describe, expect, it } from 'vitest';
import { detectTableKind, resolveHeader } from '../../shared/imports/columns.ts';
import { ImportError, parseCell, parseDateTime, parseNumberCell, parseSeconds, parseTable, parseTimeCell } from '../../shared/imports/parse.ts';
import { decodeText, textRows } from '../../electron/core/imports/file.ts';

const rowsOf = (csv: string) => textRows(csv);

function importError(f: () => unknown): ImportError {
  try {
    f();
  } catch (e) {
    if (e instanceof ImportError) return e;
    throw e;
  }
  throw new Error('expected an ImportError');
}

describe('column mapping', () => {
  it('maps English field names and Chinese labels to the same field', () => {
    expect(resolveHeader('pay_amt', 'minutes')?.def.field).toBe('gmvFen');
    expect(resolveHeader('成交金额', 'minutes')?.def.field).toBe('gmvFen');
    expect(resolveHeader(' 成交金额（元） ', 'minutes')).toMatchObject({ def: { field: 'gmvFen' }, unit: 'yuan' });
    expect(resolveHeader('online_user_cnt', 'minutes')?.def.field).toBe('online');
    expect(resolveHeader('在线人数', 'minutes')?.def.field).toBe('online');
    expect(resolveHeader('千次观看成交金额', 'minutes')?.def.field).toBe('gpm');
    expect(resolveHeader('商品点击率(%)', 'products')).toMatchObject({ def: { field: 'ctr' }, headerUnit: { percent: true } });
    expect(resolveHeader('Stat_Time', 'minutes')?.def.field).toBe('time');
    expect(resolveHeader('whatever', 'minutes')).toBeNull();
  });

  it('reads each money column in its unit: product_pay_amt in fen, pay_amt in yuan, a unit in the header wins', () => {
    expect(resolveHeader('product_pay_amt', 'products')?.unit).toBe('fen');
    expect(resolveHeader('pay_amt', 'minutes')?.unit).toBe('yuan');
    expect(resolveHeader('成交金额(分)', 'minutes')?.unit).toBe('fen');
    expect(resolveHeader('product_pay_amt(元)', 'products')?.unit).toBe('yuan');
    expect(resolveHeader('成交金额(万元)', 'minutes')).toMatchObject({ unit: 'yuan', headerUnit: { money: 'wanYuan' } });
  });

  it('reads watch_ucnt as the minute’s entries in a trend table and as UV in a totals table', () => {
    expect(resolveHeader('watch_ucnt', 'minutes')?.def.field).toBe('enters');
    expect(resolveHeader('watch_ucnt', 'totals')?.def.field).toBe('uv');
  });

  it('tells the kind of table from its headers', () => {
    expect(detectTableKind(['时间', '在线人数', '成交金额'])).toBe('minutes');
    expect(detectTableKind(['product_id', 'product_click_cnt'])).toBe('products');
    expect(detectTableKind(['累计观看人数', '成交金额'])).toBe('totals');
    expect(detectTableKind(['stat_time', 'product_id'])).toBeNull();
  });
});

describe('cells', () => {
  const col = (unit: Parameters<typeof parseCell>[1]['unit'], header = 'c', headerUnit = {}) => ({ header, unit, headerUnit, field: 'gmvFen' as const });

  it('reads Compass money: ¥ / ￥ / 元, thousands separators, 万, into fen', () => {
    expect(parseCell('¥1,234.50', col('yuan'), 2)).toBe(123_450);
    expect(parseCell('￥1,234.5', col('yuan'), 2)).toBe(123_450);
    expect(parseCell('1234.56元', col('yuan'), 2)).toBe(123_456);
    expect(parseCell('1.2万', col('yuan'), 2)).toBe(1_200_000);
    expect(parseCell('12.34', col('yuan'), 2)).toBe(1234);
    expect(parseCell('59800', col('fen'), 2)).toBe(59_800);
    expect(parseCell('¥598', col('fen'), 2)).toBe(59_800); // a ¥ in the cell says yuan
    expect(parseCell('1.5', col('yuan', 'x', { money: 'wanYuan' }), 2)).toBe(1_500_000);
  });

  it('reads counts with separators, 万 and count words; rates as % or fractions', () => {
    expect(parseCell('1,500', col('count'), 2)).toBe(1500);
    expect(parseCell('1.2万', col('count'), 2)).toBe(12_000);
    expect(parseCell('1.23456万', col('count'), 2)).toBe(12_346);
    expect(parseCell('300人', col('count'), 2)).toBe(300);
    expect(parseCell('5.6%', col('rate'), 2)).toBeCloseTo(0.056, 12);
    expect(parseCell('0.056', col('rate'), 2)).toBeCloseTo(0.056, 12);
    expect(parseCell('5.6', col('rate', 'x', { percent: true }), 2)).toBeCloseTo(0.056, 12);
    expect(parseCell('-', col('count'), 2)).toBeUndefined();
    expect(parseCell('', col('yuan'), 2)).toBeUndefined();
  });

  it('rejects bad cells with the line, the column and the reason', () => {
    expect(importError(() => parseCell('abc', col('yuan', '成交金额'), 14)).message).toBe('line 14, column 成交金额: "abc" is not a number');
    expect(importError(() => parseCell('5.6', col('rate', '商品点击率'), 3)).message).toMatch(/^line 3, column 商品点击率: "5.6" is not a rate/);
    expect(importError(() => parseCell('12.5', col('count', '成交订单数'), 4)).message).toBe('line 4, column 成交订单数: "12.5" is not a whole number');
    expect(importError(() => parseCell('-3', col('count', '进入人数'), 5)).reason).toBe('"-3" is negative');
    expect(importError(() => parseCell('1.5', col('fen', 'product_pay_amt'), 6)).reason).toMatch(/whole number of fen/);
    expect(parseNumberCell('1,2')).toBeNull();
  });

  it('reads times: local date-times, epoch seconds and ms, ISO with offsets, clock times and minute indexes', () => {
    expect(parseDateTime('2024-11-11 20:05')).toBe(new Date(2024, 10, 11, 20, 5).getTime());
    expect(parseDateTime('2024/11/11 20:05:30')).toBe(new Date(2024, 10, 11, 20, 5, 30).getTime());
    expect(parseDateTime('2024年11月11日 20:05')).toBe(new Date(2024, 10, 11, 20, 5).getTime());
    expect(parseDateTime('1731326700')).toBe(1_731_326_700_000);
    expect(parseDateTime('1731326700000')).toBe(1_731_326_700_000);
    expect(parseDateTime('2024-11-11T12:05:00Z')).toBe(Date.UTC(2024, 10, 11, 12, 5));
    expect(parseDateTime('2024-11-11 20:05:00+08:00')).toBe(Date.UTC(2024, 10, 11, 12, 5));
    expect(parseDateTime('2024-02-31 20:05')).toBeNull();
    expect(parseTimeCell('20:05')).toEqual({ clock: 20 * 60 + 5 });
    expect(parseTimeCell('5')).toEqual({ index: 5 });
    expect(parseTimeCell('第5分钟')).toEqual({ index: 4 });
    expect(parseSeconds('1分23秒', false)).toBe(83);
    expect(parseSeconds('01:23', false)).toBe(83);
    expect(parseSeconds('1.5', true)).toBe(90);
  });
});

describe('tables', () => {
  it('reads a Chinese minute table under an export title line, with the file’s line numbers', () => {
    const t = parseTable(rowsOf('罗盘导出,,\n时间,在线人数,成交金额(元),备注\n2024-11-11 20:00,"1,000","¥1,234.50",x\n\n2024-11-11 20:01,1.2万,-,\n'));
    expect(t.table).toBe('minutes');
    expect(t.columns.map((c) => c.field)).toEqual(['time', 'online', 'gmvFen']);
    expect(t.ignored).toEqual(['备注']);
    expect(t.rows.map((r) => [r.line, r.values])).toEqual([
      [3, { online: 1000, gmvFen: 123_450 }],
      [5, { online: 12_000 }],
    ]);
  });

  it('reads an English product table; tab-separated text as copied from the screen too', () => {
    const t = parseTable(rowsOf('product_id\tproduct_name\tproduct_click_cnt\tproduct_pay_amt\np1\t面膜\t300\t59800\n'));
    expect(t.table).toBe('products');
    expect(t.rows[0]!.values).toEqual({ productId: 'p1', title: '面膜', clicks: 300, gmvFen: 59_800 });
  });

  it('refuses a whole table for one bad cell, naming where', () => {
    const csv = ['时间,成交金额', ...Array.from({ length: 12 }, (_, i) => `2024-11-11 20:${String(i).padStart(2, '0')},100`), '2024-11-11 20:12,abc'].join('\n');
    const e = importError(() => parseTable(rowsOf(csv)));
    expect(e.message).toBe('line 14, column 成交金额: "abc" is not a number');
  });

  it('refuses tables it cannot read, with reasons', () => {
    expect(importError(() => parseTable(rowsOf('a,b\n1,2\n'))).message).toMatch(/^line 1: no header row/);
    expect(importError(() => parseTable(rowsOf('时间,成交金额\n'))).message).toMatch(/^line 2: the table has no rows/);
    expect(importError(() => parseTable(rowsOf('时间,成交金额\n2024-11-11 20:00,1\n5,2\n'))).message).toMatch(/^line 3, column 时间: a minute index where the rows above have a date and time/);
    expect(importError(() => parseTable(rowsOf('时间,商品ID,成交金额\n'))).reason).toMatch(/both a time column and a product column/);
    expect(importError(() => parseTable(rowsOf('商品ID,讲解开始时间,讲解结束时间,成交金额\np1,2024-11-11 20:05,2024-11-11 20:01,1\n'))).message).toBe(
      'line 2, column 讲解结束时间: the explain window ends before it starts',
    );
    expect(importError(() => parseTable(rowsOf('累计观看人数,成交金额\n1,2\n3,4\n'))).line).toBe(3);
  });

  it('decodes UTF-8 with a BOM, and GBK', () => {
    const gbk = Buffer.from([0xca, 0xb1, 0xbc, 0xe4]); // 时间 in GBK
    expect(decodeText(gbk)).toBe('时间');
    expect(decodeText(Buffer.from('\uFEFF时间', 'utf8'))).toBe('时间');
  });
});
