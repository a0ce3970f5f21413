/**
 * A scripted show for the alert end-to-end tests (tests/e2e/alerts-*.test.ts): a relay on
 * loopback plays four rooms' online counts, 5 s of show time every 250 ms (20× real time: the core
 * judges once a second, and a drop must be seen low twice 30 s of show time apart), so a
 * 12-minute show takes about 40 s. Three big rooms fall for real (each must raise one onlineDrop); the small
 * one wobbles 119–126 and dips to 86 for 40 s — the team's "126→86" that the old rules (30 %
 * at once) raised and the new ones (6 √high) must not.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ScriptedRelay } from './scripted-relay.ts';
import { startBrowserApp, type BrowserApp } from './processes.ts';
import { tempDir } from './util.ts';

export const SHOW_SEC = 12 * 60;
const STEP_SEC = 5;
const STEP_MS = 250;

export interface ShowRoom {
  roomId: string;
  title: string;
  online: (sec: number) => number;
}

const wobble = (sec: number, base: number, span: number) => base + Math.round(span * Math.sin(sec / 7));

export const ROOMS: ShowRoom[] = [
  { roomId: 'big-a', title: '大号直播间A', online: (s) => (s < 480 ? wobble(s, 3000, 30) : wobble(s, 1500, 20)) },
  { roomId: 'big-b', title: '大号直播间B', online: (s) => (s < 360 ? wobble(s, 2000, 20) : wobble(s, 900, 10)) },
  { roomId: 'big-c', title: '大号直播间C', online: (s) => (s < 600 ? wobble(s, 1200, 15) : wobble(s, 500, 8)) },
  { roomId: 'small', title: '小号直播间', online: (s) => (s >= 420 && s < 460 ? 86 : wobble(s, 122, 4)) },
];

export interface AlertShow {
  app: BrowserApp;
  relay: ScriptedRelay;
  dataDir: string;
  startedAt: number;
  /** Resolves when every step of the show was sent. */
  played: Promise<void>;
  /** Ends one room's show (a `session` ended event). */
  end(roomId: string): void;
  stop(): Promise<void>;
}

/** Starts the relay and the app (browser mode) with an operator named in the settings, and plays the show. */
export async function startAlertShow(): Promise<AlertShow> {
  const { dir, cleanup } = tempDir();
  writeFileSync(join(dir, 'settings.json'), JSON.stringify({ operatorName: '阿杰', operatorRole: 'controller' }));
  const relay = new ScriptedRelay();
  const startedAt = Date.now() - SHOW_SEC * 1000 - 60_000;
  const seq = new Map(ROOMS.map((r) => [r.roomId, 0]));
  const sent = new Map<string, Array<Record<string, unknown>>>(ROOMS.map((r) => [r.roomId, []]));
  const emit = (roomId: string, events: Array<Record<string, unknown>>) => {
    sent.get(roomId)!.push(...events);
    relay.rooms = ROOMS.map((r) => ({ roomId: r.roomId, platform: 'test', title: r.title, status: 'live', startedAt, lastSeq: seq.get(r.roomId)! }));
    relay.send(roomId, events);
  };
  const next = (roomId: string) => {
    const n = seq.get(roomId)! + 1;
    seq.set(roomId, n);
    return n;
  };
  relay.rooms = ROOMS.map((r) => ({ roomId: r.roomId, platform: 'test', title: r.title, status: 'live', startedAt, lastSeq: 0 }));
  // A reconnecting app gets what it missed.
  relay.onSubscribe = (call) => {
    for (const r of call.rooms) call.socket.emit('events', { roomId: r.roomId, events: (sent.get(r.roomId) ?? []).filter((e) => (e.seq as number) > (r.afterSeq ?? 0)) });
  };
  await relay.listen();
  for (const r of ROOMS) emit(r.roomId, [{ seq: next(r.roomId), ts: startedAt, type: 'session', status: 'live', startedAt, title: r.title }]);
  const app = await startBrowserApp({ LCR_DATA_DIR: dir, LCR_FEED_URL: relay.url });
  let stopped = false;
  const played = (async () => {
    for (let sec = 0; sec <= SHOW_SEC && !stopped; sec += STEP_SEC) {
      for (const r of ROOMS) emit(r.roomId, [{ seq: next(r.roomId), ts: startedAt + sec * 1000, type: 'viewers', online: r.online(sec) }]);
      await new Promise((res) => setTimeout(res, STEP_MS));
    }
  })();
  return {
    app,
    relay,
    dataDir: dir,
    startedAt,
    played,
    end: (roomId) => emit(roomId, [{ seq: next(roomId), ts: startedAt + SHOW_SEC * 1000 + 1000, type: 'session', status: 'ended', startedAt }]),
    stop: async () => {
      stopped = true;
      await played;
      if (app.child.exitCode === null) app.child.kill('SIGKILL');
      await relay.close();
      cleanup();
    },
  };
}
