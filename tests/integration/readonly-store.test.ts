/**
 * Issue 13, defect 11: a read-only data folder (a backup mounted read-only, another user's folder)
 * still answers every command that only reads; a command that must write says so in one line and
 * changes nothing. Run as an unprivileged user when the tests run as root (root ignores modes).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { openDatabase } from '../../electron/core/store/db.ts';
import { writeHostileSession } from '../helpers/hostile-session.ts';
import { LCR, ROOT } from '../helpers/processes.ts';
import { tempDir } from '../helpers/util.ts';

const asRoot = process.getuid?.() === 0;
const NOBODY = 65534;

function lcrAs(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [LCR, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * The unprivileged user must reach the checkout to run lcr: a checkout under a private folder
 * (mktemp -d makes them 0700) gets others' traverse bit (x, not r) on its folders for the run.
 */
const opened: Array<{ path: string; mode: number }> = [];
function letOthersTraverse(path: string): void {
  for (let p = path; ; p = dirname(p)) {
    const mode = statSync(p).mode & 0o7777;
    if (!(mode & 0o001)) {
      opened.push({ path: p, mode });
      chmodSync(p, mode | 0o001);
    }
    if (dirname(p) === p) return;
  }
}

let dir: string;
let out: string;
let cleanup: () => void;
let sessionId: string;
let before: Record<string, Buffer>;

beforeAll(() => {
  if (asRoot) letOthersTraverse(ROOT);
  ({ dir, cleanup } = tempDir());
  chmodSync(dir, 0o755);
  const db = openDatabase(dir);
  sessionId = writeHostileSession(db, { roomId: 'ro', title: 'read-only show' });
  db.close();
  out = join(dir, '..', `${dir.split(/[\\/]/).pop()}-out`);
  mkdirSync(out, { recursive: true });
  chmodSync(out, 0o777);
  writeFileSync(join(out, 'plan.csv'), '商品,时长\na,5\n');
  writeFileSync(join(out, 'minutes.csv'), '时间,成交金额(元)\n2024-11-11 20:00,1\n');
  chmodSync(join(dir, 'lcr.sqlite'), 0o444);
  chmodSync(dir, 0o555);
  before = Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f))]));
});
afterAll(() => {
  chmodSync(dir, 0o755);
  cleanup?.();
  for (const o of opened.reverse()) chmodSync(o.path, o.mode);
});

describe('a read-only data folder', () => {
  it('lists, reports, exports, captures and shows plans and notes', async () => {
    const env = { LCR_DATA_DIR: dir };
    const list = await lcrAs(['sessions', '--json'], env);
    expect(list.stderr).toBe('');
    expect(JSON.parse(list.stdout)).toMatchObject([{ sessionId, title: 'read-only show' }]);
    const rep = await lcrAs(['report', '--session', sessionId, '--json'], env);
    expect(rep.stderr).toBe('');
    expect(JSON.parse(rep.stdout).session.sessionId).toBe(sessionId);
    const exp = await lcrAs(['export', '--session', sessionId, '--format', 'csv', '--out', join(out, 'r.csv')], env);
    expect(exp.code, exp.stderr).toBe(0);
    const cap = await lcrAs(['capture', '--session', sessionId, '--out', join(out, 'c.jsonl'), '--json'], env);
    expect(cap.code, cap.stderr).toBe(0);
    expect((await lcrAs(['plan', '--room', 'ro', '--json'], env)).code).toBe(0);
    const notes = await lcrAs(['note', '--session', sessionId, '--json'], env);
    expect(notes.code, notes.stderr).toBe(0);
    expect(JSON.parse(notes.stdout).length).toBeGreaterThan(0);
  });

  it('a command that must write says the folder is read-only in one line and changes nothing', async () => {
    const env = { LCR_DATA_DIR: dir };
    for (const args of [
      ['import', '--file', join(out, 'minutes.csv'), '--room', 'ro'],
      ['plan', '--room', 'ro', '--file', join(out, 'plan.csv')],
      ['note', '--session', sessionId, '--text', 'hello'],
    ]) {
      const r = await lcrAs(args, env);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^lcr: the data folder .* is read-only: lcr ${args[0]}`));
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    const after = Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f))]));
    expect(Object.keys(after)).toEqual(Object.keys(before));
    for (const f of Object.keys(before)) expect(after[f]!.equals(before[f]!), f).toBe(true);
  });
});
