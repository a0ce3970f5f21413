/**
 * `lcr relay`: real sources served as one FEED-PROTOCOL relay for lcr serve processes to share.
 * A show recorded through the simulator is written out as a capture and served by a real
 * `lcr relay --source replay` process; a real `lcr record` follows that relay with the token the
 * relay kept in its data folder and stores the show with the original's figures. The token is
 * never printed, and the command line refuses one.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Core } from '../../electron/core/core.ts';
import { Simulator } from '../../electron/core/sim/simulator.ts';
import { openDatabase } from '../../electron/core/store/db.ts';
import { StoreReader } from '../../electron/core/store/reader.ts';
import { buildReport } from '../../electron/core/retro/report.ts';
import { writeCapture } from '../../electron/core/sources/capture.ts';
import { lcr, lcrRun, type Proc } from '../helpers/processes.ts';
import { tempDir, waitFor } from '../helpers/util.ts';
import { withReader } from '../helpers/engine.ts';

const tiny = fileURLToPath(new URL('../fixtures/scenarios/tiny.json', import.meta.url));
const cleanups: Array<() => unknown> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});


describe('lcr relay', () => {
  it('serves a source as a relay that lcr record follows with the token kept in the data folder, figures intact', async () => {
    // The original show, recorded at once (fast-forwarded), and written out as a capture.
    const src = tempDir('lcr-relay-src-');
    cleanups.push(src.cleanup);
    const sim = await Simulator.start({ scenarioFiles: [tiny], speed: 60, seed: 3, token: 'tok', fastForwardMs: 7 * 60_000 });
    const core = await Core.start({ dataDir: src.dir, feedUrl: sim.url, feedToken: 'tok', noBackup: true });
    await core.untilEnded();
    await core.stop();
    await sim.stop();
    const capture = join(src.dir, 'show.jsonl');
    const db = openDatabase(src.dir);
    const reader = new StoreReader(db);
    const [session] = reader.listSessions();
    await writeCapture(reader, session!.sessionId, capture);
    const original = buildReport(reader, session!.sessionId);
    db.close();

    const relayData = tempDir('lcr-relay-data-');
    cleanups.push(relayData.cleanup);
    const relay: Proc = lcr(['relay', '--source', 'replay', '--feed', capture, '--speed', '60', '--port', '0', '--host', '127.0.0.1'], { LCR_DATA_DIR: relayData.dir, LCR_RELAY_TOKEN: '' });
    cleanups.push(() => relay.child.exitCode === null && relay.child.kill('SIGKILL'));
    const url = (await waitFor(() => /Relay: (\S+)/.exec(relay.stdout())?.[1] ?? (relay.child.exitCode !== null ? `exited: ${relay.stderr()}` : null), 'the Relay line', 30_000))!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const token = readFileSync(join(relayData.dir, 'relay-token'), 'utf8').trim();
    expect(token.length).toBeGreaterThanOrEqual(16);
    await waitFor(() => relay.stderr().includes(`in ${join(relayData.dir, 'relay-token')}`), 'the relay saying where its token is');

    const dst = tempDir('lcr-relay-dst-');
    cleanups.push(dst.cleanup);
    const rec = await lcrRun(['record', '--feed', url, '--token', token, '--until-ended'], { LCR_DATA_DIR: dst.dir });
    expect(rec.code, rec.stderr).toBe(0);
    const replayed = withReader(dst.dir, (r) => {
      const [session, ...more] = r.listSessions();
      expect(more).toEqual([]);
      return buildReport(r, session!.sessionId);
    });
    expect(replayed.kpis.gmvFen).toBe(original.kpis.gmvFen);
    expect(replayed.kpis.orders).toBe(original.kpis.orders);
    expect(replayed.kpis.pv).toBe(original.kpis.pv);
    expect(replayed.products.map((p) => [p.productId, p.gmvFen])).toEqual(original.products.map((p) => [p.productId, p.gmvFen]));
    // The token never appears in what the relay printed.
    expect(relay.stdout() + relay.stderr()).not.toContain(token);
    relay.child.kill('SIGTERM');
    expect(await relay.exited).toBe(0);
  }, 120_000);

  it('refuses a token on the command line and a relay of a relay, before listening', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const withToken = await lcrRun(['relay', '--source', 'douyin-ws', '--feed', 'ws://127.0.0.1:1088', '--token', 'secret-on-argv-123'], { LCR_DATA_DIR: dir });
    expect(withToken.code).toBe(2);
    expect(withToken.stderr).toMatch(/LCR_RELAY_TOKEN/);
    expect(withToken.stdout).not.toContain('Relay:');
    const relayOfRelay = await lcrRun(['relay', '--source', 'feed', '--feed', 'http://127.0.0.1:9'], { LCR_DATA_DIR: dir });
    expect(relayOfRelay.code).toBe(2);
    expect(relayOfRelay.stderr).toMatch(/serves real sources/);
  });
});
