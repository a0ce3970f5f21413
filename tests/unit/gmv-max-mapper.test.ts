/**
 * GMV Max mapping: money exact in the currency's minor units (never a float product), the status
 * mapping, cumulative figures across the advertiser's day, and any input — generated — read
 * without a throw, every `ad` event valid FEED-PROTOCOL with its currency.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { GmvMaxMapper, campaignStatus, type GmvMaxSnapshot } from '../../electron/core/platforms/gmv-max/mapper.ts';
import { readCampaign, readReportRow, readSession, type CampaignRow } from '../../electron/core/platforms/gmv-max/read.ts';
import { majorOf, readMinor, dateIn } from '../../electron/core/platforms/gmv-max/units.ts';
import { statusAnswers } from '../../electron/core/platforms/gmv-max/writes.ts';
import { AdEventSchema } from '../../shared/protocol.ts';

const campaign = (o: Partial<CampaignRow> = {}): CampaignRow => ({ campaignId: '7412345678901234567', name: 'LIVE', storeId: '1', operationStatus: 'ENABLE', budget: 50, roasBid: 3, autoBudget: false, shoppingAdsType: 'LIVE', scheduleType: null, scheduleEndTime: null, ...o });
const snap = (o: Partial<GmvMaxSnapshot> = {}): GmvMaxSnapshot => ({ at: 1_000, day: '2026-05-01', currency: 'USD', campaigns: [campaign()], report: [], sessions: [], ...o });
const row = (cost: unknown, gmv: unknown = 0) => ({ campaignId: '7412345678901234567', roomId: null, cost, netCost: cost, grossRevenue: gmv, orders: 1, roi: undefined, liveViews: 10 });

describe('GMV Max money', () => {
  it('reads major units exactly through their decimal text', () => {
    expect(readMinor(12.3, 'USD')).toEqual({ minor: 1230 });
    expect(readMinor(0.29, 'USD')).toEqual({ minor: 29 }); // 0.29 * 100 = 28.999999999999996 as a float
    expect(readMinor(1.005, 'USD')).toMatchObject({ problem: expect.stringMatching(/decimals/) });
    expect(readMinor('19.90', 'EUR')).toEqual({ minor: 1990 });
    expect(readMinor(25000, 'VND')).toEqual({ minor: 25000 });
    expect(readMinor(12.5, 'JPY')).toMatchObject({ problem: expect.any(String) });
    expect(readMinor(-1, 'USD')).toMatchObject({ problem: expect.stringMatching(/negative/) });
    expect(readMinor(1e21, 'USD')).toMatchObject({ problem: expect.any(String) });
    expect(readMinor(null, 'USD')).toBeNull();
    expect(readMinor({}, 'USD')).toMatchObject({ problem: expect.any(String) });
    expect(majorOf(12_345, 'USD')).toBe(123.45);
    expect(majorOf(1_200_000, 'VND')).toBe(1_200_000);
    expect(dateIn('Asia/Singapore', Date.UTC(2026, 4, 1, 17))).toBe('2026-05-02');
    expect(dateIn('Not/AZone', Date.UTC(2026, 4, 1, 17))).toBe('2026-05-01');
  });

  it('round-trips any cent amount exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e13 }), (cents) => {
        expect(readMinor(majorOf(cents, 'USD'), 'USD')).toEqual({ minor: cents });
      }),
      { numRuns: 500 },
    );
  });
});

describe('GMV Max status', () => {
  it('maps operation_status and a spent fixed budget', () => {
    expect(campaignStatus({ operationStatus: 'DISABLE', autoBudget: false }, 0, 100)).toBe('paused');
    expect(campaignStatus({ operationStatus: 'ENABLE', autoBudget: false }, 50, 100)).toBe('delivering');
    expect(campaignStatus({ operationStatus: 'ENABLE', autoBudget: false }, 100, 100)).toBe('budgetExhausted');
    expect(campaignStatus({ operationStatus: 'ENABLE', autoBudget: true }, 100, 100)).toBe('delivering');
    expect(campaignStatus({ operationStatus: 'DELETE', autoBudget: false }, 0, 100)).toBe('other');
    expect(campaignStatus({ operationStatus: 'OTHER', autoBudget: false }, 0, 100)).toBe('other');
  });

  it('reads a status answer item by item', () => {
    expect(statusAnswers({ code: 0, message: 'OK', requestId: 'r', data: { campaign_ids: ['1', '2'] } }, ['1', '2']).map((a) => a.answer)).toEqual(['accepted', 'accepted']);
    expect(statusAnswers({ code: 20001, message: 'partial: 2 in review', requestId: 'r', data: { campaign_ids: ['1'] } }, ['1', '2']).map((a) => a.answer)).toEqual(['accepted', 'refused']);
    expect(statusAnswers({ code: 0, message: 'OK', requestId: 'r', data: {} }, ['1'])[0]!.answer).toBe('accepted');
  });
});

describe('the GMV Max mapper', () => {
  it('sends cumulative figures across the advertiser day, and keeps a day high mark', () => {
    const m = new GmvMaxMapper();
    const ad = (s: GmvMaxSnapshot) => m.map(s).events.find((e) => e.type === 'ad' && e.planId === '7412345678901234567') as Record<string, unknown>;
    expect(ad(snap({ report: [row(10.1, 30)] }))).toMatchObject({ spendFen: 1010, gmvFen: 3000, currency: 'USD', planKind: 'gmvMax', dailyBudgetFen: 5000, roiGoal: 3, status: 'delivering' });
    expect(ad(snap({ report: [row(9)] })).spendFen).toBe(1010); // revised down: the high mark stays
    expect(ad(snap({ day: '2026-05-02', report: [row(2, 1)] }))).toMatchObject({ spendFen: 1210, gmvFen: 3100 });
    expect(m.spentToday.get('7412345678901234567')).toBe(200);
    expect(ad(snap({ day: '2026-05-01', report: [row(99)] })).spendFen).toBe(1210); // a late answer of an older day adds nothing
    expect(ad(snap({ day: '2026-05-02', report: null })).spendFen).toBe(1210); // no report: last figures
  });

  it('marks a spent budget and keeps the campaign settings when info fails', () => {
    const m = new GmvMaxMapper();
    m.map(snap({ report: [row(50)] }));
    const out = m.map(snap({ campaigns: [], report: [row(50)] }));
    expect(out.events[0]).toMatchObject({ status: 'budgetExhausted', name: 'LIVE' });
  });

  it('quarantines an amount it cannot keep exactly and still sends the rest', () => {
    const out = new GmvMaxMapper().map(snap({ report: [row(1.005, 2)] }));
    expect(out.quarantined).toHaveLength(1);
    expect(out.events[0]).toMatchObject({ spendFen: 0, gmvFen: 200 });
  });

  it('sends a LIVE session as its own plan with its budget', () => {
    const out = new GmvMaxMapper().map(snap({ sessions: [{ sessionId: '7499999999999999999', campaignId: '7412345678901234567', budget: 80.05, bidType: null, scheduleType: null, scheduleStartTime: '2026-05-01 19:00:00', scheduleEndTime: null }] }));
    expect(out.events.find((e) => e.type === 'ad' && e.planId === '7499999999999999999')).toMatchObject({ planKind: 'gmvMaxSession', dailyBudgetFen: 8005, spendFen: 0, currency: 'USD', status: 'delivering' });
  });

  it('never throws on generated input and every ad event is valid with its currency and integer money', () => {
    const money = fc.oneof(fc.double({ noNaN: false }), fc.integer(), fc.string(), fc.constant(null), fc.constant(undefined), fc.constantFrom('12.30', '1e5', '-0', '0.001', '99999999999999999999'), fc.object());
    const rawRow = fc.record({ dimensions: fc.oneof(fc.record({ campaign_id: fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n }).map(String), fc.integer(), fc.string()) }), fc.anything()), metrics: fc.oneof(fc.record({ cost: money, gross_revenue: money, orders: fc.anything(), live_views: fc.anything(), roi: fc.anything() }), fc.anything()) });
    const rawCampaign = fc.record({ campaign_id: fc.oneof(fc.constant('7412345678901234567'), fc.integer(), fc.string()), campaign_name: fc.anything(), operation_status: fc.oneof(fc.constantFrom('ENABLE', 'DISABLE', 'DELETE'), fc.anything()), budget: money, roas_bid: fc.anything(), auto_budget_enabled: fc.anything() }, { requiredKeys: [] });
    const rawSession = fc.record({ session_id: fc.oneof(fc.integer({ min: 0 }), fc.string()), campaign_id: fc.oneof(fc.integer({ min: 0 }), fc.string()), budget: money, schedule_start_time: fc.anything() }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.array(fc.oneof(rawRow, fc.anything()), { maxLength: 6 }), fc.array(fc.oneof(rawCampaign, fc.anything()), { maxLength: 4 }), fc.array(fc.oneof(rawSession, fc.anything()), { maxLength: 3 }), fc.constantFrom('USD', 'VND', 'JPY', 'EUR', 'THB'), fc.constantFrom('2026-05-01', '2026-05-02'), (rows, camps, sess, currency, day) => {
        const m = new GmvMaxMapper();
        const report = rows.map(readReportRow).filter((r): r is Exclude<ReturnType<typeof readReportRow>, string> => typeof r !== 'string');
        const campaigns = camps.map(readCampaign).filter((c): c is CampaignRow => typeof c !== 'string');
        const sessions = sess.map(readSession).filter((s): s is Exclude<ReturnType<typeof readSession>, string> => typeof s !== 'string');
        for (let i = 0; i < 2; i++) {
          const out = m.map({ at: 1_777_000_000_000 + i, day, currency, campaigns, report, sessions });
          for (const e of out.events) {
            expect(e.type).toBe('ad');
            const parsed = AdEventSchema.safeParse({ ...e, seq: 1 });
            expect(parsed.success, JSON.stringify(parsed.error?.issues ?? null)).toBe(true);
            expect((e as { currency?: string }).currency).toBe(currency);
            for (const k of ['spendFen', 'gmvFen', 'dailyBudgetFen'] as const) {
              const v = (e as Record<string, unknown>)[k];
              if (v !== undefined) expect(Number.isSafeInteger(v) && (v as number) >= 0).toBe(true);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
