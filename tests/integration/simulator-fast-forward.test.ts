/**
 * Simulator `fastForwardMs` (used by `npm run bench:ui` to start at hour 7.5 of a show): the
 * relay holds exactly what playing the show up to that point produces, a subscriber gets it as
 * backlog, and the show goes on live from there.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { Simulator } from '../../electron/core/sim/simulator.ts';
import { RoomSim } from '../../electron/core/sim/model.ts';
import { readScenarioFile } from '../../electron/core/sim/scenario.ts';
import { Core } from '../../electron/core/core.ts';
import type { RoomDetail } from '../../shared/contract.ts';
import { tempDir, waitFor } from '../helpers/util.ts';

const tiny = fileURLToPath(new URL('../fixtures/scenarios/tiny.json', import.meta.url));
const T0 = 1_700_000_000_000;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

describe('Simulator fastForwardMs', () => {
  it('starts with the history of the first N simulated ms, identical to playing them', async () => {
    const sim = await Simulator.start({ scenarioFiles: [tiny], speed: 1, seed: 7, startedAt: T0, fastForwardMs: 4 * 60_000, token: 'tok' });
    cleanups.push(() => sim.stop());
    const history = sim.relay.history('test-tiny');
    // The same model advanced in one go: advance() depends only on scenario + seed + startedAt.
    const expected = new RoomSim(readScenarioFile(tiny), { seed: 7, startedAt: T0 }).advance(4 * 60_000);
    expect(history.map(({ seq: _seq, ...body }) => body)).toEqual(expected);
    expect(history.at(-1)!.ts).toBeLessThan(T0 + 4 * 60_000);
    expect(history.at(-1)!.ts).toBeGreaterThan(T0 + 3 * 60_000);
    expect(sim.ended).toBe(false);

    // A core subscribing now gets that backlog and then the live rest of the show.
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const core = await Core.start({ dataDir: dir, feedUrl: sim.url, feedToken: 'tok', noBackup: true });
    cleanups.push(() => core.stop());
    await waitFor(async () => {
      const r = await core.request('getRoom', { roomId: 'test-tiny' });
      return r.ok && (r.value as RoomDetail).minutes.length >= 4;
    }, 'the fast-forwarded minutes in the core');
  });

  it('rejects a negative fast-forward', async () => {
    await expect(Simulator.start({ scenarioFiles: [tiny], fastForwardMs: -1 })).rejects.toThrow(/fastForwardMs/);
  });
});
