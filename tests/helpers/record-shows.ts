import { randomBytes } from 'node:crypto';
import { Simulator } from '../../electron/core/sim/simulator.ts';
import { Core } from '../../electron/core/core.ts';

/**
 * Whole simulated shows recorded into a data folder in seconds: the simulator fast-forwarded
 * through `minutes` and the real core recording it to the end — earlier shows of a room for a
 * report to compare against, before browser mode starts on the folder. Each show starts at 19:30
 * local `daysAgo` days before today, like a team's evening shows.
 */
export async function recordShows(dataDir: string, scenario: string, shows: Array<{ seed: string; daysAgo: number }>, minutes: number): Promise<void> {
  for (const { seed, daysAgo } of shows) {
    const token = randomBytes(12).toString('hex');
    const day = new Date();
    day.setDate(day.getDate() - daysAgo);
    day.setHours(19, 30, 0, 0);
    const sim = await Simulator.start({ scenarioFiles: [scenario], speed: 60, seed, token, startedAt: day.getTime(), fastForwardMs: (minutes + 1) * 60_000, maxHistory: Number.POSITIVE_INFINITY });
    const core = await Core.start({ dataDir, feedUrl: sim.url, feedToken: token, noBackup: true });
    try {
      await core.untilEnded();
    } finally {
      await core.stop();
      await sim.stop();
    }
  }
}
