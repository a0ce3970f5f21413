/** Demand signals (shared/comments/demand.ts header): product names from real catalog titles, demand words, attribution. */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DemandCounter, demandWords, productNames } from '../../shared/comments/demand.ts';

const scenarioDir = fileURLToPath(new URL('../../assets/scenarios/', import.meta.url));
interface ScenarioProduct {
  id: string;
  title: string;
  shortName?: string;
}
const scenarios = readdirSync(scenarioDir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({ file: f, products: (JSON.parse(readFileSync(scenarioDir + f, 'utf8')) as { products: ScenarioProduct[] }).products }));

function counter(products: Array<{ id: string; title: string }>): DemandCounter {
  const d = new DemandCounter();
  d.setCatalog(products);
  return d;
}

describe('product names from titles (Intl.Segmenter)', () => {
  it('keeps the words of a title and drops numbers, units and packaging', () => {
    const names = productNames('玻尿酸补水保湿面膜 10片装');
    // Node's ICU splits it 玻/尿酸/补/水保/湿/面/膜: runs of whole tokens give 面膜 and 补水保湿, but not 保湿 (inside 水保).
    expect(names).toEqual(expect.arrayContaining(['面膜', '玻尿酸', '补水保湿', '补水保湿面膜']));
    for (const generic of ['10', '片', '装', '片装', '10片装']) expect(names).not.toContain(generic);
    expect(productNames('纯棉宽松短袖T恤 多色')).toEqual(expect.arrayContaining(['t恤', '短袖', '纯棉']));
    expect(productNames('纯棉宽松短袖T恤 多色')).not.toContain('多色');
    expect(productNames('软糯针织开衫 新款')).not.toContain('新款');
    expect(productNames('国AA级护眼台灯 无频闪')).not.toContain('aa'); // two Latin letters match too much chat
  });

  it("finds what viewers call each product of the real scenarios when the title contains it", () => {
    let checked = 0;
    for (const { file, products } of scenarios) {
      const d = counter(products);
      for (const p of products) {
        const short = p.shortName;
        if (!short || !p.title.toLowerCase().includes(short.toLowerCase())) continue; // 洗面奶 for 洁面乳: not derivable
        const shared = products.filter((q) => q.title.toLowerCase().includes(short.toLowerCase()));
        const m = d.match(`${short}多少钱`, null);
        // A name in two titles (精华 in 精华液 and 水乳精华礼盒) names neither unless one of them is pinned.
        if (shared.length === 1) expect(m.productId, `${file} ${short}`).toBe(p.id);
        else expect(d.match(`${short}多少钱`, p.id).productId, `${file} ${short} pinned`).toBe(p.id);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
  });
});

describe('demand words', () => {
  it('finds multi-character words by substring, each once, a word inside a longer one not again', () => {
    expect(demandWords('面膜多少钱')).toEqual(['多少钱']);
    expect(demandWords('尺码准吗')).toEqual(['尺码']);
    expect(demandWords('上链接')).toEqual(['上链接']);
    expect(demandWords('快上链接')).toEqual(['上链接']);
    expect(demandWords('链接呢链接呢')).toEqual(['链接']);
    expect(demandWords('上链接啊，链接在哪')).toEqual(['上链接', '链接']);
    expect(demandWords('还有库存吗')).toEqual(['库存']);
    expect(demandWords('主播好美')).toEqual([]);
    expect(demandWords('160/100斤穿什么码')).toEqual([]);
  });

  it('counts 拍 only as a word of its own', () => {
    expect(demandWords('拍了两单')).toEqual(['拍']);
    expect(demandWords('已拍已拍')).toEqual(['拍']);
    expect(demandWords('拍照好看')).toEqual([]);
    expect(demandWords('拍摄得真好')).toEqual([]);
  });
});

describe('DemandCounter', () => {
  const catalog = [
    { id: 'mask', title: '玻尿酸补水保湿面膜 10片装' },
    { id: 'lip', title: '丝绒哑光唇釉 显白不拔干' },
    { id: 'cushion', title: '轻薄持妆气垫粉底 SPF35' },
  ];

  it('attributes to the product named, else demand words to the pinned one', () => {
    const d = counter(catalog);
    expect(d.add({ ts: 1, text: '唇釉多少钱' }, 0, 'mask')).toEqual({ words: ['多少钱'], productId: 'lip', demand: true });
    expect(d.add({ ts: 2, text: '上链接' }, 0, 'mask')).toEqual({ words: ['上链接'], productId: 'mask', demand: true });
    expect(d.add({ ts: 3, text: '气垫好用吗' }, 0, 'mask')).toEqual({ words: [], productId: 'cushion', demand: true });
    expect(d.add({ ts: 4, text: '主播好美' }, 0, 'mask')).toEqual({ words: [], productId: null, demand: false });
    expect(d.add({ ts: 5, text: '多少钱' }, 0, null)).toEqual({ words: ['多少钱'], productId: null, demand: true });
    // 几号链接: the link number is the catalog position.
    expect(d.add({ ts: 6, text: '3号链接' }, 0, 'mask').productId).toBe('cushion');
    const s = d.summary(0);
    expect(s.products).toEqual([
      { productId: 'cushion', title: '轻薄持妆气垫粉底 SPF35', count: 2, lastMinute: 0 },
      { productId: 'lip', title: '丝绒哑光唇釉 显白不拔干', count: 1, lastMinute: 0 },
      { productId: 'mask', title: '玻尿酸补水保湿面膜 10片装', count: 1, lastMinute: 0 },
    ]);
    expect(s.words).toEqual([
      { word: '多少钱', count: 2, lastMinute: 0 },
      { word: '上链接', count: 1, lastMinute: 0 },
      { word: '链接', count: 1, lastMinute: 0 },
    ]);
  });

  it('counts demand per minute, and the last complete minute', () => {
    const d = counter(catalog);
    d.add({ ts: 1, text: '链接' }, 0, 'mask');
    d.add({ ts: 2, text: '面膜还有吗' }, 0, null);
    d.add({ ts: 3, text: '哈哈哈' }, 1, 'mask');
    d.add({ ts: 4, text: '尺码' }, 2, 'lip');
    d.add({ ts: 5, text: '唇釉多少钱' }, 2, 'lip');
    // minute 0: 2 demand, minute 1: none (chat), minute 2: 2.
    expect(d.summary().perMinute).toEqual([2, 0, 2]);
    // At minute 3 the last complete minute is 2; the series runs up to the current minute.
    const s = d.summary(3);
    expect(s.perMinute).toEqual([2, 0, 2, 0]);
    expect(s.products).toEqual([
      { productId: 'lip', title: '丝绒哑光唇釉 显白不拔干', count: 2, lastMinute: 2 },
      { productId: 'mask', title: '玻尿酸补水保湿面膜 10片装', count: 2, lastMinute: 0 },
    ]);
    expect(s.words.find((w) => w.word === '尺码')).toEqual({ word: '尺码', count: 1, lastMinute: 1 });
  });

  it('keeps the newest 50 comments, newest last, with their attribution', () => {
    const d = counter(catalog);
    const v0 = d.version;
    for (let i = 0; i < 120; i++) d.add({ ts: i, text: i % 2 ? `面膜${i}` : `聊天${i}`, nickname: `u${i}` }, 0, null);
    expect(d.version).toBeGreaterThan(v0);
    const r = d.summary().recent;
    expect(r).toHaveLength(50);
    expect(r[0]).toEqual({ ts: 70, nickname: 'u70', text: '聊天70', productId: null, demand: false });
    expect(r.at(-1)).toEqual({ ts: 119, nickname: 'u119', text: '面膜119', productId: 'mask', demand: true });
  });

  it('is cheap enough for the hot path', () => {
    const d = counter(scenarios.flatMap((s) => s.products).slice(0, 20));
    const texts = ['面膜多少钱', '上链接', '主播好美', '拍了两单', '165穿M还是L', '3号还有吗', '哈哈哈哈', '什么时候发货'];
    const n = 20_000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) d.add({ ts: i, text: texts[i % texts.length]! }, Math.floor(i / 1000), 'p1');
    const perComment = (performance.now() - t0) / n;
    // Generous for a loaded CI box; typically a few microseconds.
    expect(perComment).toBeLessThan(0.2);
  });
});
