/**
 * Sales attainment on real SQLite files, through the core's requests: a GMV target per room
 * (the settings' targets), per show (set on the report, or a 成交目标 column in an imported totals
 * table) winning over the room's, and a targets row stored before the GMV target existed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { Core } from '../../electron/core/core.ts';
import { openDatabase } from '../../electron/core/store/db.ts';
import { StoreReader } from '../../electron/core/store/reader.ts';
import { DEFAULT_TARGETS, type RoomTargets } from '../../shared/contract.ts';
import type { RetroReportView, SessionListItem } from '../../shared/retro/types.ts';
import { parseGmvTarget, gmvTargetInput } from '../../shared/retro/gmv-target.ts';
import { tempDir } from '../helpers/util.ts';

const tiny = fileURLToPath(new URL('../fixtures/scenarios/tiny.json', import.meta.url));

describe('a GMV target as a person types it', () => {
  it('reads yuan with ¥, separators or 万, and refuses what is not an amount', () => {
    expect(parseGmvTarget('80000')).toBe(8_000_000);
    expect(parseGmvTarget(' ¥80,000 ')).toBe(8_000_000);
    expect(parseGmvTarget('8万')).toBe(8_000_000);
    expect(parseGmvTarget('1.5万元')).toBe(1_500_000);
    expect(parseGmvTarget('1234.56')).toBe(123_456);
    expect(parseGmvTarget('')).toBeNull();
    for (const bad of ['abc', '0', '-5', '8千', '1e5']) expect(parseGmvTarget(bad), bad).toBeUndefined();
    expect(gmvTargetInput(8_000_000)).toBe('80000');
    expect(gmvTargetInput(null)).toBe('');
  });
});

describe('sales attainment against the room’s and the show’s GMV target', () => {
  let dir: string;
  let cleanup: () => void;
  let core: Core;
  let sessionId = '';
  let gmvFen = 0;
  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    core = await Core.start({ dataDir: dir, scenarioFiles: [tiny], speed: 60, seed: '3' });
    await core.untilEnded();
    const list = await req<SessionListItem[]>('listSessions', {});
    sessionId = list[0]!.sessionId;
    gmvFen = list[0]!.gmvFen!;
  }, 60_000);
  afterAll(async () => {
    await core.stop();
    cleanup();
  });

  async function req<T>(name: string, args: unknown): Promise<T> {
    const r = await core.request(name, args);
    if (!r.ok) throw new Error(r.error);
    return r.value as T;
  }

  it('has no attainment without a target', async () => {
    const rep = await req<RetroReportView>('getReport', { sessionId });
    expect(rep.review.sales).toMatchObject({ gmvTargetFen: null, gmvTargetSource: null, attainment: null });
  });

  it('judges the show against the room’s target from the settings', async () => {
    const room = await req<RoomTargets>('setTargets', { roomId: 'test-tiny', targets: { ...DEFAULT_TARGETS, gmvFen: gmvFen * 2 } });
    expect(room.gmvFen).toBe(gmvFen * 2);
    expect((await req<RoomTargets>('getTargets', { roomId: 'test-tiny' })).gmvFen).toBe(gmvFen * 2);
    const rep = await req<RetroReportView>('getReport', { sessionId });
    expect(rep.review.sales).toMatchObject({ gmvTargetFen: gmvFen * 2, gmvTargetSource: 'room', attainment: 0.5 });
    expect(rep.headline.items.find((i) => i.key === 'gmvFen')).toMatchObject({ target: gmvFen * 2, vsTarget: -0.5, targetStatus: 'below' });
    expect(rep.keyPoints.some((p) => p.kind === 'target-missed' && p.zh.startsWith('成交金额'))).toBe(true);
  });

  it('lets the show’s own target, set on its report, win — and removing it falls back to the room’s', async () => {
    const set = await req<{ sessionId: string; gmvFen: number | null }>('setSessionTarget', { sessionId, gmvFen: Math.round(gmvFen / 0.8) });
    expect(set).toEqual({ sessionId, gmvFen: Math.round(gmvFen / 0.8) });
    let rep = await req<RetroReportView>('getReport', { sessionId });
    expect(rep.review.sales.gmvTargetSource).toBe('show');
    expect(rep.review.sales.attainment).toBeCloseTo(0.8, 4);
    expect(rep.targets.gmvFen).toBe(Math.round(gmvFen / 0.8));
    await req('setSessionTarget', { sessionId, gmvFen: null });
    rep = await req<RetroReportView>('getReport', { sessionId });
    expect(rep.review.sales).toMatchObject({ gmvTargetSource: 'room', attainment: 0.5 });
    expect((await core.request('setSessionTarget', { sessionId: 'nope', gmvFen: 100 })).ok).toBe(false);
    expect((await core.request('setSessionTarget', { sessionId, gmvFen: 0 })).ok).toBe(false);
  });

  it('takes a show’s target from a 成交目标 column of an imported totals table', async () => {
    const csv = `直播间ID,成交目标\ntest-tiny,${(gmvFen / 100 / 1.25).toFixed(2)}\n`;
    const r = await core.request('importTables', { fileName: '目标.csv', dataBase64: Buffer.from(csv).toString('base64'), sessionId });
    expect(r.ok, r.ok ? '' : r.error).toBe(true);
    const rep = await req<RetroReportView>('getReport', { sessionId });
    expect(rep.review.sales.gmvTargetSource).toBe('show');
    expect(rep.review.sales.attainment).toBeCloseTo(1.25, 3);
    expect(rep.keyPoints.some((p) => p.kind === 'target-met')).toBe(true);
    await core.flush();
    const db = openDatabase(dir);
    try {
      expect(db.prepare('SELECT source FROM session_targets WHERE session_id = ?').get(sessionId)).toEqual({ source: 'import' });
    } finally {
      db.close();
    }
  });

  it('reads a room’s targets stored before the GMV target existed', async () => {
    await core.flush();
    const db = openDatabase(dir);
    try {
      const old = { ctr: 0.05, clickToOrder: 0.03, roi: 2.5, tolerance: 0.1, onlineDropPct: 0.3, onlineDropWindowMin: 2, lowStockPct: 0.1, sound: true };
      db.prepare('INSERT INTO room_targets (room_id, targets, updated_at) VALUES (?, ?, ?)').run('older-room', JSON.stringify(old), 1);
      const t = new StoreReader(db).targets('older-room');
      expect(t).toMatchObject(old);
      expect(t!.gmvFen ?? null).toBeNull();
    } finally {
      db.close();
    }
  });
});
