/** CONTRACTS.md: the settings screen and the environment set the same things; the environment wins. */
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../electron/core/config.ts';
import { readSavedSettings, writeSavedSettings, settingSources } from '../../electron/core/settings.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/util.ts';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('saved settings', () => {
  it('fill in what the environment leaves open, and the environment wins', () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    writeSavedSettings(dir, { feedUrl: 'http://127.0.0.1:7070', feedToken: 'saved-token', rooms: ['a', 'b'], speed: 5, seed: '9' });
    const fromSaved = loadConfig({ LCR_DATA_DIR: dir });
    expect(fromSaved).toMatchObject({ feedUrl: 'http://127.0.0.1:7070', feedToken: 'saved-token', rooms: ['a', 'b'], speed: 5, seed: '9' });
    const env = { LCR_DATA_DIR: dir, LCR_FEED_URL: 'http://127.0.0.1:8080', LCR_SPEED: '20' };
    expect(loadConfig(env)).toMatchObject({ feedUrl: 'http://127.0.0.1:8080', speed: 20, seed: '9' });
    expect(settingSources(readSavedSettings(dir), env)).toMatchObject({ feedUrl: 'env', speed: 'env', seed: 'saved', scenario: 'default', dataDir: 'env' });
  });

  it('ignores a settings file that is not valid instead of refusing to start', () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    writeFileSync(join(dir, 'settings.json'), '{ "speed": 500, ');
    expect(readSavedSettings(dir)).toEqual({});
    expect(loadConfig({ LCR_DATA_DIR: dir }).speed).toBe(10);
  });
});
