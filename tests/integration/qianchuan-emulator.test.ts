/**
 * The 千川 emulator on loopback, exercised with plain fetch the way the app's client will be:
 * OAuth and rotating refresh tokens, token errors, bare 64-bit ids in the raw text, pagination
 * (with duplicates and reordering), rate-limit answers, batch writes with per-item errors, the
 * ROI-goal rules, writes changing what the next read and the next minutes show, and the operation
 * log. Time is injected and frozen, so every figure is deterministic and nothing sleeps.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseApiJson } from '../../electron/core/platforms/common/json.ts';
import { PATHS, QC, QianchuanEmulator } from '../emulators/qianchuan.ts';
import { checkDoorAsync, fc } from '../helpers/fuzz.ts';
import { hostileString, hostileValue } from '../helpers/hostile.ts';

/** 2025-06-18 10:00 in Shanghai: mid-morning, far from a day boundary. */
const T0 = Date.UTC(2025, 5, 18, 2, 0, 0);
const TODAY = '2025-06-18';
const MIN = 60_000;

interface Answer {
  status: number;
  raw: string;
  headers: Headers;
  body: { code: number; message: string; request_id: string; data: Record<string, unknown> };
}

const isPost = (path: string): boolean => /\/update\/$|oauth2\/(access_token|refresh_token)\/$/.test(path);

let emu: QianchuanEmulator;
let token: string;

async function call(path: string, params: Record<string, unknown> = {}, opts: { token?: string | null; method?: 'GET' | 'POST'; rawBody?: string } = {}): Promise<Answer> {
  const method = opts.method ?? (isPost(path) ? 'POST' : 'GET');
  const headers: Record<string, string> = {};
  const t = opts.token === undefined ? token : opts.token;
  if (t) headers['Access-Token'] = t;
  let url = `${emu.url}${path}`;
  let body: string | undefined;
  if (method === 'GET') {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) q.set(k, typeof v === 'string' ? v : JSON.stringify(v));
    url += `?${q}`;
  } else {
    headers['Content-Type'] = 'application/json';
    body = opts.rawBody ?? JSON.stringify(params);
  }
  const res = await fetch(url, { method, headers, body });
  const raw = await res.text();
  const json = (res.headers.get('content-type') ?? '').startsWith('application/json');
  return { status: res.status, raw, headers: res.headers, body: (json ? parseApiJson(raw) : null) as Answer['body'] };
}

const data = <T = Record<string, unknown>>(a: Answer): T => {
  expect(a.body.code, a.body.message).toBe(0);
  return a.body.data as T;
};

/** An id as the client must read it: losslessly, as a decimal string. */
const idText = (v: unknown): string => String(v);

beforeEach(async () => {
  emu = await QianchuanEmulator.start({ seed: 11, now: () => T0 });
  token = emu.issueTokens().accessToken;
});

afterEach(async () => {
  expect(emu.internalErrors).toEqual([]);
  await emu.close();
});

describe('OAuth', () => {
  it('exchanges an auth_code once and rotates the refresh token on every refresh', async () => {
    const code = emu.authCode();
    const first = await call(PATHS.accessToken, { app_id: Number(emu.appId), secret: emu.secret, auth_code: code });
    const pair = data<{ access_token: string; refresh_token: string; expires_in: number; refresh_token_expires_in: number; advertiser_ids: unknown[] }>(first);
    expect(pair.expires_in).toBe(86399);
    expect(pair.refresh_token_expires_in).toBe(2591999);
    expect(pair.advertiser_ids.map(idText)).toEqual([emu.advertiserId]);
    expect(first.raw).toContain(`"advertiser_ids":[${emu.advertiserId}]`);

    const again = await call(PATHS.accessToken, { app_id: Number(emu.appId), secret: emu.secret, auth_code: code });
    expect(again.body.code).toBe(QC.INVALID_PARAM);

    const refreshed = data<{ access_token: string; refresh_token: string }>(await call(PATHS.refreshToken, { app_id: emu.appId, secret: emu.secret, refresh_token: pair.refresh_token }));
    expect(refreshed.refresh_token).not.toBe(pair.refresh_token);
    expect(refreshed.access_token).not.toBe(pair.access_token);
    const reused = await call(PATHS.refreshToken, { app_id: emu.appId, secret: emu.secret, refresh_token: pair.refresh_token });
    expect(reused.body.code).toBe(QC.REFRESH_TOKEN_INVALID);
    // The new pair works, and rotates in turn.
    const list = data<{ list: { advertiser_id: unknown }[] }>(await call(PATHS.advertiserGet, {}, { token: refreshed.access_token }));
    expect(list.list.map((a) => idText(a.advertiser_id))).toEqual([emu.advertiserId]);
    // The SDK sends this one's token as a query parameter.
    const viaQuery = await call(PATHS.advertiserGet, { access_token: refreshed.access_token }, { token: null });
    expect(viaQuery.body.code).toBe(0);
    expect(emu.requests().at(-1)!.query).toEqual({});
    data(await call(PATHS.refreshToken, { app_id: emu.appId, secret: emu.secret, refresh_token: refreshed.refresh_token }));

    const wrongSecret = await call(PATHS.refreshToken, { app_id: emu.appId, secret: 'nope', refresh_token: refreshed.refresh_token });
    expect(wrongSecret.body.code).toBe(QC.INVALID_PARAM);
  });

  it('answers the token codes for a missing, unknown and expired access token', async () => {
    const q = { advertiser_id: emu.advertiserId, filtering: { marketing_goal: 'LIVE_PROM_GOODS' } };
    expect((await call(PATHS.adGet, q, { token: null })).body.code).toBe(QC.TOKEN_MISSING);
    expect((await call(PATHS.adGet, q, { token: 'f'.repeat(40) })).body.code).toBe(QC.TOKEN_INVALID);
    data(await call(PATHS.adGet, q));
    emu.advance(86_398_000);
    data(await call(PATHS.adGet, q));
    emu.advance(1_000);
    const expired = await call(PATHS.adGet, q);
    expect(expired.status).toBe(200);
    expect(expired.body.code).toBe(QC.TOKEN_INVALID);
    expect(expired.body.request_id).toMatch(/^\d{14}[0-9A-F]{20}$/);
  });

  it('refuses an advertiser the token does not cover', async () => {
    const other = emu.addAdvertiser();
    const narrow = emu.issueTokens([emu.advertiserId]).accessToken;
    const a = await call(PATHS.adGet, { advertiser_id: other.advertiserId, filtering: { marketing_goal: 'LIVE_PROM_GOODS' } }, { token: narrow });
    expect(a.body.code).toBe(QC.NO_PERMISSION);
  });
});

describe('64-bit ids', () => {
  it('sends room, aweme, advertiser, plan and product ids as bare numbers above 2^53', async () => {
    const room = emu.addRoom({ roomId: '7312345678901234567', products: [{ productId: '3612345678901234567', title: '羊绒衫', price: 299, stock: 50 }] });
    const plan = emu.addPlan({ adId: '1790123456789012345', budget: 1000, roiGoal: 2 });
    emu.advance(5 * MIN);
    const rooms = await call(PATHS.roomGet, { advertiser_id: emu.advertiserId, aweme_id: emu.awemeId, date_time: TODAY, fields: ['stat_cost'] });
    expect(rooms.raw).toContain('"room_id":7312345678901234567');
    expect(rooms.raw).toContain(`"aweme_id":${emu.awemeId}`);
    // What JSON.parse would do to it: the last digits are gone.
    expect(String((JSON.parse(rooms.raw) as { data: { room_list: { room_id: number }[] } }).data.room_list[0]!.room_id)).not.toBe('7312345678901234567');
    const list = data<{ room_list: { room_id: unknown; aweme_id: unknown }[] }>(rooms).room_list;
    expect(list.map((r) => idText(r.room_id))).toEqual([room.roomId]);
    expect(idText(list[0]!.aweme_id)).toBe(emu.awemeId);

    const products = await call(PATHS.roomProductListGet, { advertiser_id: emu.advertiserId, room_id: room.roomId, fields: ['live_pay_order_gmv_alias'] });
    expect(products.raw).toContain('"productId":3612345678901234567');
    const ads = await call(PATHS.adGet, { advertiser_id: emu.advertiserId, filtering: { marketing_goal: 'LIVE_PROM_GOODS', ids: [plan.adId] } });
    expect(ads.raw).toContain('"ad_id":1790123456789012345');
    // A big id sent as a bare number in the filter is read exactly too.
    const byBareId = await fetch(`${emu.url}${PATHS.adGet}?advertiser_id=${emu.advertiserId}&filtering=${encodeURIComponent(`{"marketing_goal":"LIVE_PROM_GOODS","ids":[${plan.adId}]}`)}`, { headers: { 'Access-Token': token } });
    const parsed = parseApiJson(await byBareId.text()) as { data: { list: { ad_id: unknown }[] } };
    expect(parsed.data.list.map((x) => idText(x.ad_id))).toEqual([plan.adId]);
  });
});

describe('reads', () => {
  it('pages a product list and refuses a page size over 100', async () => {
    const room = emu.addRoom({ products: Array.from({ length: 25 }, (_, i) => ({ title: `商品${i + 1}`, price: 10 + i, stock: 100 })) });
    const seen: string[] = [];
    let totalPage = 0;
    for (let page = 1; page <= 3; page++) {
      const d = data<{ list: { productId: unknown }[]; page_info: { total_num: number; total_page: number; page_size: number } }>(
        await call(PATHS.roomProductListGet, { advertiser_id: emu.advertiserId, room_id: room.roomId, fields: ['live_product_explain_cnt'], page: String(page), page_size: '10' }),
      );
      expect(d.page_info.total_num).toBe(25);
      totalPage = d.page_info.total_page;
      seen.push(...d.list.map((p) => idText(p.productId)));
    }
    expect(totalPage).toBe(3);
    expect(seen).toEqual(room.products.map((p) => p.productId));
    const tooBig = await call(PATHS.roomProductListGet, { advertiser_id: emu.advertiserId, room_id: room.roomId, fields: ['title'], page_size: '101' });
    expect(tooBig.body.code).toBe(QC.INVALID_PARAM);
    const typo = await call(PATHS.roomProductListGet, { advertiser_id: emu.advertiserId, room_id: room.roomId, fields: ['live_product_inventory'] });
    expect(typo.body.code).toBe(QC.INVALID_PARAM);
    const noRoom = await call(PATHS.roomProductListGet, { advertiser_id: emu.advertiserId, fields: ['title'] });
    expect(noRoom.body.code).toBe(QC.MISSING_PARAM);
  });

  it('can repeat an item across pages and reorder between polls; every id is still there once de-duplicated', async () => {
    const room = emu.addRoom({ products: Array.from({ length: 12 }, (_, i) => ({ title: `商品${i + 1}`, price: 20, stock: 10 })) });
    emu.setListChaos({ duplicateAcrossPages: true, reorderBetweenPolls: true });
    const poll = async (): Promise<string[]> => {
      const ids: string[] = [];
      for (let page = 1; ; page++) {
        const d = data<{ list: { productId: unknown }[]; page_info: { total_page: number; total_num: number } }>(
          await call(PATHS.roomProductListGet, { advertiser_id: emu.advertiserId, room_id: room.roomId, fields: ['title'], page: String(page), page_size: '5' }),
        );
        expect(d.page_info.total_num).toBe(12);
        ids.push(...d.list.map((p) => idText(p.productId)));
        if (page >= d.page_info.total_page) return ids;
      }
    };
    const a = await poll();
    const b = await poll();
    expect(a.length).toBeGreaterThan(12);
    expect(new Set(a).size).toBe(12);
    expect(new Set(b)).toEqual(new Set(a));
    expect([...new Set(b)]).not.toEqual([...new Set(a)]);
  });

  it('grows room totals, explains one product at a time, sells down stock and ends the room', async () => {
    const room = emu.addRoom({ durationMs: 30 * MIN, explainEveryMs: 2 * MIN, products: [{ title: 'A', price: 99, stock: 1000 }, { title: 'B', price: 59, stock: 1000 }, { title: 'C', price: 199, stock: 1000 }] });
    emu.addPlan({ budget: 2000, roiGoal: 2 });
    const totals = async () =>
      data<Record<string, number>>(
        await call(PATHS.reportTodayLiveGet, {
          advertiser_id: emu.advertiserId, aweme_id: emu.awemeId, start_time: `${TODAY} 00:00:00`, end_time: `${TODAY} 23:59:59`,
          fields: ['stat_cost', 'total_live_watch_cnt', 'live_click_product_count_alias', 'live_pay_order_count_alias', 'live_pay_order_gmv_alias', 'luban_live_pay_order_gmv', 'click_cnt'],
        }),
      );
    const before = await totals();
    emu.advance(10 * MIN);
    const after = await totals();
    for (const k of Object.keys(before)) expect(after[k], k).toBeGreaterThan(before[k]!);
    expect(after.luban_live_pay_order_gmv).toBeLessThanOrEqual(after.live_pay_order_gmv_alias!);
    const truth = emu.room(room.roomId);
    expect(after.total_live_watch_cnt).toBe(truth.totals.watch);
    expect(Math.round(after.live_pay_order_gmv_alias! * 100)).toBe(truth.totals.gmvFen);
    expect(truth.products.filter((p) => p.explainStatus === 'BEINGEXPLAIN')).toHaveLength(1);
    expect(truth.products.reduce((s, p) => s + p.orders, 0)).toBe(truth.totals.payOrders);
    for (const p of truth.products) expect(p.stock).toBe(1000 - p.orders);

    emu.advance(25 * MIN);
    const ended = emu.room(room.roomId);
    expect(ended.status).toBe('FINISH');
    expect(ended.products.some((p) => p.explainStatus === 'BEINGEXPLAIN')).toBe(false);
    const list = data<{ room_list: { room_status: string; end_time: string; room_delivery: number }[] }>(
      await call(PATHS.roomGet, { advertiser_id: emu.advertiserId, aweme_id: emu.awemeId, date_time: TODAY, fields: ['stat_cost'] }),
    );
    expect(list.room_list[0]).toMatchObject({ room_status: 'FINISH', end_time: '2025-06-18 10:30:00', room_delivery: 0 });
    emu.advance(10 * MIN);
    expect(emu.room(room.roomId).totals).toEqual(ended.totals);
  });

  it('is deterministic: the same seed and steps give the same show', async () => {
    const run = async (): Promise<unknown> => {
      const e = await QianchuanEmulator.start({ seed: 5, now: () => T0 });
      e.addRoom({ roomId: '7300000000000000001', products: [{ productId: '3600000000000000001', title: 'A', price: 88, stock: 300 }] });
      e.addPlan({ adId: '1700000000000000001', budget: 1500, bid: 35 });
      e.advance(15 * MIN);
      const s = e.snapshot();
      await e.close();
      return s;
    };
    expect(await run()).toEqual(await run());
  });

  it('reports uni_promotion stat_cost in 元 or in 1/100000 元 as switched', async () => {
    emu.addRoom({ products: [{ title: 'A', price: 100, stock: 1000 }] });
    const uni = emu.addPlan({ kind: 'uni', budget: 5000, roiGoal: 3 });
    emu.advance(10 * MIN);
    const read = async () =>
      data<{ ad_list: { ad_info: { id: unknown; roi2_goal: number }; stats_info: { stat_cost: number } }[] }>(
        await call(PATHS.uniPromotionList, { advertiser_id: emu.advertiserId, start_time: `${TODAY} 00:00:00`, end_time: `${TODAY} 23:59:59`, marketing_goal: 'LIVE_PROM_GOODS', fields: ['stat_cost', 'total_pay_order_gmv_for_roi2'] }),
      ).ad_list;
    const costFen = emu.plan(uni.adId).todayCostFen;
    expect(costFen).toBeGreaterThan(0);
    expect((await read())[0]!.stats_info.stat_cost).toBe(costFen / 100);
    emu.uniStatCostUnit = '1e-5 yuan';
    expect((await read())[0]!.stats_info.stat_cost).toBe(costFen * 1000);
    expect(idText((await read())[0]!.ad_info.id)).toBe(uni.adId);
  });
});

describe('rate limits and forced answers', () => {
  it('answers the layer code with X-RateLimit-Dimension, and recovers as the bucket refills', async () => {
    const q = { advertiser_id: emu.advertiserId, filtering: { marketing_goal: 'LIVE_PROM_GOODS' } };
    emu.setRateLimit('ad/get', 'developer', { capacity: 2, refillPerSec: 1 });
    data(await call(PATHS.adGet, q));
    data(await call(PATHS.adGet, q));
    const tripped = await call(PATHS.adGet, q);
    expect(tripped.body.code).toBe(QC.RATE_DEVELOPER);
    expect(tripped.headers.get('x-ratelimit-dimension')).toBe('developer');
    emu.advance(1000);
    data(await call(PATHS.adGet, q));

    emu.setRateLimit('ad/get', 'advertiser', { capacity: 0, refillPerSec: 0 });
    emu.advance(5000);
    const adv = await call(PATHS.adGet, q);
    expect(adv.body.code).toBe(QC.RATE_ADVERTISER);
    expect(adv.headers.get('x-ratelimit-dimension')).toBe('advertiser');

    emu.clearFaults();
    emu.failNext('report/today_live/get', { code: QC.RATE_GLOBAL }, 2);
    const rq = { advertiser_id: emu.advertiserId, aweme_id: emu.awemeId, start_time: `${TODAY} 00:00:00`, end_time: `${TODAY} 23:59:59`, fields: ['stat_cost'] };
    for (let i = 0; i < 2; i++) {
      const g = await call(PATHS.reportTodayLiveGet, rq);
      expect(g.body.code).toBe(QC.RATE_GLOBAL);
      expect(g.headers.get('x-ratelimit-dimension')).toBe('global');
    }
    data(await call(PATHS.reportTodayLiveGet, rq));
    emu.failNext('ad/get', { httpStatus: 503 });
    expect((await fetch(`${emu.url}${PATHS.adGet}`)).status).toBe(503);
  });
});

describe('writes', () => {
  it('applies a budget batch item by item: code 0, the good plans in ad_ids, the bad ones in errors', async () => {
    const a = emu.addPlan({ budget: 1000, roiGoal: 2 });
    const b = emu.addPlan({ budget: 1000, bid: 40 });
    const missingId = '1799999999999999999';
    const raw = `{"advertiser_id":${emu.advertiserId},"data":[{"ad_id":${a.adId},"budget":1500.5},{"ad_id":${missingId},"budget":800},{"ad_id":${b.adId},"budget":120}]}`;
    const res = await call(PATHS.adBudgetUpdate, {}, { method: 'POST', rawBody: raw });
    const d = data<{ ad_ids: unknown[]; errors: { ad_id: unknown; error_message: string }[] }>(res);
    expect(d.ad_ids.map(idText)).toEqual([a.adId]);
    expect(d.errors.map((e) => idText(e.ad_id))).toEqual([missingId, b.adId]);
    expect(d.errors.every((e) => e.error_message.length > 0)).toBe(true);
    expect(res.raw).toContain(`"ad_ids":[${a.adId}]`);
    expect(emu.plan(a.adId).budgetFen).toBe(150_050);
    expect(emu.plan(b.adId).budgetFen).toBe(100_000);
    const w = emu.writes().at(-1)!;
    expect(w).toMatchObject({ path: PATHS.adBudgetUpdate, code: 0, succeeded: [a.adId], advertiserId: emu.advertiserId });
    expect(w.failed.map((f) => f.adId)).toEqual([missingId, b.adId]);
  });

  it('refuses a batch of more than 10, and more than two decimals, as a whole', async () => {
    const plans = Array.from({ length: 11 }, () => emu.addPlan({ budget: 1000, bid: 30 }));
    const eleven = await call(PATHS.adBidUpdate, { advertiser_id: emu.advertiserId, data: plans.map((p) => ({ ad_id: p.adId, bid: 31 })) });
    expect(eleven.body.code).toBe(QC.INVALID_PARAM);
    const decimals = await call(PATHS.adBidUpdate, { advertiser_id: emu.advertiserId, data: [{ ad_id: plans[0]!.adId, bid: 31.555 }] });
    expect(decimals.body.code).toBe(QC.INVALID_PARAM);
    expect(emu.plan(plans[0]!.adId).bidFen).toBe(3000);
    data(await call(PATHS.adBidUpdate, { advertiser_id: emu.advertiserId, data: [{ ad_id: plans[0]!.adId, bid: 31.55 }] }));
    expect(emu.plan(plans[0]!.adId).bidFen).toBe(3155);
    expect(emu.writes().map((w) => w.code)).toEqual([QC.INVALID_PARAM, QC.INVALID_PARAM, 0]);
  });

  it('changes the ROI goal of exactly one plan, within 0.01–100', async () => {
    const a = emu.addPlan({ budget: 1000, roiGoal: 2 });
    const b = emu.addPlan({ budget: 1000, roiGoal: 2 });
    const two = await call(PATHS.roiGoalUpdate, { advertiser_id: emu.advertiserId, roi_goal_updates: [{ ad_id: a.adId, roi_goal: 2.5 }, { ad_id: b.adId, roi_goal: 2.5 }] });
    expect(two.body.code).toBe(QC.INVALID_PARAM);
    const tooHigh = await call(PATHS.roiGoalUpdate, { advertiser_id: emu.advertiserId, roi_goal_updates: [{ ad_id: a.adId, roi_goal: 150 }] });
    expect(tooHigh.body.code).toBe(QC.INVALID_PARAM);
    expect(emu.plan(a.adId).roiGoal).toBe(2);
    const ok = data<{ results: { ad_id: unknown; flag: boolean }[] }>(await call(PATHS.roiGoalUpdate, { advertiser_id: emu.advertiserId, roi_goal_updates: [{ ad_id: a.adId, roi_goal: 3.2 }] }));
    expect(ok.results.map((r) => [idText(r.ad_id), r.flag])).toEqual([[a.adId, true]]);
    expect(emu.plan(a.adId).roiGoal).toBe(3.2);
    const bidPlan = emu.addPlan({ budget: 1000, bid: 40 });
    const notRoi = data<{ results: { flag: boolean; error_message: string }[] }>(await call(PATHS.roiGoalUpdate, { advertiser_id: emu.advertiserId, roi_goal_updates: [{ ad_id: bidPlan.adId, roi_goal: 3 }] }));
    expect(notRoi.results[0]!.flag).toBe(false);
    expect(notRoi.results[0]!.error_message).not.toBe('');
  });

  it('shows a budget change in ad/get and in the spend growth that follows; a pause stops it', async () => {
    emu.addRoom({ products: [{ title: 'A', price: 120, stock: 5000 }] });
    const plan = emu.addPlan({ budget: 1000, roiGoal: 2.5 });
    const spendFen = async (): Promise<number> => {
      const d = data<{ list: { ad_id: unknown; stat_cost: number }[] }>(
        await call(PATHS.reportAdGet, { advertiser_id: emu.advertiserId, start_date: TODAY, end_date: TODAY, fields: ['stat_cost'], filtering: { marketing_goal: 'LIVE_PROM_GOODS', ad_ids: [plan.adId] } }),
      );
      return Math.round((d.list[0]?.stat_cost ?? 0) * 100);
    };
    const s0 = await spendFen();
    emu.advance(10 * MIN);
    const s1 = await spendFen();
    expect(s1).toBe(emu.plan(plan.adId).todayCostFen);
    data(await call(PATHS.adBudgetUpdate, { advertiser_id: emu.advertiserId, data: [{ ad_id: plan.adId, budget: 3000 }] }));
    const row = data<{ list: { delivery_setting: { budget: number }; status: string }[] }>(await call(PATHS.adGet, { advertiser_id: emu.advertiserId, filtering: { marketing_goal: 'LIVE_PROM_GOODS', ids: [plan.adId] } })).list[0]!;
    expect(row.delivery_setting.budget).toBe(3000);
    expect(row.status).toBe('DELIVERY_OK');
    emu.advance(10 * MIN);
    const s2 = await spendFen();
    expect(s2 - s1).toBeGreaterThan(2 * (s1 - s0));

    data(await call(PATHS.adStatusUpdate, { advertiser_id: emu.advertiserId, ad_ids: [plan.adId], opt_status: 'DISABLE' }));
    emu.advance(10 * MIN);
    expect(await spendFen()).toBe(s2);
    const paused = data<{ list: { opt_status: string; status: string }[] }>(await call(PATHS.adGet, { advertiser_id: emu.advertiserId, filtering: { marketing_goal: 'LIVE_PROM_GOODS' } })).list[0]!;
    expect(paused).toMatchObject({ opt_status: 'DISABLE', status: 'DISABLE' });
  });

  it('logs each change with before/after for tools/log_search, newest first, and outside edits too', async () => {
    const plan = emu.addPlan({ name: '晚场ROI', budget: 1000, roiGoal: 2 });
    data(await call(PATHS.adBudgetUpdate, { advertiser_id: emu.advertiserId, data: [{ ad_id: plan.adId, budget: 1200 }] }));
    emu.advance(MIN);
    emu.editPlan(plan.adId, { optStatus: 'DISABLE' }, '小王');
    const logs = data<{ logs: { object_id: unknown; object_name: string; content_log: string[]; operator_name: string; create_time: string }[]; page_info: { total_number: number } }>(
      await call(PATHS.logSearch, { advertiser_id: emu.advertiserId, object_type: 'AD', object_id: plan.adId }),
    );
    expect(logs.page_info.total_number).toBe(2);
    expect(logs.logs[0]).toMatchObject({ object_name: '晚场ROI', operator_name: '小王', content_log: ['修改前：计划状态 启用', '修改后：计划状态 暂停'], create_time: '2025-06-18 10:01:00' });
    expect(logs.logs[1]!.content_log).toEqual(['修改前：日预算 1000.00元', '修改后：日预算 1200.00元']);
    expect(idText(logs.logs[1]!.object_id)).toBe(plan.adId);
    expect(emu.log()).toHaveLength(2);
    expect(emu.writes()).toHaveLength(1);
  });

  it('writes 全域 plans through their own endpoints and result shapes', async () => {
    const uni = emu.addPlan({ kind: 'uni', budget: 5000, roiGoal: 3 });
    const budget = data<{ results: { ad_id: unknown; status: string }[] }>(await call(PATHS.uniBudgetUpdate, { advertiser_id: emu.advertiserId, update_budget_infos: [{ ad_id: uni.adId, budget: 6000 }, { ad_id: '1711111111111111111', budget: 6000 }] }));
    expect(budget.results.map((r) => [idText(r.ad_id), r.status])).toEqual([[uni.adId, 'SUCCESS'], ['1711111111111111111', 'FAILED']]);
    data(await call(PATHS.uniRoi2GoalUpdate, { advertiser_id: emu.advertiserId, update_roi2_infos: [{ ad_id: uni.adId, roi2_goal: 3.5 }] }));
    expect((await call(PATHS.uniStatusUpdate, { advertiser_id: emu.advertiserId, ad_ids: [uni.adId, uni.adId], opt_status: 'DISABLE' })).body.code).toBe(QC.INVALID_PARAM);
    const status = data<{ results: { flag: boolean }[] }>(await call(PATHS.uniStatusUpdate, { advertiser_id: emu.advertiserId, ad_ids: [uni.adId], opt_status: 'DISABLE' }));
    expect(status.results[0]!.flag).toBe(true);
    expect(emu.plan(uni.adId)).toMatchObject({ budgetFen: 600_000, roiGoal: 3.5, optStatus: 'DISABLE' });
  });
});

describe('hostile requests', () => {
  it('answers any query or body with an envelope and never crashes', async () => {
    emu.addRoom({ products: [{ title: 'A', price: 10, stock: 10 }] });
    emu.addPlan({ budget: 1000, roiGoal: 2 });
    const paths = Object.values(PATHS);
    const param = fc.constantFrom('advertiser_id', 'aweme_id', 'room_id', 'fields', 'filtering', 'page', 'page_size', 'date_time', 'start_time', 'end_time', 'start_date', 'end_date', 'data', 'ad_ids', 'opt_status', 'roi_goal_updates', '__proto__');
    const value = fc.oneof(hostileString, hostileValue.map((v) => { try { return JSON.stringify(v) ?? 'null'; } catch { return 'null'; } }), fc.constant(emu.advertiserId));
    await checkDoorAsync(
      'qianchuan emulator',
      'every request gets an envelope',
      fc.asyncProperty(fc.constantFrom(...paths), fc.dictionary(param, value, { maxKeys: 6 }), async (path, params) => {
        const res = isPost(path) ? await call(path, {}, { rawBody: JSON.stringify(params) }) : await call(path, params);
        // A query beyond Node's 16 KB header limit is refused by its HTTP parser before the emulator sees it.
        if (res.status === 431) return;
        expect(res.status).toBe(200);
        expect(typeof res.body.code).toBe('number');
        expect(res.body.code === 0 || res.body.message.length > 0).toBe(true);
      }),
    );
    const garbage = await call(PATHS.adBudgetUpdate, {}, { method: 'POST', rawBody: '{"advertiser_id": 1, "data": [' });
    expect(garbage.body.code).toBe(QC.INVALID_PARAM);
  });

  it('answers a valid request with one parameter replaced by garbage with an envelope', async () => {
    const room = emu.addRoom({ products: [{ title: 'A', price: 10, stock: 10 }] });
    const plan = emu.addPlan({ budget: 1000, roiGoal: 2 });
    const uni = emu.addPlan({ kind: 'uni', budget: 1000, roiGoal: 2 });
    emu.advance(MIN);
    const adv = emu.advertiserId;
    const day = { start_time: `${TODAY} 00:00:00`, end_time: `${TODAY} 23:59:59` };
    const valid: [string, Record<string, unknown>][] = [
      [PATHS.roomGet, { advertiser_id: adv, aweme_id: emu.awemeId, date_time: TODAY, fields: ['stat_cost'], page: '1', page_size: '10', room_status: 'ALL' }],
      [PATHS.roomProductListGet, { advertiser_id: adv, room_id: room.roomId, fields: ['live_cost_per_product'], explain_status: 'ALL' }],
      [PATHS.roomFlowPerformanceGet, { advertiser_id: adv, room_id: room.roomId, flow_source: 'AllEcomGmvSource' }],
      [PATHS.reportTodayLiveGet, { advertiser_id: adv, aweme_id: emu.awemeId, ...day, fields: ['stat_cost'] }],
      [PATHS.adGet, { advertiser_id: adv, filtering: { marketing_goal: 'LIVE_PROM_GOODS', ids: [plan.adId], status: 'ALL' }, page_size: '10' }],
      [PATHS.reportAdGet, { advertiser_id: adv, start_date: TODAY, end_date: TODAY, fields: ['stat_cost'], filtering: { marketing_goal: 'ALL', ad_ids: [plan.adId] }, time_granularity: 'TIME_GRANULARITY_HOURLY', order_field: 'stat_cost' }],
      [PATHS.uniPromotionList, { advertiser_id: adv, ...day, marketing_goal: 'LIVE_PROM_GOODS', fields: ['stat_cost'], filtering: { status: 'ALL' }, page_size: '10' }],
      [PATHS.logSearch, { advertiser_id: adv, object_type: 'AD', object_id: plan.adId }],
      [PATHS.adBudgetUpdate, { advertiser_id: adv, data: [{ ad_id: plan.adId, budget: 900 }] }],
      [PATHS.adStatusUpdate, { advertiser_id: adv, ad_ids: [plan.adId], opt_status: 'ENABLE' }],
      [PATHS.roiGoalUpdate, { advertiser_id: adv, roi_goal_updates: [{ ad_id: plan.adId, roi_goal: 2.1 }] }],
      [PATHS.uniBudgetUpdate, { advertiser_id: adv, update_budget_infos: [{ ad_id: uni.adId, budget: 900 }] }],
      [PATHS.uniRoi2GoalUpdate, { advertiser_id: adv, update_roi2_infos: [{ ad_id: uni.adId, roi2_goal: 2.2 }] }],
    ];
    await checkDoorAsync(
      'qianchuan emulator',
      'one garbage parameter in a valid request',
      fc.asyncProperty(fc.integer({ min: 0, max: valid.length - 1 }), fc.nat(), hostileValue, async (which, key, garbage) => {
        const [path, base] = valid[which]!;
        const keys = Object.keys(base);
        const params: Record<string, unknown> = { ...base, [keys[key % keys.length]!]: garbage };
        let rawBody: string;
        try {
          rawBody = JSON.stringify(params);
        } catch {
          return;
        }
        const res = isPost(path) ? await call(path, {}, { rawBody }) : await call(path, Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? v : (JSON.stringify(v) ?? '')])));
        if (res.status === 431) return;
        expect(res.status).toBe(200);
        expect(typeof res.body.code).toBe('number');
      }),
      { scale: 2 },
    );
  });
});
