/**
 * Demand signals from comments: demand words and product mentions, per minute and per product.
 * Pure and cheap — comments are about a third of all events, so `add` does a few substring scans
 * and segments a comment with Intl.Segmenter only when it must (see 拍 below).
 *
 * Definitions (keep this list current):
 * - Demand words: DEMAND_WORDS. The brief's list (链接 上链接 多少钱 价格 尺码 码数 库存 还有吗 有货 怎么买
 *   拍 优惠 便宜 发货 包邮) plus 补货 (asked when sold out), 想要, 色号 and 尺寸 (the size/colour
 *   questions of cosmetics and home goods). Multi-character words are found by substring: ICU's
 *   dictionary splits 链接 into 链/接 and 上链接 into 上/链/接, so segmentation alone would miss them.
 *   A word inside a longer matched one is not counted again (上链接 counts as 上链接, not also 链接).
 *   Each word counts at most once per comment.
 * - 拍 (to buy, 拍了/拍一单) counts only as a word of its own in Intl.Segmenter's segmentation,
 *   so 拍照 / 拍摄 / 拍拍 do not.
 * - Product names: from each catalog title, the segmenter's word-like tokens are grouped into
 *   phrases (a number, a space or punctuation ends a phrase; the unit after a number and generic
 *   words — 装 款 新品 新款 只装 整箱 多色 … — are dropped), and every run of whole tokens of 2–6
 *   characters in a phrase is a name: '玻尿酸补水保湿面膜 10片装' gives 面膜, 玻尿酸, 保湿面膜, … (ICU
 *   splits 面膜 into 面/膜, so single tokens alone would lose most names). A name shared by two
 *   products (不锈钢, 新疆) names the pinned one if it is one of them, else neither. "N号" (the
 *   link number viewers use: 3号链接) names the Nth product of the catalog.
 * - A comment is demand when it has a demand word or names a product. It is attributed to the
 *   product it names (the longest name wins); otherwise, when it has a demand word, to the product
 *   pinned at that moment; otherwise to none.
 * - perMinute[m] = demand comments in minute m; `lastMinute` figures are the last complete minute
 *   (the one before the newest minute seen).
 */
/** What the screen shows of the comments: demand words, products asked about, the newest comments. */
export interface DemandSummary {
  /** Demand words (链接, 多少钱, 尺码, 库存 …) with counts over the show and in the last complete minute. */
  words: Array<{ word: string; count: number; lastMinute: number }>;
  /** Products most asked about (by name or by demand words while pinned), most first. */
  products: Array<{ productId: string; title: string; count: number; lastMinute: number }>;
  /** Demand mentions per minute (index = minute). */
  perMinute: number[];
  /** The newest comments, newest last (at most 50). */
  recent: Array<{ ts: number; nickname: string | null; text: string; productId: string | null; demand: boolean }>;
}

export const DEMAND_WORDS = [
  '链接',
  '上链接',
  '多少钱',
  '价格',
  '尺码',
  '码数',
  '尺寸',
  '色号',
  '库存',
  '还有吗',
  '有货',
  '补货',
  '怎么买',
  '想要',
  '拍',
  '优惠',
  '便宜',
  '发货',
  '包邮',
] as const;

/** Words that name no product: packaging, units and sales talk found in titles. */
const GENERIC = new Set(['装', '款', '新品', '新款', '只装', '整箱', '多色', '一对', '送', '包邮', '同款', '爆款', '正品', '现货', '特价', '直降']);
const MIN_NAME = 2;
const MAX_NAME = 6;
const RECENT = 50;
/** Words the segmenter must confirm as a word of their own (substring would over-count). */
const SEGMENTED_WORDS = new Set(DEMAND_WORDS.filter((w) => w.length === 1));
/** Longest first, so a longer word claims its characters before a word inside it. */
const SUBSTRING_WORDS = DEMAND_WORDS.filter((w) => w.length > 1).sort((a, b) => b.length - a.length);

export interface CatalogProduct {
  id: string;
  title: string;
}

export interface DemandComment {
  ts: number;
  text: string;
  nickname?: string | null;
}

export interface DemandMatch {
  words: string[];
  productId: string | null;
  demand: boolean;
}

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const hasDigit = /\d/;
const cjk = /[\u3400-\u9fff]/;

/** The names viewers may use for a product, from its title (see the header). */
export function productNames(title: string): string[] {
  const names = new Set<string>();
  const phrases: string[][] = [];
  let phrase: string[] = [];
  let afterNumber = false;
  const close = () => {
    if (phrase.length) phrases.push(phrase);
    phrase = [];
  };
  for (const s of segmenter.segment(title.toLowerCase())) {
    const tok = s.segment;
    if (!s.isWordLike) {
      close();
      afterNumber = false;
      continue;
    }
    if (hasDigit.test(tok)) {
      close();
      afterNumber = true;
      continue;
    }
    // '10片装', '3条装', '6斤': the measure word after a number is a unit, not a name.
    if ((afterNumber && tok.length === 1 && cjk.test(tok)) || GENERIC.has(tok)) {
      close();
      afterNumber = false;
      continue;
    }
    afterNumber = false;
    phrase.push(tok);
  }
  close();
  for (const p of phrases) {
    for (let i = 0; i < p.length; i++) {
      let name = '';
      for (let j = i; j < p.length; j++) {
        name += p[j]!;
        if (name.length > MAX_NAME) break;
        // Two Latin letters ('pa' of PA++++, 'aa' of 国AA级) would match too much chat.
        if (name.length >= MIN_NAME && !GENERIC.has(name) && (cjk.test(name) || name.length > 2)) names.add(name);
      }
    }
  }
  return [...names];
}

interface Counted {
  count: number;
  byMinute: Map<number, number>;
}

function bump(map: Map<string, Counted>, key: string, minute: number): void {
  let c = map.get(key);
  if (c === undefined) {
    c = { count: 0, byMinute: new Map() };
    map.set(key, c);
  }
  c.count++;
  c.byMinute.set(minute, (c.byMinute.get(minute) ?? 0) + 1);
}

export class DemandCounter {
  private titles = new Map<string, string>();
  private catalogOrder: string[] = [];
  /** First character → names starting with it, longest first, each with the products it names. */
  private index = new Map<string, Array<{ name: string; ids: string[] }>>();
  private readonly namesCache = new Map<string, string[]>();
  private readonly words = new Map<string, Counted>();
  private readonly products = new Map<string, Counted>();
  private readonly perMinute: number[] = [];
  private readonly recent: DemandSummary['recent'] = [];
  private newestMinute = 0;
  /** Bumped on every change: the core pushes a summary only when it moved. */
  version = 0;

  setCatalog(products: readonly CatalogProduct[]): void {
    this.titles = new Map(products.map((p) => [p.id, p.title]));
    this.catalogOrder = products.map((p) => p.id);
    const byName = new Map<string, string[]>();
    for (const p of products) {
      let names = this.namesCache.get(p.title);
      if (names === undefined) {
        names = productNames(p.title);
        this.namesCache.set(p.title, names);
      }
      for (const n of names) {
        const ids = byName.get(n);
        if (ids === undefined) byName.set(n, [p.id]);
        else if (!ids.includes(p.id)) ids.push(p.id);
      }
    }
    const index = new Map<string, Array<{ name: string; ids: string[] }>>();
    for (const [name, ids] of byName) {
      const first = name[0]!;
      let list = index.get(first);
      if (list === undefined) {
        list = [];
        index.set(first, list);
      }
      list.push({ name, ids });
    }
    for (const list of index.values()) list.sort((a, b) => b.name.length - a.name.length);
    this.index = index;
    this.version++;
  }

  /** Demand words and the product a comment is about, without counting it. */
  match(text: string, pinnedProductId: string | null): DemandMatch {
    const lower = text.toLowerCase();
    const words = demandWords(lower);
    const named = this.namedProduct(lower, pinnedProductId);
    const productId = named ?? (words.length ? pinnedProductId : null);
    return { words, productId, demand: words.length > 0 || named !== null };
  }

  add(comment: DemandComment, minute: number, pinnedProductId: string | null): DemandMatch {
    const m = Math.max(0, Math.floor(minute));
    const r = this.match(comment.text, pinnedProductId);
    if (m > this.newestMinute) this.newestMinute = m;
    if (r.demand) {
      while (this.perMinute.length <= m) this.perMinute.push(0);
      this.perMinute[m] = this.perMinute[m]! + 1;
      for (const w of r.words) bump(this.words, w, m);
      if (r.productId !== null) bump(this.products, r.productId, m);
    }
    this.recent.push({ ts: comment.ts, nickname: comment.nickname ?? null, text: comment.text, productId: r.productId, demand: r.demand });
    if (this.recent.length > RECENT) this.recent.shift();
    this.version++;
    return r;
  }

  /** `nowMinute`: the minute containing the live window end, when the caller knows it (else the newest comment's). */
  summary(nowMinute?: number): DemandSummary {
    const current = Math.max(this.newestMinute, nowMinute ?? 0);
    const last = current - 1;
    const words = [...this.words]
      .map(([word, c]) => ({ word, count: c.count, lastMinute: c.byMinute.get(last) ?? 0 }))
      .sort((a, b) => b.count - a.count || b.lastMinute - a.lastMinute || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0));
    const products = [...this.products]
      .map(([productId, c]) => ({ productId, title: this.titles.get(productId) ?? productId, count: c.count, lastMinute: c.byMinute.get(last) ?? 0 }))
      .sort((a, b) => b.count - a.count || b.lastMinute - a.lastMinute || (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0));
    const perMinute = this.perMinute.slice();
    while (perMinute.length <= current) perMinute.push(0);
    return { words, products, perMinute, recent: this.recent.map((c) => ({ ...c })) };
  }

  private namedProduct(text: string, pinned: string | null): string | null {
    let best: string | null = null;
    let bestLen = 0;
    if (this.index.size) {
      for (let i = 0; i < text.length; i++) {
        const list = this.index.get(text[i]!);
        if (list === undefined) continue;
        for (const { name, ids } of list) {
          if (name.length <= bestLen) break;
          if (!text.startsWith(name, i)) continue;
          const id = ids.length === 1 ? ids[0]! : pinned !== null && ids.includes(pinned) ? pinned : null;
          if (id === null) continue;
          best = id;
          bestLen = name.length;
          break;
        }
      }
    }
    if (best !== null) return best;
    // 几号链接: viewers name a product by its link number, the catalog order.
    const link = /(\d{1,3})\s*号/.exec(text);
    if (link) {
      const id = this.catalogOrder[Number(link[1]) - 1];
      if (id !== undefined) return id;
    }
    return null;
  }
}

/** The demand words in a (lower-cased) comment, each once. */
export function demandWords(text: string): string[] {
  const found: string[] = [];
  let claimed: Array<[number, number]> | null = null;
  for (const w of SUBSTRING_WORDS) {
    let at = text.indexOf(w);
    let counted = false;
    while (at >= 0) {
      const end = at + w.length;
      if (!claimed || !claimed.some(([a, b]) => at >= a && end <= b)) counted = true;
      (claimed ??= []).push([at, end]);
      at = text.indexOf(w, end);
    }
    if (counted) found.push(w);
  }
  for (const w of SEGMENTED_WORDS) {
    if (!text.includes(w)) continue;
    for (const s of segmenter.segment(text)) {
      if (s.segment === w) {
        found.push(w);
        break;
      }
    }
  }
  return found;
}
