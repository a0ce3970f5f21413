/**
 * The CLI door (docs/doors.md): `lcr` with any arguments at all — unknown commands and flags,
 * missing and doubled values, hostile strings, numbers NaN / negative / beyond 2^53, dates
 * centuries away, files that are garbage, devices or bombs. A failure is one line on stderr
 * starting `lcr: ` and a non-zero exit, never a stack trace; `--json` output is one JSON document;
 * a command that failed leaves the store's rows as they were. The bulk runs `main()` in-process
 * (the long-running record and simulate aside); a sample runs the real executable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { main } from '../../electron/core/cli/lcr.ts';
import { openDatabase } from '../../electron/core/store/db.ts';
import { writeHostileSession } from '../helpers/hostile-session.ts';
import { checkDoorAsync, fc, yieldToLoop, fuzzTimeout } from '../helpers/fuzz.ts';
import { hostileNumber, hostileString, hostileTs } from '../helpers/hostile.ts';
import { lcrRun } from '../helpers/processes.ts';
import { bombSheet, makeZip } from '../helpers/zip.ts';
import { tempDir } from '../helpers/util.ts';

let dir: string;
let cleanup: () => void;
let out: string;
let sessionId: string;
const files: string[] = [];

beforeAll(() => {
  ({ dir, cleanup } = tempDir());
  process.env.LCR_DATA_DIR = dir;
  const db = openDatabase(dir);
  sessionId = writeHostileSession(db, { roomId: 'cli-room' });
  db.close();
  out = join(dir, 'out');
  mkdirSync(out);
  const write = (name: string, data: string | Buffer) => {
    const p = join(out, name);
    writeFileSync(p, data);
    files.push(p);
  };
  write('minutes.csv', '时间,成交金额(元),成交订单数\n2024-11-11 20:00,100,1\n2024-11-11 20:01,200,2\n');
  write('bad.csv', '时间,成交金额(元)\n2024-11-11 20:00,abc\n');
  write('plan.csv', '商品,时长\na,5\n');
  write('plan-long-id.csv', `商品,时长\n${'p'.repeat(300)},5\n`);
  write('garbage.xlsx', Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]));
  write('utf16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('时间,成交金额(元)\n2024-11-11 20:00,1\n', 'utf16le')]));
  write('bomb.xlsx', makeZip([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(0), deflated: bombSheet(900_000) }]));
  write('scenario.json', '{"room":');
}, fuzzTimeout(60_000));
afterAll(() => {
  delete process.env.LCR_DATA_DIR;
  cleanup?.();
});

function counts(): string {
  const db = new Database(join(dir, 'lcr.sqlite'), { readonly: true });
  try {
    return ['sessions', 'notes', 'run_of_show', 'imports', 'imported_minutes', 'events'].map((t) => (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n).join(',');
  } finally {
    db.close();
  }
}

/** main() with its stdout and stderr captured. */
async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const log = console.log;
  const error = console.error;
  const write = process.stdout.write.bind(process.stdout);
  console.log = (...a: unknown[]) => void (stdout += a.map(String).join(' ') + '\n');
  console.error = (...a: unknown[]) => void (stderr += a.map(String).join(' ') + '\n');
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += String(chunk)), true)) as typeof process.stdout.write;
  try {
    const code = await main(argv);
    return { code, stdout, stderr };
  } finally {
    console.log = log;
    console.error = error;
    process.stdout.write = write;
  }
}

const COMMANDS = ['sessions', 'report', 'export', 'note', 'notes', 'import', 'evaluate', 'plan', 'capture', 'help'];
const FLAGS = ['--session', '--json', '--format', '--out', '--room', '--file', '--text', '--minute', '--delete', '--since', '--until', '--search', '--platform', '--kind', '--start', '--scenario', '--policy', '--seeds', '--lang', '--recompute', '--speed', '--__proto__', '-x', '--', '--json=1'];

const value = () =>
  fc.oneof(
    fc.constantFrom(sessionId, 'cli-room', 'csv', 'xlsx', 'html', 'zh-CN', 'en', 'settled', 'provisional', 'plan', 'all', '2024-11-11', '0'),
    fc.constantFrom(...files),
    hostileString,
    hostileNumber.map(String),
    hostileTs.map(String),
    fc.constantFrom('out.csv', 'sub/dir/x.xlsx', '../escape.csv').map((n) => `@out:${n}`),
  );

/** A flag's value: mostly one that means something to it, so the command runs, otherwise anything. */
function valueFor(flag: string) {
  const meaningful: Record<string, fc.Arbitrary<string>> = {
    '--session': fc.constant(sessionId),
    '--format': fc.constantFrom('csv', 'xlsx', 'html'),
    '--file': fc.constantFrom(...files),
    '--room': fc.constantFrom('cli-room', 'new-room'),
    '--lang': fc.constantFrom('zh-CN', 'en'),
    '--kind': fc.constantFrom('settled', 'provisional'),
    '--text': fc.oneof(hostileString, fc.constant('a note')),
    '--minute': fc.oneof(fc.integer({ min: -5, max: 100_000 }).map(String), hostileNumber.map(String)),
    '--since': fc.oneof(fc.constantFrom('2024-11-11', '2024-11-11T20:00'), hostileTs.map(String)),
    '--until': fc.oneof(fc.constantFrom('2030-01-01'), hostileTs.map(String)),
    '--start': hostileTs.map(String),
    '--out': fc.constantFrom('@out:r.csv', '@out:r.xlsx', '@out:r.html', '@out:c.jsonl'),
  };
  const m = meaningful[flag];
  return m ? fc.oneof({ weight: 3, arbitrary: m }, { weight: 1, arbitrary: value() }) : value();
}

/** Each command's own flags (booleans take no value): most inputs get past the option parser to the command. */
const OWN: Record<string, Array<[string, boolean]>> = {
  sessions: [['--json', true], ['--room', false], ['--platform', false], ['--since', false], ['--until', false], ['--search', false]],
  report: [['--session', false], ['--json', true], ['--recompute', true], ['--lang', false]],
  export: [['--session', false], ['--format', false], ['--out', false], ['--lang', false]],
  note: [['--session', false], ['--minute', false], ['--text', false], ['--delete', false], ['--json', true]],
  import: [['--file', false], ['--room', false], ['--session', false], ['--kind', false], ['--start', false], ['--json', true]],
  evaluate: [['--scenario', false], ['--policy', false], ['--seeds', false], ['--json', true]],
  plan: [['--room', false], ['--file', false], ['--json', true]],
  capture: [['--session', false], ['--out', false], ['--json', true]],
};

/** Built once the store and the files exist (beforeAll). */
const argv = () => {
  const own = fc.constantFrom(...Object.keys(OWN)).chain((cmd) =>
    fc.tuple(fc.constant(cmd), fc.uniqueArray(fc.constantFrom(...OWN[cmd]!), { selector: ([f]) => f, maxLength: 5 }).chain((flags) => fc.tuple(...flags.map(([f, bool]) => (bool ? fc.constant([f]) : valueFor(f).map((v) => [f, v])))))),
  );
  const wild = fc.tuple(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...COMMANDS) }, { weight: 1, arbitrary: hostileString }), fc.array(fc.tuple(fc.oneof(fc.constantFrom(...FLAGS), hostileString), fc.option(value())).map(([f, v]) => (v === null ? [f] : [f, v])), { maxLength: 6 }));
  return (
    fc
      .oneof({ weight: 3, arbitrary: own }, { weight: 1, arbitrary: wild })
      .map(([cmd, flags]) => [cmd, ...(flags as string[][]).flat()])
      // --out always lands in the test's folder (a hostile path must not write beside the checkout).
      .map((a) => a.map((x, i) => (a[i - 1] === '--out' || x.startsWith('@out:') ? join(out, 'exports', x.replace(/^@out:/, '').replace(/[^\w.-]+/g, '_') || 'x') : x)))
      // pdf needs Chromium: the export suites cover it.
      .filter((a) => !a.includes('pdf'))
  );
};

function expectDoorAnswer(r: { code: number; stdout: string; stderr: string }, args: string[]): void {
  if (r.code !== 0 && args.length > 0 && args[0] !== 'help') {
    const lines = r.stderr.split('\n').filter(Boolean);
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^lcr: /);
    expect(lines[0]!.length).toBeLessThan(2000);
  }
  expect(r.stderr).not.toMatch(/\n\s+at /);
  // `lcr help` takes no options: it prints the usage whatever follows it.
  if (r.code === 0 && args.includes('--json') && !['help', '-h', '--help'].includes(args[0]!) && r.stdout.trim()) expect(() => JSON.parse(r.stdout)).not.toThrow();
}

describe('cli door', () => {
  it('any arguments: one stderr line and a non-zero exit, or the answer; a failure writes nothing', async () => {
    await checkDoorAsync(
      'cli',
      'main() with any argv',
      fc.asyncProperty(argv(), async (args) => {
        await yieldToLoop();
        const before = counts();
        const r = await run(args);
        expectDoorAnswer(r, args);
        if (r.code !== 0) expect(counts()).toBe(before);
      }),
    );
  }, fuzzTimeout(300_000));

  it('the real executable: a sample of the same, and files that are devices or bombs', async () => {
    for (const args of [
      ['import', '--file', '/dev/zero', '--room', 'r'],
      ['plan', '--room', 'r', '--file', '/dev/zero'],
      ['evaluate', '--scenario', '/dev/zero'],
      ['import', '--file', join(out, 'bomb.xlsx'), '--room', 'r'],
      ['import', '--file', out, '--room', 'r'],
    ]) {
      const r = await lcrRun(args, { LCR_DATA_DIR: dir });
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(/^lcr: .*(not a regular file|expands to more than|EISDIR|illegal operation on a directory)/);
    }
    await checkDoorAsync(
      'cli',
      'lcr executable with any argv',
      // The OS caps one argument near 128 kB (E2BIG): the executable is tried with what can be passed.
      fc.asyncProperty(argv().filter((a) => a.every((x) => Buffer.byteLength(x) < 100_000 && !x.includes('\0'))), async (args) => {
        await yieldToLoop();
        const r = await lcrRun(args, { LCR_DATA_DIR: dir });
        expectDoorAnswer({ code: r.code ?? -1, stdout: r.stdout, stderr: r.stderr }, args);
      }),
      { scale: 0.1 },
    );
  }, fuzzTimeout(300_000));
});
