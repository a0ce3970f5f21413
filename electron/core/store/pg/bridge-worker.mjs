// The PostgreSQL bridge's worker (bridge.ts): one `pg` client; each message is answered on the
// port, then the caller's Atomics slot is set and notified. Plain JavaScript: it runs in a worker
// without the TypeScript loader.
import { workerData } from 'node:worker_threads';
import pg from 'pg';

// 64-bit integers (the store's ms timestamps, counts) as numbers: every value the store keeps fits in 2^53.
pg.types.setTypeParser(20, (v) => Number(v));
// NUMERIC as numbers too (sums of BIGINT columns come back as NUMERIC).
pg.types.setTypeParser(1700, (v) => Number(v));

const { url, sab, port } = workerData;
const slot = new Int32Array(sab);
const client = new pg.Client({ connectionString: url, application_name: 'live-control-room' });

function answer(a) {
  port.postMessage(a);
  Atomics.store(slot, 0, 1);
  Atomics.notify(slot, 0);
}

port.on('message', async (m) => {
  try {
    if (m.type === 'connect') {
      await client.connect();
      answer({ ok: true });
    } else if (m.type === 'exec') {
      await client.query(m.text);
      answer({ ok: true });
    } else if (m.type === 'query') {
      const r = await client.query({ text: m.text, values: m.values });
      answer({ ok: true, rows: r.rows, rowCount: r.rowCount ?? 0 });
    } else if (m.type === 'close') {
      await client.end();
      answer({ ok: true });
    }
  } catch (e) {
    answer({ ok: false, error: { message: e instanceof Error ? e.message : String(e), code: e && typeof e === 'object' && 'code' in e ? String(e.code) : undefined } });
  }
});
