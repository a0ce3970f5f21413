/**
 * Issue 13, defect 7: `lcr … --json` to a pipe carries the whole document. Output to a pipe is
 * written asynchronously; lcr used to exit 50 ms after its main returned, cutting a large report
 * off mid-JSON with exit code 0. A report of about 2 MB is read here through a real child
 * process's stdout pipe, and by a reader that goes away early (`| head`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { openDatabase } from '../../electron/core/store/db.ts';
import { StoreWriter, emptyBatch, type EventRow } from '../../electron/core/store/writer.ts';
import { LCR, ROOT, lcrRun } from '../helpers/processes.ts';
import { tempDir } from '../helpers/util.ts';

const T0 = 1_700_000_000_000;
let dir: string;
let cleanup: () => void;
const sessionId = `big@${T0}`;

beforeAll(() => {
  ({ dir, cleanup } = tempDir());
  const db = openDatabase(dir);
  // A catalog of a few thousand products with long titles, each sold once: a report of several MB.
  const products = Array.from({ length: 4000 }, (_, i) => ({ id: `p${i}`, title: `${'长标题'.repeat(80)} ${i}`, priceFen: 1000 + i }));
  const bodies: Array<Record<string, unknown>> = [
    { type: 'session', status: 'live', startedAt: T0, ts: T0, title: 'big' },
    { type: 'catalog', ts: T0, products },
    ...products.map((p, i) => ({ type: 'order', ts: T0 + i * 100, orderId: `o${i}`, productId: p.id, qty: 1, amountFen: p.priceFen, status: 'paid', buyerId: `u${i}` })),
    { type: 'session', status: 'ended', startedAt: T0, ts: T0 + products.length * 100 },
  ];
  const events: EventRow[] = bodies.map((b, i) => ({ feed: 'hand', roomId: 'big', epoch: 0, seq: i + 1, sessionId, ts: b.ts as number, type: b.type as string, body: JSON.stringify({ seq: i + 1, ...b }) }));
  new StoreWriter(db).write({
    ...emptyBatch(),
    sessions: [{ sessionId, roomId: 'big', platform: 'douyin', title: 'big', startedAt: T0, endedAt: T0 + products.length * 100, feed: 'hand', epoch: 0, firstSeq: 1, lastSeq: events.length }],
    events,
  });
  db.close();
}, 60_000);
afterAll(() => cleanup?.());

describe('lcr --json through a pipe', () => {
  it('a report of about 2 MB arrives whole, as one JSON document', async () => {
    const r = await lcrRun(['report', '--session', sessionId, '--json'], { LCR_DATA_DIR: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(1_500_000);
    const doc = JSON.parse(r.stdout) as { products: unknown[] };
    expect(doc.products).toHaveLength(4000);
    expect(r.stdout.endsWith('}\n')).toBe(true);
  });

  it('a reader that stops early ends lcr quietly (no stack trace)', async () => {
    const child = spawn(process.execPath, [LCR, 'report', '--session', sessionId, '--json'], { cwd: ROOT, env: { ...process.env, LCR_DATA_DIR: dir }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    // `| head -c 100`: read the first chunk, then close the pipe.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(err).not.toMatch(/\n\s+at /);
    expect(err).toBe('');
    expect(code).toBe(0);
  });
});
