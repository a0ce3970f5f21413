/**
 * The UI channel door (docs/doors.md): every request the page can send, over a real Socket.IO
 * client against a real core in browser mode — names that are no request, arguments of every
 * wrong type, valid arguments with one field broken, prototype keys, payloads nested 20,000 deep
 * (written raw, past the client's own encoder). Each gets a reply `{ ok: true, value }` or
 * `{ ok: false, error }` with a readable error — never a dropped connection; a refused request
 * leaves settings.json and the store as they were; a valid request after the garbage does exactly
 * what it says.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { io, type Socket } from 'socket.io-client';
import { Core } from '../../electron/core/core.ts';
import { BrowserHost } from '../../electron/core/host/browser.ts';
import { DEFAULT_TARGETS, RequestSchemas, type RequestName } from '../../shared/contract.ts';
import { checkDoorAsync, fc, yieldToLoop, fuzzTimeout } from '../helpers/fuzz.ts';
import { hostileString, hostileValue, mutated, prototypeKeys } from '../helpers/hostile.ts';
import { tempDir, waitFor } from '../helpers/util.ts';

const tiny = fileURLToPath(new URL('../fixtures/scenarios/tiny.json', import.meta.url));
let dir: string;
let cleanup: () => void;
let core: Core;
let host: BrowserHost;
let socket: Socket;
let disconnects = 0;

/** One valid example of each request's arguments: the base the mutations start from. */
const VALID: Record<RequestName, Record<string, unknown>> = {
  getOverview: {},
  getRoom: { roomId: 'test-tiny' },
  sendCommand: { roomId: 'test-tiny', command: { type: 'pin', productId: 'p1' } },
  getAlerts: {},
  ackAlert: { id: 'nope' },
  ackAlerts: { roomId: 'fuzz-room' },
  getTargets: { roomId: 'test-tiny' },
  setTargets: { roomId: 'fuzz-room', targets: { ...DEFAULT_TARGETS } },
  getSettings: {},
  saveSettings: { settings: { operatorName: '小王' } },
  testSource: { sourceKind: 'feed', address: 'http://127.0.0.1:9' },
  getSuggestions: { roomId: 'test-tiny' },
  listSessions: { limit: 5 },
  getReport: { sessionId: 'nope' },
  compareSessions: { sessionIds: ['a', 'b'], align: 'minute' },
  addNote: { sessionId: 'nope', text: 'x' },
  deleteNote: { id: 'nope' },
  setSessionTarget: { sessionId: 'nope', gmvFen: 100_000 },
  exportReport: { sessionId: 'nope', format: 'csv' },
  revealExport: { path: '/tmp/x' },
  acceptSuggestion: { roomId: 'test-tiny', suggestionId: 'nope' },
  dismissSuggestion: { roomId: 'test-tiny', suggestionId: 'nope' },
  undoPin: { roomId: 'test-tiny', productId: 'p1' },
  getRunOfShow: { roomId: 'fuzz-room' },
  setRunOfShow: { roomId: 'fuzz-room', items: [{ productId: 'p1', minutes: 5 }] },
  importRunOfShow: { roomId: 'fuzz-room', fileName: 'p.csv', dataBase64: Buffer.from('商品,时长\np1,5\n').toString('base64') },
  importTables: { fileName: 't.csv', dataBase64: Buffer.from('时间,成交金额(元)\n2024-11-11 20:00,1\n').toString('base64'), roomId: 'fuzz-import' },
  getAdConsole: { roomId: 'test-tiny' },
  getEconomics: { roomId: 'fuzz-room' },
  setEconomics: { roomId: 'fuzz-room', economics: { feeRate: 0.05, refundRate: null, costOverrides: {} } },
  adAction: { roomId: 'test-tiny', planId: 'nope', type: 'adPause' },
  adPlanPreview: { roomId: 'test-tiny', planIds: ['nope'], field: 'dailyBudget', value: 50_000 },
  adPlanApply: { roomId: 'test-tiny', previewId: 'nope' },
  adPlanRevert: { roomId: 'test-tiny', actionId: 'nope' },
  getGuardRails: { roomId: 'fuzz-room' },
  getAccounts: {},
  adPlanLog: { roomId: 'test-tiny', planId: 'nope' },
  connectAccount: { platform: 'qianchuan', appId: '1712000000000001', account: '1', secret: 's', refreshToken: 'r' },
  setGuardRails: { roomId: 'fuzz-room', rails: { maxBudgetStepPct: 50, maxBidStepPct: 20, maxRoiStepPct: 10, cooldownMin: 10, maxChangesPerPlanPerDay: 20, maxDailyBudgetFen: null } },
  whoAmI: {},
  getTeam: {},
  createInvite: { role: 'assistant', name: '小李', hours: 8 },
  revokeInvite: { id: 'nope' },
  getPrompts: { roomId: 'test-tiny' },
  sendPrompt: { roomId: 'fuzz-room', text: '讲一下尺码' },
  ackPrompt: { id: 'nope' },
};
const NAMES = Object.keys(RequestSchemas) as RequestName[];

/** What a refused request must leave as it was: settings.json's bytes and the store's rows. */
async function state(): Promise<string> {
  await core.flush();
  const settings = existsSync(join(dir, 'settings.json')) ? readFileSync(join(dir, 'settings.json'), 'utf8') : '';
  const db = new Database(join(dir, 'lcr.sqlite'), { readonly: true });
  try {
    const counts = ['sessions', 'notes', 'session_targets', 'run_of_show', 'room_targets', 'room_economics', 'ad_guard_rails', 'imports', 'imported_minutes', 'ad_actions', 'decisions', 'invites', 'prompts'].map((t) => {
      try {
        return `${t}=${(db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n}`;
      } catch {
        return `${t}=?`;
      }
    });
    const plan = db.prepare("SELECT items FROM run_of_show WHERE room_id = 'fuzz-room'").get() as { items: string } | undefined;
    const targets = db.prepare("SELECT * FROM room_targets WHERE room_id = 'fuzz-room'").get();
    return JSON.stringify({ settings, counts, plan: plan?.items ?? null, targets: targets ?? null });
  } finally {
    db.close();
  }
}

/**
 * JSON as JSON.stringify writes it, without recursion: the values nested 20,000 deep that
 * hostile.ts makes overflow JSON.stringify (and socket.io-client's encoder) in the test process
 * before anything reaches the door.
 */
function jsonOf(root: unknown): string | undefined {
  const out: string[] = [];
  const stack: Array<{ v: unknown } | { close: string } | { raw: string }> = [{ v: root }];
  while (stack.length) {
    const top = stack.pop()!;
    if ('close' in top) {
      out.push(top.close);
      continue;
    }
    if ('raw' in top) {
      out.push(top.raw);
      continue;
    }
    const v = top.v;
    if (v === null || typeof v === 'boolean' || typeof v === 'string') out.push(JSON.stringify(v));
    else if (typeof v === 'number') out.push(Number.isFinite(v) ? JSON.stringify(v) : 'null');
    else if (Array.isArray(v)) {
      out.push('[');
      stack.push({ close: ']' });
      for (let i = v.length - 1; i >= 0; i--) {
        const x = v[i];
        stack.push({ v: x === undefined || typeof x === 'function' || typeof x === 'symbol' ? null : x });
        if (i > 0) stack.push({ raw: ',' });
      }
    } else if (typeof v === 'object') {
      const entries = Object.keys(v as object)
        .map((k) => [k, (v as Record<string, unknown>)[k]] as const)
        .filter(([, x]) => x !== undefined && typeof x !== 'function' && typeof x !== 'symbol');
      out.push('{');
      stack.push({ close: '}' });
      for (let i = entries.length - 1; i >= 0; i--) {
        stack.push({ v: entries[i]![1] });
        stack.push({ raw: `${JSON.stringify(entries[i]![0])}:` });
        if (i > 0) stack.push({ raw: ',' });
      }
    } else if (v === undefined) return undefined;
    else out.push('null');
  }
  return out.join('');
}

/** A request as the page sends it (the same packet socket.io-client's encoder writes). */
function request(name: unknown, args: unknown): Promise<unknown> {
  const a = jsonOf(args);
  return rawRequest(`[${['"request"', jsonOf(name) ?? 'null', ...(a === undefined ? [] : [a])].join(',')}]`);
}

/** A request written raw onto the engine (past the client's encoder, which recurses on deep values). */
function rawRequest(payloadJson: string): Promise<unknown> {
  const s = socket as unknown as { ids: number; acks: Record<number, (...a: unknown[]) => void>; io: { engine: { write(d: string): void } } };
  const id = s.ids++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no ack within 10 s')), 10_000);
    s.acks[id] = (reply: unknown) => {
      clearTimeout(timer);
      resolve(reply);
    };
    // A Socket.IO EVENT packet with an ack id for namespace /ui (the engine adds its own message type).
    s.io.engine.write(`2/ui,${id}${payloadJson}`);
  });
}

function expectReply(r: unknown): { ok: boolean; error?: string } {
  expect(typeof r === 'object' && r !== null && 'ok' in r).toBe(true);
  const reply = r as { ok: boolean; error?: unknown; value?: unknown };
  if (!reply.ok) {
    expect(typeof reply.error).toBe('string');
    expect((reply.error as string).length).toBeGreaterThan(0);
    expect(reply.error as string).not.toMatch(/\n\s+at /);
  }
  return reply as { ok: boolean; error?: string };
}

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  const staticDir = join(dir, 'static');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html>');
  core = await Core.start({ dataDir: dir, scenarioFiles: [tiny], speed: 60, noBackup: true });
  host = await BrowserHost.start(core, { host: '127.0.0.1', port: 0, staticDir, exportsDir: join(dir, 'exports') });
  const u = new URL(host.url);
  socket = io(`${u.origin}/ui`, { auth: { token: u.searchParams.get('token') }, transports: ['websocket'] });
  socket.on('disconnect', () => disconnects++);
  await waitFor(() => socket.connected, 'the UI channel connected');
  await core.untilEnded();
}, fuzzTimeout(60_000));
afterAll(async () => {
  socket?.close();
  await host?.stop();
  await core?.stop();
  cleanup?.();
});

const requestName = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...NAMES) }, { weight: 1, arbitrary: hostileValue }, { weight: 1, arbitrary: hostileString });

describe('ui channel door', () => {
  it('answers any name with any arguments, and a refusal changes nothing', async () => {
    await checkDoorAsync(
      'ui channel',
      'any request',
      fc.asyncProperty(requestName, hostileValue, async (name, args) => {
        await yieldToLoop();
        const before = await state();
        const reply = expectReply(await request(name, args));
        if (!reply.ok) expect(await state()).toBe(before);
        expect(disconnects).toBe(0);
      }),
    );
  });

  it('valid arguments with one to three fields broken: refused cleanly or accepted', async () => {
    const arb = fc.constantFrom(...NAMES).chain((name) => fc.tuple(fc.constant(name), mutated(fc.constant(VALID[name]))));
    await checkDoorAsync(
      'ui channel',
      'mutated valid arguments',
      fc.asyncProperty(arb, async ([name, args]) => {
        await yieldToLoop();
        const before = await state();
        const reply = expectReply(await request(name, args));
        if (!reply.ok) expect(await state()).toBe(before);
        expect(disconnects).toBe(0);
      }),
      { scale: 2 },
    );
  });

  it('prototype keys and payloads nested 20,000 deep, written raw', async () => {
    const deepJson = fc.integer({ min: 500, max: 20_000 }).chain((d) => fc.constantFrom('['.repeat(d) + '1' + ']'.repeat(d), '{"a":'.repeat(d) + '1' + '}'.repeat(d)));
    const proto = prototypeKeys.map((p) => JSON.stringify(p).replace('{', '{"__proto__":{"polluted":1},'));
    await checkDoorAsync(
      'ui channel',
      'deep and prototype payloads',
      fc.asyncProperty(fc.constantFrom(...NAMES), fc.oneof(deepJson, proto, fc.constant('{"constructor":{"prototype":{"polluted":1}}}')), async (name, argsJson) => {
        await yieldToLoop();
        const reply = expectReply(await rawRequest(`["request",${JSON.stringify(name)},${argsJson}]`));
        expect(reply).toBeDefined();
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(disconnects).toBe(0);
      }),
      { scale: 0.5 },
    );
  });

  it('a valid request after garbage does exactly what it says', async () => {
    const targets = fc.record({
      ctr: fc.double({ min: 0, max: 1, noNaN: true }),
      clickToOrder: fc.double({ min: 0, max: 1, noNaN: true }),
      roi: fc.double({ min: 0, max: 1000, noNaN: true }),
      tolerance: fc.double({ min: 0, max: 1, noNaN: true }),
      onlineDropPct: fc.double({ min: 0, max: 1, noNaN: true }),
      onlineDropWindowMin: fc.integer({ min: 1, max: 30 }),
      lowStockPct: fc.double({ min: 0, max: 1, noNaN: true }),
      sound: fc.boolean(),
    });
    await checkDoorAsync(
      'ui channel',
      'valid beside garbage',
      fc.asyncProperty(requestName, hostileValue, targets, async (name, garbage, t) => {
        await yieldToLoop();
        expectReply(await request(name, garbage));
        const set = expectReply(await request('setTargets', { roomId: 'kept-room', targets: t }));
        expect(set.ok).toBe(true);
        const got = (await request('getTargets', { roomId: 'kept-room' })) as { ok: boolean; value: unknown };
        // -0 crosses JSON as 0: compare as the page would see it.
        expect(got.value).toEqual(JSON.parse(JSON.stringify(t)));
      }),
    );
  });
});
