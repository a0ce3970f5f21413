/**
 * Issue 13, defect 5: settings the next start could not run on are refused when saved, with the
 * reason; a bad setting already in settings.json (an older version, a hand edit) does not brick
 * the app or `lcr` — it is set aside with a warning — while a bad environment value still fails.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Core } from '../../electron/core/core.ts';
import { coreOptionsFrom } from '../../electron/core/options.ts';
import { loadConfig, defaultScenarioFiles } from '../../electron/core/config.ts';
import { writeSavedSettings } from '../../electron/core/settings/saved.ts';
import { tempDir } from '../helpers/util.ts';
import { lcrRun } from '../helpers/processes.ts';

const tiny = fileURLToPath(new URL('../fixtures/scenarios/tiny.json', import.meta.url));
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function core(dir: string): Promise<Core> {
  const c = await Core.start({ dataDir: dir, scenarioFiles: [tiny], speed: 60, noBackup: true });
  cleanups.push(() => c.stop());
  return c;
}

describe('saving settings', () => {
  it('refuses a scenario that does not exist, or a real source without an address, and changes nothing', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    writeSavedSettings(dir, { operatorName: '小王', speed: 5 });
    const before = readFileSync(join(dir, 'settings.json'));
    const c = await core(dir);
    const bad = [
      { scenario: 'no-such-scenario' },
      { scenario: `${tiny},nope.json` },
      { sourceKind: 'douyin-ws' as const },
      { sourceKind: 'douyin-ws' as const, sourceAddress: 'ws://127.0.0.1:1088' },
      { sourceKind: 'tiktok-chat-reader' as const, sourceAddress: 'not a url', rooms: ['shop'] },
    ];
    for (const settings of bad) {
      const r = await c.request('saveSettings', { settings });
      expect(r.ok, JSON.stringify(settings)).toBe(false);
      if (!r.ok) expect(r.error).toMatch(/^not saved: (scenario|source)/);
      expect(readFileSync(join(dir, 'settings.json')).equals(before)).toBe(true);
    }
    // A save that does not touch a bad value saved earlier (an older version's) is not refused for it.
    writeSavedSettings(dir, { scenario: 'gone-scenario', speed: 5 });
    expect((await c.request('saveSettings', { settings: { operatorName: '小李' } })).ok).toBe(true);
    expect((await c.request('saveSettings', { settings: { scenario: 'gone-too' } })).ok).toBe(false);
    // What the start-up checks accept is saved.
    const ok = await c.request('saveSettings', { settings: { scenario: tiny, sourceKind: 'douyin-ws', sourceAddress: 'ws://127.0.0.1:1088/ws/7312345678901234567' } });
    expect(ok.ok).toBe(true);
  });
});

describe('a bad setting already saved', () => {
  it('is set aside with a warning: the app and lcr still start', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    // As an older version (or a hand edit) could have left it.
    writeSavedSettings(dir, { scenario: 'gone-scenario', sourceKind: 'douyin-ws', operatorName: '小王' });
    const config = loadConfig({ LCR_DATA_DIR: dir });
    expect(config.warnings).toHaveLength(2);
    expect(config.warnings.join('\n')).toMatch(/saved scenario is set aside \(no scenario file gone-scenario/);
    expect(config.warnings.join('\n')).toMatch(/saved source douyin-ws is set aside/);
    expect(config).toMatchObject({ sourceKind: 'feed', sourceAddress: undefined, scenarioFiles: defaultScenarioFiles() });
    // The core starts on what is left (the embedded simulator).
    const c = await Core.start({ ...coreOptionsFrom({ ...config, scenarioFiles: [tiny] }, () => undefined), noBackup: true });
    cleanups.push(() => c.stop());
    expect((await c.request('getOverview', {})).ok).toBe(true);
    // Every lcr command still runs, saying what it set aside.
    const r = await lcrRun(['sessions', '--json'], { LCR_DATA_DIR: dir });
    expect(r.code).toBe(0);
    expect(Array.isArray(JSON.parse(r.stdout))).toBe(true);
    expect(r.stderr).toMatch(/^lcr: warning: the saved scenario is set aside/m);
  });

  it('while a bad environment value still fails clearly', () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    expect(() => loadConfig({ LCR_DATA_DIR: dir, LCR_SCENARIO: 'gone-scenario' })).toThrow(/no scenario file gone-scenario/);
    expect(() => loadConfig({ LCR_DATA_DIR: dir, LCR_SOURCE: 'douyin-ws' })).toThrow(/needs --feed/);
    writeSavedSettings(dir, { sourceKind: 'douyin-ws' });
    // The saved kind with an environment address that is not one: the environment's error.
    expect(() => loadConfig({ LCR_DATA_DIR: dir, LCR_FEED_URL: 'nonsense' })).toThrow(/must be a ws:\/\/ or http:\/\/ URL/);
  });
});
