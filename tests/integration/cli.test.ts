/** The `lcr` command line as a script calling it would (CONTRACTS.md): exit codes, stdout, stderr. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Core } from '../../electron/core/core.ts';
import { MINUTE_COLUMNS } from '../../shared/metrics/columns.ts';
import { lcrRun } from '../helpers/processes.ts';
import { tempDir } from '../helpers/util.ts';

const tiny = fileURLToPath(new URL('../fixtures/scenarios/tiny.json', import.meta.url));
let dir: string;
let cleanup: () => void;
let env: Record<string, string>;

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  env = { LCR_DATA_DIR: dir };
  // Record one whole show into the store through the embedded simulator.
  const core = await Core.start({ dataDir: dir, scenarioFiles: [tiny], speed: 60, seed: '5' });
  await core.untilEnded();
  await core.stop();
});
afterAll(() => cleanup());

describe('lcr', () => {
  it('sessions --json lists the recorded show with the contract keys', async () => {
    const r = await lcrRun(['sessions', '--json'], env);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    expect(list).toHaveLength(1);
    expect(Object.keys(list[0]!).sort()).toEqual(['endedAt', 'platform', 'roomId', 'sessionId', 'startedAt', 'title'].sort());
    expect(list[0]).toMatchObject({ roomId: 'test-tiny', platform: 'sim', title: '测试小场' });
  });

  it('report --json prints one document with every METRICS.md section', async () => {
    const sessions = JSON.parse((await lcrRun(['sessions', '--json'], env)).stdout) as Array<{ sessionId: string }>;
    const r = await lcrRun(['report', '--session', sessions[0]!.sessionId, '--json'], env);
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.stdout) as Record<string, unknown> & { kpis: Record<string, unknown>; minutes: Array<Record<string, unknown>> };
    // CONTRACTS.md's keys, exactly as they were, and the retrospective's sections beside them.
    expect(Object.keys(rep)).toEqual(expect.arrayContaining(['actions', 'alerts', 'kpis', 'minutes', 'products', 'quarantined', 'segments', 'session']));
    expect(Object.keys(rep)).toEqual(expect.arrayContaining(['headline', 'scorecard', 'funnel', 'traffic', 'demand', 'review', 'notes']));
    for (const k of ['gmvFen', 'gpm', 'pv', 'uv', 'ctr', 'clickToOrder', 'viewToOrder', 'avgWatchSec', 'entersBySource', 'adSpendFen', 'roi']) expect(rep.kpis).toHaveProperty(k);
    expect(Object.keys(rep.minutes[0]!).sort()).toEqual([...MINUTE_COLUMNS].sort());
    expect(rep.kpis.gmvFen).toBeGreaterThan(0);
  });

  it('export --format csv writes Excel-ready UTF-8 tables', async () => {
    const sessions = JSON.parse((await lcrRun(['sessions', '--json'], env)).stdout) as Array<{ sessionId: string }>;
    const out = join(dir, 'exports', 'show.csv');
    const r = await lcrRun(['export', '--session', sessions[0]!.sessionId, '--format', 'csv', '--out', out], env);
    expect(r.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    // For a person in Excel: Chinese headers with units, yuan not fen (lcr report --json keeps METRICS.md's keys).
    expect(text.startsWith('\uFEFF第几分钟,时间,讲解商品,讲解商品ID,')).toBe(true);
    expect(text.split('\r\n')[0]).toContain('成交金额(元)');
    expect(text.trim().split('\r\n')).toHaveLength(1 + 6);
    for (const f of ['show.kpis.csv', 'show.products.csv', 'show.segments.csv']) expect(existsSync(join(dir, 'exports', f))).toBe(true);
    expect(readFileSync(join(dir, 'exports', 'show.products.csv'), 'utf8')).toContain('玻尿酸补水保湿面膜');
  });

  it('a real source without what it needs is a usage error in one line, and records nothing', async () => {
    for (const args of [
      ['record', '--source', 'douyin-ws', '--feed', 'ws://127.0.0.1:1'],
      ['record', '--source', 'barragegrab', '--feed', '127.0.0.1:8888'],
      ['record', '--source', 'replay'],
    ]) {
      const r = await lcrRun(args, env);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^lcr: .*(needs --rooms|ws:\/\/ or http:\/\/|needs --feed)/);
    }
  });

  it('import (F4) fails on a missing file with one clear line (tests/integration/imports-*.test.ts cover the rest)', async () => {
    const r = await lcrRun(['import', '--file', 'x.csv'], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^lcr: cannot read x\.csv: ENOENT/)]);
  });

  it('sessions filters by room, platform, date and search, keeping the JSON shape', async () => {
    const all = JSON.parse((await lcrRun(['sessions', '--json'], env)).stdout) as Array<{ sessionId: string; startedAt: number }>;
    const day = new Date(all[0]!.startedAt);
    const since = `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`;
    for (const [args, n] of [
      [['--room', 'test-tiny'], 1],
      [['--room', 'other'], 0],
      [['--platform', 'sim', '--since', since], 1],
      [['--until', since], 0],
      [['--search', '小场'], 1],
      [['--search', '大场'], 0],
    ] as Array<[string[], number]>) {
      const r = await lcrRun(['sessions', ...args, '--json'], env);
      expect(r.code, args.join(' ')).toBe(0);
      const list = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
      expect(list, args.join(' ')).toHaveLength(n);
      if (n) expect(Object.keys(list[0]!).sort()).toEqual(['endedAt', 'platform', 'roomId', 'sessionId', 'startedAt', 'title'].sort());
    }
    const bad = await lcrRun(['sessions', '--since', 'yesterday-ish'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--since must be a date/);
  });

  it('report without --json is a readable summary; note adds and lists the team\'s notes', async () => {
    const id = (JSON.parse((await lcrRun(['sessions', '--json'], env)).stdout) as Array<{ sessionId: string }>)[0]!.sessionId;
    const add = await lcrRun(['note', '--session', id, '--minute', '3', '--text', '第3分钟换唇釉后在线上涨', '--json'], env);
    expect(add.code, add.stderr).toBe(0);
    const note = JSON.parse(add.stdout) as { id: string; minute: number };
    expect(note.minute).toBe(2);
    const r = await lcrRun(['report', '--session', id], env);
    expect(r.code, r.stderr).toBe(0);
    for (const h of ['本场要点', '核心指标', '复盘四维', '讲解段评分', '转化漏斗', '流量来源', '评论需求', '团队备注']) expect(r.stdout).toContain(h);
    expect(r.stdout).toContain('第3分钟  第3分钟换唇釉后在线上涨');
    const rep = JSON.parse((await lcrRun(['report', '--session', id, '--json'], env)).stdout) as { kpis: { gmvFen: number }; notes: unknown[] };
    expect(r.stdout).toContain(`¥${(rep.kpis.gmvFen / 100).toLocaleString('en-US', { maximumFractionDigits: 0 })}`);
    expect(rep.notes).toHaveLength(1);
    const en = await lcrRun(['report', '--session', id, '--lang', 'en'], env);
    expect(en.stdout).toContain('Segment scorecard');
    const del = await lcrRun(['note', '--delete', note.id], env);
    expect(del.code).toBe(0);
    expect((await lcrRun(['note', '--session', id], env)).stdout.trim()).toBe('no notes');
  });

  it('export --format xlsx|html|pdf writes a workbook, a self-contained page and a PDF', async () => {
    const id = (JSON.parse((await lcrRun(['sessions', '--json'], env)).stdout) as Array<{ sessionId: string }>)[0]!.sessionId;
    for (const format of ['xlsx', 'html', 'pdf']) {
      const out = join(dir, 'exports', `show.${format}`);
      const r = await lcrRun(['export', '--session', id, '--format', format, '--out', out], env);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe('');
      expect(existsSync(out)).toBe(true);
    }
    expect(readFileSync(join(dir, 'exports', 'show.xlsx')).subarray(0, 2).toString('latin1')).toBe('PK');
    expect(readFileSync(join(dir, 'exports', 'show.html'), 'utf8')).toContain('<svg');
    expect(readFileSync(join(dir, 'exports', 'show.pdf')).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const bad = await lcrRun(['export', '--session', id, '--format', 'docx', '--out', join(dir, 'x.docx')], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown format "docx" \(csv, xlsx, html, pdf\)/);
  }, 60_000);

  it('evaluate: CONTRACTS.md\'s JSON for one policy, a table for all, a clear line for bad options', async () => {
    const r = await lcrRun(['evaluate', '--scenario', tiny, '--policy', 'suggest', '--seeds', '2', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { policy: string; scenario: string; seeds: number; gmvFen: { mean: number; min: number; max: number }; orders: { mean: number }; gpm: { mean: number }; runs: unknown[] };
    expect(j).toMatchObject({ policy: 'suggest', scenario: 'tiny', seeds: 2 });
    expect(j.gmvFen.min).toBeLessThanOrEqual(j.gmvFen.mean);
    expect(j.gmvFen.max).toBeGreaterThanOrEqual(j.gmvFen.mean);
    expect(j.gmvFen.mean).toBeGreaterThan(0);
    expect(j.orders.mean).toBeGreaterThan(0);
    expect(j.runs).toHaveLength(2);
    const all = await lcrRun(['evaluate', '--scenario', tiny, '--seeds', '1'], env);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toMatch(/^plan\s+\d+/m);
    expect(all.stdout).toMatch(/^oracle\s+\d+/m);
    expect(all.stdout).toMatch(/suggest \/ plan\s+= \d\.\d{3}/);
    const bad = await lcrRun(['evaluate', '--scenario', tiny, '--policy', 'guess'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toMatch(/^lcr: --policy must be plan, suggest, oracle or all/);
  });

  it('plan: imports a run-of-show from CSV into the store, refuses a bad one whole', async () => {
    const bad = join(dir, 'bad-plan.csv');
    writeFileSync(bad, '商品,时长\nbea-mask,4\nbea-lip,0\n');
    const refused = await lcrRun(['plan', '--room', 'test-tiny', '--file', bad], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe('lcr: line 3, column "时长": minutes must be a number above 0 and at most 1440 (got "0")');
    const none = await lcrRun(['plan', '--room', 'test-tiny', '--json'], env);
    expect(JSON.parse(none.stdout)).toMatchObject({ roomId: 'test-tiny', items: [] });
    const good = join(dir, 'plan.csv');
    writeFileSync(good, 'productId,minutes\nbea-lip,3\nbea-mask,2.5\n');
    const r = await lcrRun(['plan', '--room', 'test-tiny', '--file', good, '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ roomId: 'test-tiny', items: [{ productId: 'bea-lip', minutes: 3 }, { productId: 'bea-mask', minutes: 2.5 }] });
    const text = await lcrRun(['plan', '--room', 'test-tiny'], env);
    expect(text.stdout).toMatch(/2 item\(s\), 5\.5 min per round/);
  });

  it('fails with one clear line on bad input', async () => {
    const unknown = await lcrRun(['report', '--session', 'nope', '--json'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr.trim()).toMatch(/^lcr: no session nope/);
    const bad = await lcrRun(['frobnicate'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown command/);
    const badScenario = await lcrRun(['simulate', '--scenario', join(dir, 'missing.json')], env);
    expect(badScenario.code).not.toBe(0);
    expect(badScenario.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('record with a wrong token fails fast with "unauthorized"', async () => {
    const { Simulator } = await import('../../electron/core/sim/simulator.ts');
    const sim = await Simulator.start({ scenarioFiles: [tiny], speed: 1, token: 'right' });
    try {
      const r = await lcrRun(['record', '--feed', sim.url, '--token', 'wrong'], env);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/unauthorized/);
    } finally {
      await sim.stop();
    }
  });
});
