/** Run-of-show: adherence, re-ordering and reading a 排品表, on cases worked by hand. */
import { describe, expect, it } from 'vitest';
import { PlanTableError, adherence, closestProduct, parsePlanCsv, plannedAt, plannedStart, reorderRest, splitCsvLine } from '../../shared/suggest/plan.ts';
import type { ProductEstimate } from '../../shared/suggest/types.ts';

const plan = [
  { productId: 'a', minutes: 5 },
  { productId: 'b', minutes: 10 },
  { productId: 'c', minutes: 5 },
];

describe('plan clock', () => {
  it('repeats the plan', () => {
    expect(plannedStart(plan, 0)).toBe(0);
    expect(plannedStart(plan, 2)).toBe(15);
    expect(plannedStart(plan, 4)).toBe(25); // lap 2, item b: 20 + 5
    expect(plannedAt(plan, 0)).toBe(0);
    expect(plannedAt(plan, 14.9)).toBe(1);
    expect(plannedAt(plan, 21)).toBe(3); // lap 2, item a
  });
});

describe('adherence', () => {
  it('on plan, ahead, behind', () => {
    expect(adherence(plan, [{ productId: 'a', startMin: 0, endMin: null }], 3)).toMatchObject({ status: 'onPlan', cursor: 0, driftMin: 0, nextPlannedProductId: 'b' });
    // b planned at 5, started at 2: 3 minutes ahead
    const ahead = adherence(plan, [{ productId: 'a', startMin: 0, endMin: 2 }, { productId: 'b', startMin: 2, endMin: null }], 4);
    expect(ahead).toMatchObject({ status: 'ahead', driftMin: 3, plannedProductId: 'a', actualProductId: 'b' });
    // b planned at 5, started at 9: 4 minutes behind
    const behind = adherence(plan, [{ productId: 'a', startMin: 0, endMin: 9 }, { productId: 'b', startMin: 9, endMin: null }], 10);
    expect(behind).toMatchObject({ status: 'behind', driftMin: -4 });
  });

  it('skipped items and off-plan products', () => {
    const s = adherence(plan, [{ productId: 'a', startMin: 0, endMin: 5 }, { productId: 'c', startMin: 5, endMin: null }], 6);
    expect(s.skipped).toEqual(['b']);
    expect(s.cursor).toBe(2);
    expect(s.status).toBe('ahead'); // c planned at 15, started at 5
    const off = adherence(plan, [{ productId: 'a', startMin: 0, endMin: 5 }, { productId: 'x', startMin: 5, endMin: null }], 6);
    expect(off).toMatchObject({ status: 'offPlan', actualProductId: 'x', cursor: 0, nextPlannedProductId: 'b' });
    expect(adherence([], [], 3).status).toBe('noPlan');
  });
});

describe('re-ordering the rest', () => {
  const est = (productId: string, score: number, soldOut = false) => ({ productId, scoreFenPerMin: score, soldOut }) as ProductEstimate;
  it('puts the best expected first, sold-out last, unknown after ranked, keeping minutes', () => {
    const rest = [
      { productId: 'a', minutes: 5 },
      { productId: 'b', minutes: 10 },
      { productId: 'c', minutes: 5 },
      { productId: 'z', minutes: 3 },
    ];
    const out = reorderRest(rest, [est('a', 100), est('b', 300, true), est('c', 200)]);
    expect(out).toEqual([
      { productId: 'c', minutes: 5 },
      { productId: 'a', minutes: 5 },
      { productId: 'b', minutes: 10 },
      { productId: 'z', minutes: 3 },
    ]);
  });
});

describe('reading a 排品表', () => {
  const catalog = [
    { id: 'bea-lip', title: '丝绒哑光唇釉' },
    { id: 'bea-mask', title: '玻尿酸补水面膜' },
  ];
  it('reads Chinese headers, titles or ids, quotes and a BOM', () => {
    const csv = '\uFEFF序号,商品,时长\n1,丝绒哑光唇釉,8\n2,"bea-mask",5.5\n\n';
    expect(parsePlanCsv(csv, catalog)).toEqual([
      { productId: 'bea-lip', minutes: 8 },
      { productId: 'bea-mask', minutes: 5.5 },
    ]);
    expect(parsePlanCsv('productId,minutes\nx,3', undefined)).toEqual([{ productId: 'x', minutes: 3 }]);
  });

  it('rejects a bad table with the line, the column and the reason', () => {
    const bad = (csv: string) => {
      try {
        parsePlanCsv(csv, catalog);
      } catch (e) {
        return e instanceof PlanTableError ? e.message : `not a PlanTableError: ${String(e)}`;
      }
      return 'accepted';
    };
    expect(bad('商品,时长\nbea-lip,8\nbea-mask,abc')).toBe('line 3, column "时长": minutes must be a number above 0 and at most 1440 (got "abc")');
    expect(bad('商品,时长\n不存在,8')).toBe('line 2, column "商品": unknown product "不存在" (not in the room\'s catalog)');
    expect(bad('名称,时长\nbea-lip,8')).toMatch(/^line 1: no product column/);
    expect(bad('商品,时长\n')).toMatch(/no rows/);
  });

  it('splits CSV cells with escaped quotes', () => {
    expect(splitCsvLine('a,"b,""c""",d')).toEqual(['a', 'b,"c"', 'd']);
  });
});

describe('a refused run-of-show says every problem, in Chinese or English, with the product meant', () => {
  const catalog = [{ id: 'bea-mask', title: '玻尿酸补水保湿面膜 10片装' }, { id: 'bea-lip', title: '丝绒哑光唇釉 显白不拔干' }];
  it('lists every bad row, not only the first, and suggests the closest catalog product', () => {
    let err: PlanTableError | null = null;
    try {
      parsePlanCsv('商品,时长\n面膜,8\nbea-lip,abc\n玻尿酸补水保湿面莫 10片装,5\n,3\nbea-mask,0\n', catalog);
    } catch (e) {
      err = e as PlanTableError;
    }
    expect(err).toBeInstanceOf(PlanTableError);
    expect(err!.text('zh-CN').split('\n')).toEqual([
      '第 2 行「商品」列：找不到商品 "面膜"（直播间的商品列表里没有）',
      '第 3 行「时长」列：时长应为大于 0、不超过 1440 的分钟数（填的是 "abc"）',
      '第 4 行「商品」列：找不到商品 "玻尿酸补水保湿面莫 10片装"（直播间的商品列表里没有），是不是 "玻尿酸补水保湿面膜 10片装"？',
      '第 5 行「商品」列：商品为空',
      '第 6 行「时长」列：时长应为大于 0、不超过 1440 的分钟数（填的是 "0"）',
    ]);
    expect(err!.text('en').split('\n')[2]).toBe('line 4, column "商品": unknown product "玻尿酸补水保湿面莫 10片装" (not in the room\'s catalog); did you mean "玻尿酸补水保湿面膜 10片装"?');
  });

  it('suggests nothing for a name unlike every product', () => {
    expect(closestProduct('完全不同的东西', catalog)).toBeNull();
    expect(closestProduct('bea-lp', catalog)).toBe('bea-lip');
  });
});
