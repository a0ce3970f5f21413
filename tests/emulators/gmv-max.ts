/**
 * A loopback stand-in for the TikTok API for Business GMV Max endpoints (tiktok-api.md §5), for the
 * app's GMV Max client/source/plan tests and later browser end-to-end runs. Independent of the
 * product code: its own JSON writer, its own id handling. Shapes follow the official SDK's
 * `yml_files` (request fields, answer field names); the report's metric names and answer shape are
 * the community set the app also assumes (unconfirmed, see gmv-max/read.ts GMV_MAX_REPORT).
 *
 * - `{ code, message, request_id, data }` with HTTP 200 for refusals; `Access-Token` header checked:
 *   missing → 40104, unknown → 40105, expired → 40102 (the SDK's code names).
 * - Rate limits on demand (`rateLimitNext`, 40100 by default); `failNext` forces a code, an HTTP
 *   status or a dropped connection for the next calls of a path.
 * - 64-bit campaign and session ids written as bare JSON numbers; money as JSON numbers in major units.
 * - Report paging (`page`, `page_size`, `page_info.total_page`) and the `room_ids` filter honoured.
 * - Budget / ROAS / status / session budget updates take effect, after `applyDelayMs` when set (so a
 *   read-back can lag); `refuse(campaignId)` makes writes to a campaign refused (a batch status
 *   update then answers 20001 partial OK).
 * - `calls` logs every request.
 *
 *   const emu = await startGmvMaxEmulator({ currency: 'USD' });
 *   const c = emu.addCampaign({ name: 'LIVE max', budget: 50, roasBid: 3.5 });
 *   emu.addSpend(c.campaignId, emu.roomId, { cost: 12.3, grossRevenue: 45.6, orders: 3, liveViews: 120 });
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const GMV_CODES = { ok: 0, partial: 20001, permission: 40001, params: 40002, notExist: 40007, tooFrequent: 40100, tokenExpired: 40102, emptyToken: 40104, invalidToken: 40105, system: 50000 } as const;

export interface GmvMaxEmulatorOptions {
  port?: number;
  appId?: string;
  secret?: string;
  advertiserId?: string;
  storeId?: string;
  currency?: string;
  timezone?: string;
  /** The access token the emulator accepts from the start (also issued by `issueToken`). */
  accessToken?: string;
  /** Writes take effect this long after they are answered (read-back lag). Default 0. */
  applyDelayMs?: number;
  /** Lowest campaign budget a write may set, major units (an emulator choice). Default 0 (any positive). */
  minBudget?: number;
  now?: () => number;
}

export interface EmuFigures {
  cost: number;
  netCost: number;
  grossRevenue: number;
  orders: number;
  liveViews: number;
}

export interface EmuCampaign {
  campaignId: string;
  name: string;
  storeId: string;
  operationStatus: 'ENABLE' | 'DISABLE';
  budget: number;
  roasBid: number;
  autoBudget: boolean;
  shoppingAdsType: 'LIVE' | 'PRODUCT';
  /** Figures per LIVE room id. */
  rooms: Map<string, EmuFigures>;
}

export interface EmuSession {
  sessionId: string;
  campaignId: string;
  budget: number;
  scheduleType: string;
  scheduleStartTime: string;
  scheduleEndTime: string;
}

export interface CallRecord {
  at: number;
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  code: number | null;
  httpStatus: number;
}

/** A forced answer: a code, an HTTP status, a connection dropped before (`drop: true`) or after (`drop: 'afterApply'`) the request took effect. */
export type Forced = { code: number; message?: string } | { http: number } | { drop: true | 'afterApply' };

export interface GmvMaxEmulator {
  url: string;
  appId: string;
  secret: string;
  advertiserId: string;
  storeId: string;
  roomId: string;
  currency: string;
  accessToken: string;
  campaigns: Map<string, EmuCampaign>;
  sessions: Map<string, EmuSession>;
  calls: CallRecord[];
  addCampaign(c?: Partial<Omit<EmuCampaign, 'rooms'>>): EmuCampaign;
  addSession(campaignId: string, s?: Partial<EmuSession>): EmuSession;
  addSpend(campaignId: string, roomId: string, f: Partial<EmuFigures>): void;
  issueToken(): string;
  issueAuthCode(): string;
  expireToken(token?: string): void;
  revokeToken(token?: string): void;
  rateLimitNext(n?: number, code?: number): void;
  failNext(path: string, answer: Forced, times?: number): void;
  refuse(campaignId: string, message?: string, code?: number): void;
  setApplyDelay(ms: number): void;
  /** Writes answered but not yet in effect. */
  pending(): number;
  close(): Promise<void>;
}

const PREFIX = '/open_api/v1.3/';

function bigId(): string {
  // 19 digits, above 2^53: a plain JSON.parse would round it.
  return `7${String(BigInt(`0x${randomBytes(7).toString('hex')}`) % 10n ** 18n).padStart(18, '0')}`;
}

/** JSON text with the named id fields written as bare numbers. */
class Id {
  constructor(readonly v: string) {}
  toJSON(): string {
    return `\u0000id:${this.v}\u0000`;
  }
}
function toJsonText(v: unknown): string {
  return JSON.stringify(v).replace(/"\\u0000id:(\d+)\\u0000"/g, '$1');
}

const KNOWN_METRICS = new Set(['cost', 'net_cost', 'orders', 'cost_per_order', 'gross_revenue', 'roi', 'live_views', 'cost_per_live_view', '10_second_live_views', 'live_follows']);
const KNOWN_DIMENSIONS = new Set(['campaign_id', 'room_id', 'stat_time_day']);
const round2 = (x: number) => Math.round(x * 100) / 100;

export async function startGmvMaxEmulator(opts: GmvMaxEmulatorOptions = {}): Promise<GmvMaxEmulator> {
  const now = opts.now ?? Date.now;
  const appId = opts.appId ?? '7300000000000000001';
  const secret = opts.secret ?? `gmv-emu-secret-${randomBytes(6).toString('hex')}`;
  const advertiserId = opts.advertiserId ?? '7412345678901234567';
  const storeId = opts.storeId ?? '7495000000000000123';
  const roomId = '7501234567890123456';
  const currency = opts.currency ?? 'USD';
  const campaigns = new Map<string, EmuCampaign>();
  const sessions = new Map<string, EmuSession>();
  const calls: CallRecord[] = [];
  const tokens = new Map<string, { expired: boolean }>();
  const authCodes = new Set<string>();
  const forced = new Map<string, Forced[]>();
  const refusals = new Map<string, { message: string; code: number }>();
  let rateLimited: { n: number; code: number } = { n: 0, code: 40100 };
  let applyDelay = opts.applyDelayMs ?? 0;
  const queue: { at: number; apply: () => void }[] = [];
  const minBudget = opts.minBudget ?? 0;

  const issueToken = () => {
    const t = `act.${randomBytes(16).toString('hex')}`;
    tokens.set(t, { expired: false });
    return t;
  };
  const accessToken = opts.accessToken ?? issueToken();
  tokens.set(accessToken, { expired: false });

  const settle = () => {
    const t = now();
    for (let i = 0; i < queue.length; ) {
      if (queue[i]!.at <= t) queue.splice(i, 1)[0]!.apply();
      else i++;
    }
  };
  const later = (apply: () => void) => {
    if (applyDelay <= 0) apply();
    else queue.push({ at: now() + applyDelay, apply });
  };

  const info = (c: EmuCampaign) => ({
    advertiser_id: new Id(advertiserId),
    campaign_id: new Id(c.campaignId),
    campaign_name: c.name,
    store_id: new Id(c.storeId),
    operation_status: c.operationStatus,
    budget: c.budget,
    roas_bid: c.roasBid,
    auto_budget_enabled: c.autoBudget,
    shopping_ads_type: c.shoppingAdsType,
    schedule_type: 'SCHEDULE_FROM_NOW',
    optimization_goal: 'VALUE',
    deep_bid_type: 'VO_MIN_ROAS',
  });
  const sessionJson = (s: EmuSession) => ({
    session_id: new Id(s.sessionId),
    campaign_id: new Id(s.campaignId),
    budget: s.budget,
    bid_type: 'CUSTOM',
    schedule_type: s.scheduleType,
    schedule_start_time: s.scheduleStartTime,
    schedule_end_time: s.scheduleEndTime,
    product_list: [],
  });

  class Answer {
    constructor(
      readonly code: number,
      readonly message: string,
      readonly data: unknown = {},
    ) {}
  }
  const refuse = (code: number, message: string) => new Answer(code, message);
  const ids = (v: unknown): string[] | null => (Array.isArray(v) && v.every((x) => (typeof x === 'string' && /^\d{1,20}$/.test(x)) || typeof x === 'number') ? v.map(String) : null);
  const jsonParam = (q: URLSearchParams, k: string): unknown => {
    const v = q.get(k);
    if (v === null) return undefined;
    try {
      return JSON.parse(v);
    } catch {
      return Symbol.for('bad');
    }
  };

  function route(method: string, path: string, q: URLSearchParams, body: Record<string, unknown>): Answer {
    const adv = method === 'GET' ? q.get('advertiser_id') : body.advertiser_id;
    const advOk = (v: unknown) => String(v) === advertiserId;
    switch (`${method} ${path}`) {
      case 'GET advertiser/info/': {
        const list = jsonParam(q, 'advertiser_ids');
        if (!ids(list)) return refuse(40002, 'advertiser_ids: must be a JSON array of ids');
        return new Answer(0, 'OK', { list: ids(list)!.filter((x) => x === advertiserId).map(() => ({ advertiser_id: new Id(advertiserId), name: 'Emu advertiser', currency, timezone: opts.timezone ?? 'Etc/GMT' })) });
      }
      case 'GET gmv_max/report/get/': {
        if (!advOk(adv)) return refuse(40001, 'No permission to operate advertiser');
        const stores = ids(jsonParam(q, 'store_ids'));
        if (!stores || stores.length !== 1) return refuse(40002, 'store_ids: exactly one store is required');
        const dims = jsonParam(q, 'dimensions');
        const mets = jsonParam(q, 'metrics');
        if (!Array.isArray(dims) || !dims.length || dims.length > 3 || !dims.every((d) => KNOWN_DIMENSIONS.has(String(d)))) return refuse(40002, 'dimensions: invalid');
        if (!Array.isArray(mets) || !mets.length || mets.length > 100) return refuse(40002, 'metrics: invalid');
        const bad = mets.find((m) => !KNOWN_METRICS.has(String(m)));
        if (bad !== undefined) return refuse(40002, `metrics: ${String(bad)} is not a valid metric`);
        for (const k of ['start_date', 'end_date']) if (!/^\d{4}-\d{2}-\d{2}$/.test(q.get(k) ?? '')) return refuse(40002, `${k}: YYYY-MM-DD required`);
        const filtering = (jsonParam(q, 'filtering') ?? {}) as Record<string, unknown>;
        if (typeof filtering !== 'object' || filtering === null) return refuse(40002, 'filtering: invalid JSON');
        const roomFilter = filtering.room_ids === undefined ? null : ids(filtering.room_ids);
        if (filtering.room_ids !== undefined && (!roomFilter || roomFilter.length > 100)) return refuse(40002, 'filtering.room_ids: invalid');
        const types = Array.isArray(filtering.gmv_max_promotion_types) ? filtering.gmv_max_promotion_types.map(String) : null;
        const campaignFilter = filtering.campaign_ids === undefined ? null : ids(filtering.campaign_ids);
        const page = Math.max(1, Number(q.get('page') ?? 1) || 1);
        const pageSize = Math.min(1000, Math.max(1, Number(q.get('page_size') ?? 10) || 10));
        const rows: unknown[] = [];
        for (const c of campaigns.values()) {
          if (c.storeId !== stores[0]) continue;
          if (types && !types.includes(c.shoppingAdsType)) continue;
          if (campaignFilter && !campaignFilter.includes(c.campaignId)) continue;
          const fig: EmuFigures = { cost: 0, netCost: 0, grossRevenue: 0, orders: 0, liveViews: 0 };
          let any = false;
          for (const [room, f] of c.rooms) {
            if (roomFilter && !roomFilter.includes(room)) continue;
            any = true;
            fig.cost += f.cost;
            fig.netCost += f.netCost;
            fig.grossRevenue += f.grossRevenue;
            fig.orders += f.orders;
            fig.liveViews += f.liveViews;
          }
          if (!any && roomFilter) continue;
          const all: Record<string, number> = {
            cost: round2(fig.cost),
            net_cost: round2(fig.netCost),
            orders: fig.orders,
            cost_per_order: fig.orders ? round2(fig.cost / fig.orders) : 0,
            gross_revenue: round2(fig.grossRevenue),
            roi: fig.cost ? round2(fig.grossRevenue / fig.cost) : 0,
            live_views: fig.liveViews,
          };
          const metrics: Record<string, number> = {};
          for (const m of mets) if (String(m) in all) metrics[String(m)] = all[String(m)]!;
          rows.push({ dimensions: { campaign_id: new Id(c.campaignId) }, metrics });
        }
        const totalPage = Math.max(1, Math.ceil(rows.length / pageSize));
        return new Answer(0, 'OK', { list: rows.slice((page - 1) * pageSize, page * pageSize), page_info: { page, page_size: pageSize, total_number: rows.length, total_page: totalPage } });
      }
      case 'GET campaign/gmv_max/info/': {
        if (!advOk(adv)) return refuse(40001, 'No permission to operate advertiser');
        const c = campaigns.get(q.get('campaign_id') ?? '');
        if (!c) return refuse(40002, 'campaign_id: the campaign does not exist');
        return new Answer(0, 'OK', info(c));
      }
      case 'GET campaign/gmv_max/session/list/': {
        if (!advOk(adv)) return refuse(40001, 'No permission to operate advertiser');
        const cid = q.get('campaign_id') ?? '';
        if (!campaigns.has(cid)) return refuse(40002, 'campaign_id: the campaign does not exist');
        return new Answer(0, 'OK', { session_list: [...sessions.values()].filter((s) => s.campaignId === cid).map(sessionJson) });
      }
      case 'GET campaign/gmv_max/session/get/': {
        if (!advOk(adv)) return refuse(40001, 'No permission to operate advertiser');
        const want = ids(jsonParam(q, 'session_ids'));
        if (!want) return refuse(40002, 'session_ids: must be a JSON array of ids');
        return new Answer(0, 'OK', { session_list: want.flatMap((id) => (sessions.has(id) ? [sessionJson(sessions.get(id)!)] : [])) });
      }
      case 'POST campaign/gmv_max/update/': {
        if (!advOk(adv)) return refuse(40001, 'No permission to operate advertiser');
        const c = campaigns.get(String(body.campaign_id ?? ''));
        if (!c) return refuse(40002, 'campaign_id: the campaign does not exist');
        const r = refusals.get(c.campaignId);
        if (r) return refuse(r.code, r.message);
        const { budget, roas_bid: roas } = body;
        if (budget !== undefined && (typeof budget !== 'number' || !(budget > 0) || budget < minBudget)) return refuse(40002, `budget: must be at least ${minBudget || 'above 0'}`);
        if (roas !== undefined && (typeof roas !== 'number' || !(roas > 0))) return refuse(40002, 'roas_bid: must be above 0');
        const next = { ...c, budget: typeof budget === 'number' ? budget : c.budget, roasBid: typeof roas === 'number' ? roas : c.roasBid };
        later(() => {
          c.budget = next.budget;
          c.roasBid = next.roasBid;
        });
        return new Answer(0, 'OK', info(next as EmuCampaign));
      }
      case 'POST campaign/gmv_max/session/update/': {
        if (!advOk(adv)) return refuse(40001, 'No permission to operate advertiser');
        for (const k of ['campaign_id', 'store_id', 'session_id', 'session']) if (body[k] === undefined) return refuse(40002, `${k}: required`);
        const s = sessions.get(String(body.session_id));
        if (!s || s.campaignId !== String(body.campaign_id)) return refuse(40002, 'session_id: the session does not exist');
        if (String(body.store_id) !== storeId) return refuse(40002, 'store_id: not this campaign\'s store');
        const r = refusals.get(s.campaignId);
        if (r) return refuse(r.code, r.message);
        const b = (body.session as Record<string, unknown>).budget;
        if (b !== undefined && (typeof b !== 'number' || !(b > 0))) return refuse(40002, 'session.budget: must be above 0');
        if (typeof b === 'number') later(() => (s.budget = b));
        return new Answer(0, 'OK', {});
      }
      case 'POST campaign/status/update/': {
        if (!advOk(adv)) return refuse(40001, 'No permission to operate advertiser');
        const list = ids(body.campaign_ids);
        if (!list || !list.length || list.length > 20) return refuse(40002, 'campaign_ids: 1 to 20 ids');
        const op = body.operation_status;
        if (op !== 'ENABLE' && op !== 'DISABLE') return refuse(40002, 'operation_status: ENABLE or DISABLE');
        const ok: string[] = [];
        const no: string[] = [];
        for (const id of list) {
          const c = campaigns.get(id);
          if (!c || refusals.has(id)) no.push(id);
          else {
            ok.push(id);
            later(() => (c.operationStatus = op));
          }
        }
        if (!ok.length) return refuse(refusals.get(no[0]!)?.code ?? 40002, refusals.get(no[0]!)?.message ?? 'campaign_ids: not found');
        if (no.length) return new Answer(20001, `Partial success: ${no.map((id) => `${id}: ${refusals.get(id)?.message ?? 'not found'}`).join('; ')}`, { campaign_ids: ok.map((x) => new Id(x)), status: op });
        return new Answer(0, 'OK', { campaign_ids: ok.map((x) => new Id(x)), status: op });
      }
      default:
        return refuse(40400, `route not found: ${method} /${path}`);
    }
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://x');
      const path = u.pathname.startsWith(PREFIX) ? u.pathname.slice(PREFIX.length) : u.pathname;
      const method = req.method ?? 'GET';
      let body: Record<string, unknown> = {};
      const text = Buffer.concat(chunks).toString('utf8');
      const rec: CallRecord = { at: now(), method, path, query: Object.fromEntries(u.searchParams), body: null, code: null, httpStatus: 200 };
      calls.push(rec);
      const send = (a: Answer) => {
        rec.code = a.code;
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(toJsonText({ code: a.code, message: a.message, request_id: `emu${randomBytes(8).toString('hex')}`, data: a.data }));
      };
      if (method === 'POST') {
        try {
          body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
          rec.body = body;
        } catch {
          return send(refuse(40002, 'request body is not JSON'));
        }
      }
      settle();
      const f = forced.get(path)?.shift();
      if (f && 'drop' in f) {
        if (f.drop === 'afterApply' && tokens.has(String(req.headers['access-token']))) route(method, path, u.searchParams, body);
        res.socket?.destroy();
        return;
      }
      if (f && 'http' in f) {
        rec.httpStatus = f.http;
        res.writeHead(f.http);
        res.end('upstream error');
        return;
      }
      if (f) return send(refuse(f.code, f.message ?? 'forced'));
      if (path === 'oauth2/access_token/' && method === 'POST') {
        if (String(body.app_id) !== appId || body.secret !== secret) return send(refuse(40001, 'app_id or secret is wrong'));
        const code = String(body.auth_code ?? '');
        if (!authCodes.delete(code)) return send(refuse(40110, 'auth_code is invalid or used'));
        const t = issueToken();
        return send(new Answer(0, 'OK', { access_token: t, advertiser_ids: [new Id(advertiserId)], scope: [4, 5] }));
      }
      const token = req.headers['access-token'];
      if (typeof token !== 'string' || !token) return send(refuse(40104, 'Access token is empty'));
      const t = tokens.get(token);
      if (!t) return send(refuse(40105, 'Access token is incorrect or has been revoked'));
      if (t.expired) return send(refuse(40102, 'Access token has expired'));
      if (rateLimited.n > 0) {
        rateLimited.n--;
        return send(refuse(rateLimited.code, 'Too many requests. Please retry in some time.'));
      }
      send(route(method, path, u.searchParams, body));
    });
  });
  await new Promise<void>((r) => server.listen(opts.port ?? 0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;

  const emu: GmvMaxEmulator = {
    url: `http://127.0.0.1:${port}`,
    appId,
    secret,
    advertiserId,
    storeId,
    roomId,
    currency,
    accessToken,
    campaigns,
    sessions,
    calls,
    addCampaign(c = {}) {
      const campaign: EmuCampaign = { campaignId: c.campaignId ?? bigId(), name: c.name ?? 'LIVE GMV Max', storeId: c.storeId ?? storeId, operationStatus: c.operationStatus ?? 'ENABLE', budget: c.budget ?? 100, roasBid: c.roasBid ?? 3, autoBudget: c.autoBudget ?? false, shoppingAdsType: c.shoppingAdsType ?? 'LIVE', rooms: new Map() };
      campaigns.set(campaign.campaignId, campaign);
      return campaign;
    },
    addSession(campaignId, s = {}) {
      const ses: EmuSession = { sessionId: s.sessionId ?? bigId(), campaignId, budget: s.budget ?? 80, scheduleType: s.scheduleType ?? 'SCHEDULE_START_END', scheduleStartTime: s.scheduleStartTime ?? '2026-05-01 19:00:00', scheduleEndTime: s.scheduleEndTime ?? '2026-05-01 23:00:00' };
      sessions.set(ses.sessionId, ses);
      return ses;
    },
    addSpend(campaignId, room, f) {
      const c = campaigns.get(campaignId);
      if (!c) throw new Error(`no campaign ${campaignId}`);
      const cur = c.rooms.get(room) ?? { cost: 0, netCost: 0, grossRevenue: 0, orders: 0, liveViews: 0 };
      c.rooms.set(room, { cost: cur.cost + (f.cost ?? 0), netCost: cur.netCost + (f.netCost ?? f.cost ?? 0), grossRevenue: cur.grossRevenue + (f.grossRevenue ?? 0), orders: cur.orders + (f.orders ?? 0), liveViews: cur.liveViews + (f.liveViews ?? 0) });
    },
    issueToken,
    issueAuthCode() {
      const code = `code-${randomBytes(8).toString('hex')}`;
      authCodes.add(code);
      return code;
    },
    expireToken(token = accessToken) {
      const t = tokens.get(token);
      if (t) t.expired = true;
    },
    revokeToken(token = accessToken) {
      tokens.delete(token);
    },
    rateLimitNext(n = 1, code = 40100) {
      rateLimited = { n, code };
    },
    failNext(path, answer, times = 1) {
      const p = path.replace(/^\/?(open_api\/v1\.3\/)?/, '');
      const key = p.endsWith('/') ? p : `${p}/`;
      forced.set(key, [...(forced.get(key) ?? []), ...Array.from({ length: times }, () => answer)]);
    },
    refuse(campaignId, message = 'The campaign cannot be edited now', code = 40002) {
      refusals.set(campaignId, { message, code });
    },
    setApplyDelay(ms) {
      applyDelay = ms;
    },
    pending() {
      settle();
      return queue.length;
    },
    close() {
      return new Promise<void>((r) => {
        server.closeAllConnections?.();
        server.close(() => r());
      });
    },
  };
  return emu;
}

/** Standalone: `node --experimental-strip-types tests/emulators/gmv-max.ts` prints its URL and token. */
if (process.argv[1] && /gmv-max\.ts$/.test(process.argv[1]) && process.env.VITEST === undefined) {
  void startGmvMaxEmulator({ port: Number(process.env.PORT ?? 0) || undefined }).then((emu) => {
    const c = emu.addCampaign({ name: 'LIVE GMV Max (emulator)', budget: 200, roasBid: 4 });
    emu.addSession(c.campaignId);
    emu.addSpend(c.campaignId, emu.roomId, { cost: 12.3, grossRevenue: 61.5, orders: 4, liveViews: 800 });
    console.log(JSON.stringify({ url: emu.url, advertiserId: emu.advertiserId, storeId: emu.storeId, appId: emu.appId, accessToken: emu.accessToken, campaignId: c.campaignId }));
  });
}
