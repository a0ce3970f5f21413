/**
 * The settings door (docs/doors.md): what the settings screen saves (saveSettings over the UI
 * channel, validated and checked as start-up would) and settings.json as a start finds it (a hand
 * edit, an older version, a damaged disk). A save is accepted only when the next start can run on
 * it, and a refused save leaves settings.json's bytes as they were; whatever settings.json holds,
 * the next start's configuration is read without an exception — bad saved values are set aside
 * with warnings, never a bricked app.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Core } from '../../electron/core/core.ts';
import { loadConfig } from '../../electron/core/config.ts';
import { readSavedSettings } from '../../electron/core/settings/saved.ts';
import { SavedSettingsSchema } from '../../shared/contract.ts';
import { checkDoorAsync, fc, yieldToLoop, fuzzTimeout } from '../helpers/fuzz.ts';
import { deepNest, hostileString, hostileValue, mutated } from '../helpers/hostile.ts';
import { tempDir } from '../helpers/util.ts';

const tiny = fileURLToPath(new URL('../fixtures/scenarios/tiny.json', import.meta.url));
let dir: string;
let cleanup: () => void;
let core: Core;

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  core = await Core.start({ dataDir: dir, scenarioFiles: [tiny], speed: 60, noBackup: true });
});
afterAll(async () => {
  await core?.stop();
  cleanup?.();
});

const bytesOf = () => (existsSync(join(dir, 'settings.json')) ? readFileSync(join(dir, 'settings.json')) : null);

const validSettings = fc.record(
  {
    feedUrl: fc.constantFrom('http://127.0.0.1:7070', null),
    rooms: fc.constantFrom(['a', 'b'], null),
    scenario: fc.constantFrom(tiny, 'daily-beauty', null),
    speed: fc.integer({ min: 1, max: 60 }),
    seed: fc.constantFrom('1', 'x'),
    sourceKind: fc.constantFrom('feed', 'douyin-ws', 'replay'),
    sourceAddress: fc.constantFrom('ws://127.0.0.1:1088/ws/7312345678901234567', '/tmp/capture.jsonl', null),
    operatorName: fc.constantFrom('小王', null),
    operatorRole: fc.constantFrom('场控', null),
  },
  { requiredKeys: [] },
);

describe('settings door', () => {
  it('a save is accepted only if the next start can run on it; a refusal leaves settings.json as it was', async () => {
    await checkDoorAsync(
      'settings',
      'saveSettings',
      fc.asyncProperty(fc.oneof(mutated(validSettings), hostileValue), async (settings) => {
        await yieldToLoop();
        const before = bytesOf();
        const r = await core.request('saveSettings', { settings });
        if (r.ok) {
          // The next start: its configuration reads, with nothing set aside.
          expect(loadConfig({ LCR_DATA_DIR: dir }).warnings).toEqual([]);
        } else {
          expect(r.error).not.toMatch(/\n\s+at /);
          const after = bytesOf();
          expect(after === null ? null : after.toString('latin1')).toBe(before === null ? null : before.toString('latin1'));
        }
      }),
      { scale: 2 },
    );
  }, fuzzTimeout(300_000));

  it('whatever settings.json holds, the next start reads a configuration (bad values set aside with a warning)', async () => {
    const { dir: d, cleanup: done } = tempDir();
    try {
      const content = fc.oneof(
        fc.uint8Array({ maxLength: 2048 }).map((u) => Buffer.from(u)),
        mutated(validSettings).map((s) => {
          try {
            return Buffer.from(JSON.stringify(s) ?? '');
          } catch {
            // Nested past what JSON.stringify can write here: the file holds it as text.
            return Buffer.from('{"rooms":' + '['.repeat(20_000) + ']'.repeat(20_000) + '}');
          }
        }),
        hostileString.map((s) => Buffer.from(s)),
        fc.constantFrom(
          Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"speed":5}', 'utf16le')]),
          Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"speed":5,"scenario":"gone"}')]),
          Buffer.from('{"__proto__":{"polluted":1},"speed":5}'),
          Buffer.from(JSON.stringify({ rooms: deepNest(2000) })),
          Buffer.from('['.repeat(50_000) + ']'.repeat(50_000)),
          Buffer.from('{"sourceKind":"tiktok-chat-reader","sourceAddress":"not a url"}'),
          Buffer.from('{"sourceKind":"douyin-ws"}'),
        ),
      );
      await checkDoorAsync(
        'settings',
        'settings.json as found',
        fc.asyncProperty(content, async (bytes) => {
          await yieldToLoop();
          writeFileSync(join(d, 'settings.json'), bytes);
          const saved = readSavedSettings(d);
          expect(SavedSettingsSchema.safeParse(saved).success).toBe(true);
          const config = loadConfig({ LCR_DATA_DIR: d });
          expect(config.speed).toBeGreaterThanOrEqual(1);
          for (const w of config.warnings) expect(w).not.toMatch(/\n/);
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        }),
        { scale: 2 },
      );
    } finally {
      done();
    }
  }, fuzzTimeout(300_000));
});
