/**
 * "Test the connection" on the settings screen: a source configuration tried for real before it is
 * saved — a FEED-PROTOCOL relay is connected to and asked for its rooms; a real source is started
 * through the same hub the app runs (so the same adapters classify what the service answers: room
 * not found, ended, rate-limited, refused, unreachable) and stopped again. The answer is a list of
 * checks, each a code the page words in plain Chinese (English available) with what to do.
 */
import { randomBytes } from 'node:crypto';
import { io } from 'socket.io-client';
import { FEED_NAMESPACE, RoomInfoSchema } from '../../../shared/protocol.ts';
import type { SourceCheck, SourceTestResult } from '../../../shared/contract.ts';
import { SourceHub, SourceConfigError, planRooms, type SourceConfig } from './hub.ts';

export interface ProbeRequest {
  kind: SourceConfig['kind'] | 'feed';
  /** The relay's URL (`feed`) or the source's address. */
  address: string;
  token?: string;
  rooms?: string[];
  ordersFile?: string;
  dataDir: string;
}

/** How long a probe waits for an answer: long enough for a slow service, short enough for a person waiting. */
export const PROBE_TIMEOUT_MS = 8_000;

export async function probeSource(req: ProbeRequest, timeoutMs = PROBE_TIMEOUT_MS): Promise<SourceTestResult> {
  const checks = req.kind === 'feed' ? await probeRelay(req, timeoutMs) : await probeReal(req, timeoutMs);
  return { ok: checks.every((c) => c.ok), checks };
}

function check(what: SourceCheck['what'], ok: boolean, code: string, params: SourceCheck['params'] = {}): SourceCheck {
  return { what, ok, code, params };
}

async function probeRelay(req: ProbeRequest, timeoutMs: number): Promise<SourceCheck[]> {
  let url: URL;
  try {
    url = new URL(req.address);
    if (!/^(https?|wss?):$/.test(url.protocol)) throw new Error('protocol');
  } catch {
    return [check('address', false, 'badAddress', { address: req.address })];
  }
  const socket = io(req.address.replace(/\/+$/, '') + FEED_NAMESPACE, { auth: { token: req.token ?? '' }, reconnection: false, timeout: timeoutMs, forceNew: true });
  try {
    const connected = await new Promise<'ok' | 'unauthorized' | string>((resolve) => {
      const timer = setTimeout(() => resolve('timeout'), timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve('ok');
      });
      socket.once('connect_error', (e: Error) => {
        clearTimeout(timer);
        resolve(e.message === 'unauthorized' ? 'unauthorized' : e.message || 'error');
      });
    });
    if (connected === 'unauthorized') return [check('address', true, 'reached'), check('token', false, 'tokenRejected')];
    if (connected !== 'ok') return [check('address', false, 'unreachable', { detail: connected })];
    let rooms;
    try {
      const raw: unknown = await socket.timeout(timeoutMs).emitWithAck('rooms');
      rooms = RoomInfoSchema.array().parse(raw);
    } catch {
      return [check('address', true, 'reached'), check('config', false, 'notARelay')];
    }
    const out = [check('address', true, 'relayRooms', { count: rooms.length, live: rooms.filter((r) => r.status === 'live').length })];
    const known = new Set(rooms.map((r) => r.roomId));
    for (const r of req.rooms ?? []) {
      out.push(known.has(r) ? check('room', true, 'roomFound', { room: r }) : check('room', false, 'roomMissing', { room: r, available: rooms.map((x) => x.roomId).slice(0, 8).join(', ') || '—' }));
    }
    return out;
  } finally {
    socket.disconnect();
  }
}

async function probeReal(req: ProbeRequest, timeoutMs: number): Promise<SourceCheck[]> {
  const cfg: SourceConfig = { kind: req.kind as SourceConfig['kind'], address: req.address, rooms: req.rooms, ordersFile: req.ordersFile, dataDir: req.dataDir, speed: 60 };
  try {
    planRooms(cfg);
  } catch (e) {
    if (e instanceof SourceConfigError) return [check('config', false, 'config', { detail: e.message })];
    throw e;
  }
  let hub: SourceHub;
  try {
    hub = await SourceHub.start(cfg, { token: randomBytes(8).toString('hex') });
  } catch (e) {
    return [check('config', false, 'config', { detail: e instanceof Error ? e.message : String(e) })];
  }
  try {
    const deadline = Date.now() + timeoutMs;
    // Settled: every source live, or one that says why it is not.
    for (;;) {
      const states = hub.states();
      const settled = states.every((s) => s.status === 'live' || s.problem !== null || s.status === 'failed');
      if (settled || Date.now() > deadline) {
        return states.map((s) => {
          const what: SourceCheck['what'] = s.source === 'merchant-orders' ? 'orders' : 'address';
          if (s.status === 'live') return check(what, true, s.source === 'merchant-orders' ? 'ordersOk' : 'sourceLive', { source: s.source, target: s.target });
          if (s.problem) return check(what, false, `problem.${s.problem}`, { source: s.source, target: s.target, detail: s.error ?? '' });
          return check(what, false, s.status === 'failed' ? 'failed.code' : 'noAnswer', { source: s.source, target: s.target, detail: s.error ?? '' });
        });
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await hub.stop();
  }
}
