/**
 * What simulated viewers say, and what they are called.
 *
 * Kept apart from the model so the pools can grow without touching the arithmetic. Templates
 * use `{n}` for the pinned product's short name and `{k}` for its link number (几号链接), the
 * two ways viewers refer to a product on Douyin.
 */
import { hash32 } from './rng.ts';
import type { Rng } from './rng.ts';

/** Demand words: viewers wanting to buy the product being explained. */
export const DEMAND = [
  '链接',
  '上链接',
  '求链接',
  '快上链接',
  '{n}链接在哪',
  '{n}多少钱',
  '多少钱',
  '这个多少钱',
  '价格多少',
  '还有库存吗',
  '库存还有多少',
  '还有吗',
  '{n}还有吗',
  '{k}号链接',
  '{k}号还有吗',
  '{k}号多少钱',
  '{n}怎么买',
  '想要{n}',
  '{n}给我留一单',
  '链接呢链接呢',
  '拍不了啊',
  '{n}再加点库存',
] as const;

/** Questions about the product being explained (interest, not yet demand). */
export const QUESTIONS = [
  '{n}怎么用',
  '{n}有赠品吗',
  '{n}保质期多久',
  '能便宜点吗',
  '有优惠券吗',
  '发什么快递',
  '什么时候发货',
  '可以七天无理由吗',
  '{n}是正品吗',
  '买二有优惠吗',
  '{n}和上次的一样吗',
  '{n}适合送人吗',
  '有没有运费险',
  '学生党能用吗',
  '{n}好用吗',
] as const;

/** Size questions (尺码) for apparel: products tagged as clothing ask these a lot. */
export const SIZE_ASKS = [
  '尺码',
  '什么尺码',
  '尺码准吗',
  '160/100斤穿什么码',
  '165穿M还是L',
  '有大码吗',
  '偏大还是偏小',
  '170/130穿XL可以吗',
  '尺码表发一下',
  '{n}有几个颜色',
  '158 90斤穿S吗',
  '腰围多少',
] as const;

export const SOLD_OUT = ['没货了吗', '补货吗', '什么时候补货', '{n}没了？', '秒没了', '手慢了', '{k}号还补吗', '我还没抢到'] as const;

export const FLASH = ['冲', '秒杀冲冲冲', '抢到了！', '没抢到', '再上一点库存', '三二一上链接', '好便宜', '手速不够', '已拍已拍'] as const;

export const BOUGHT = ['拍了', '已拍', '拍了两单', '下单了', '抢到了', '已付款', '回购了', '给我妈也拍了一单'] as const;

export const GREETINGS = ['来了来了', '主播好', '晚上好', '刚来', '第一次来直播间', '打卡', '又来了', '每天都来', '从视频刷过来的', '家人们好', '刚来，讲的是什么'] as const;

export const CHAT = [
  '主播好美',
  '声音好好听',
  '666',
  '哈哈哈哈',
  '支持主播',
  '讲得好细',
  '主播辛苦了',
  '好喜欢这个直播间',
  '关注了',
  '点赞点赞',
  '太会了',
  '真的假的',
  '我已经回购好几次了',
  '上次买的很好用',
  '冲冲冲',
  '主播喝口水',
  '背景音乐叫什么',
  '已关注',
  '这个灯光好看',
  '主播今天几点下播',
] as const;

export const GIVEAWAY_PHRASES = ['主播人美心善', '家人们点点关注', '福袋快来', '好物不断', '宠粉福利', '今天必中', '关注主播不迷路'] as const;
export const GIVEAWAY_CHAT = ['福袋什么时候开', '中了！', '又没中', '福袋里是什么', '参与了'] as const;

/** Product tags that mean "apparel": size questions apply. */
const APPAREL_TAGS = ['服装', '女装', '男装', '童装', '鞋', '内衣', '尺码'];
export function isApparel(tags: readonly string[] | undefined): boolean {
  return !!tags?.some((t) => APPAREL_TAGS.some((a) => t.includes(a)));
}

export function fill(template: string, shortName: string, linkNo: number): string {
  return template.replaceAll('{n}', shortName).replaceAll('{k}', String(linkNo));
}

export function pickText(rng: Rng, pool: readonly string[], shortName: string, linkNo: number): string {
  return fill(rng.pick(pool), shortName, linkNo);
}

const NICK_A = ['爱吃', '快乐的', '小', '阿', '甜甜', '奶茶', '追风的', '佛系', '努力的', '晚睡的', '一只', '开心', '橘子味的', '不吃香菜的', '熬夜'];
const NICK_B = ['小鱼', '猫咪', '桃子', '宝妈', '打工人', '小熊', '橘子', '小太阳', '仙女', '柠檬', '大白', '兔兔', '芒果', '喵', '小胖'];

/** A viewer's nickname, stable for the viewer id (so the same viewer keeps one name). */
export function nicknameFor(viewerId: number): string {
  const h = hash32(`nick:${viewerId}`);
  // About a third of Douyin accounts keep the default "用户" + digits name.
  if (h % 3 === 0) return `用户${String(1_000_000_000 + (h % 8_999_999_999)).slice(0, 10)}`;
  const a = NICK_A[(h >>> 3) % NICK_A.length] ?? '';
  const b = NICK_B[(h >>> 9) % NICK_B.length] ?? '';
  const suffix = (h >>> 17) % 4 === 0 ? String((h >>> 20) % 1000) : '';
  return `${a}${b}${suffix}`;
}

/** Gifts as the platform prices them: 1 抖币 = ¥0.1 = 10 fen. Weights: how often each is sent. */
export const GIFTS: ReadonlyArray<{ name: string; valueFen: number; weight: number }> = [
  { name: '小心心', valueFen: 10, weight: 40 },
  { name: '玫瑰', valueFen: 10, weight: 20 },
  { name: '人气票', valueFen: 10, weight: 15 },
  { name: '棒棒糖', valueFen: 90, weight: 10 },
  { name: '加油鸭', valueFen: 150, weight: 6 },
  { name: '为你闪耀', valueFen: 990, weight: 3 },
  { name: '浪漫花火', valueFen: 1990, weight: 1.5 },
  { name: '跑车', valueFen: 12000, weight: 0.4 },
  { name: '嘉年华', valueFen: 300000, weight: 0.02 },
];
