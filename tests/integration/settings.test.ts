/** CONTRACTS.md: the settings screen and the environment set the same things; the environment wins. */
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../electron/core/config.ts';
import { readSavedSettings, writeSavedSettings, settingSources } from '../../electron/core/settings/saved.ts';
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

  it('choose a real source: saved in the settings screen, or LCR_SOURCE; a wrong kind is refused clearly', () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    writeSavedSettings(dir, { sourceKind: 'douyin-ws', sourceAddress: 'ws://127.0.0.1:1088', rooms: ['7312345678901234567'], ordersFile: '/data/orders.jsonl' });
    // The saved source: its address is the source's, not a relay's.
    expect(loadConfig({ LCR_DATA_DIR: dir })).toMatchObject({ sourceKind: 'douyin-ws', sourceAddress: 'ws://127.0.0.1:1088', feedUrl: undefined, rooms: ['7312345678901234567'], ordersFile: '/data/orders.jsonl' });
    // The environment wins: LCR_FEED_URL is the address of the source LCR_SOURCE names.
    const env = { LCR_DATA_DIR: dir, LCR_SOURCE: 'tiktok-chat-reader', LCR_FEED_URL: 'http://127.0.0.1:8081', LCR_ROOMS: 'shop_official' };
    expect(loadConfig(env)).toMatchObject({ sourceKind: 'tiktok-chat-reader', sourceAddress: 'http://127.0.0.1:8081', rooms: ['shop_official'] });
    expect(settingSources(readSavedSettings(dir), env)).toMatchObject({ sourceKind: 'env', sourceAddress: 'env', ordersFile: 'saved' });
    // Back to a relay: LCR_FEED_URL is the relay again.
    expect(loadConfig({ LCR_DATA_DIR: dir, LCR_SOURCE: 'feed', LCR_FEED_URL: 'http://127.0.0.1:7070' })).toMatchObject({ sourceKind: 'feed', feedUrl: 'http://127.0.0.1:7070', sourceAddress: undefined });
    expect(() => loadConfig({ LCR_DATA_DIR: dir, LCR_SOURCE: 'youtube' })).toThrow(/LCR_SOURCE must be one of feed, tiktok-chat-reader, douyin-ws, barragegrab, replay/);
  });
});
