// The PostgreSQL bridge's worker (bridge.ts): one `pg` client; each message is answered on the
// port, then the caller's Atomics slot is set and notified. Plain JavaScript: it runs in a worker
// without the TypeScript loader.
//
// A connection the server ends (a restart, a failover, an administrator) is not the end of the
// worker: the error is kept, the query in flight fails with it, and the next query connects again.
import { workerData } from 'node:worker_threads';
import pg from 'pg';

// 64-bit integers (the store's ms timestamps, counts) as numbers: every value the store keeps fits in 2^53.
pg.types.setTypeParser(20, (v) => Number(v));
// NUMERIC as numbers too (sums of BIGINT columns come back as NUMERIC).
pg.types.setTypeParser(1700, (v) => Number(v));

const { url, sab, port } = workerData;
const slot = new Int32Array(sab);
let client = null;

function answer(id, a) {
  port.postMessage({ ...a, id });
  Atomics.store(slot, 0, 1);
  Atomics.notify(slot, 0);
}

async function connected() {
  if (client) return client;
  const c = new pg.Client({ connectionString: url, application_name: 'live-control-room', connectionTimeoutMillis: 10_000, keepAlive: true });
  // Emitted when the server ends an idle connection: forget it, the next query connects again.
  c.on('error', () => {
    if (client === c) client = null;
  });
  c.on('end', () => {
    if (client === c) client = null;
  });
  await c.connect();
  client = c;
  return c;
}

port.on('message', async (m) => {
  try {
    if (m.type === 'connect') {
      await connected();
      answer(m.id, { ok: true });
    } else if (m.type === 'exec') {
      await (await connected()).query(m.text);
      answer(m.id, { ok: true });
    } else if (m.type === 'query') {
      const r = await (await connected()).query({ text: m.text, values: m.values });
      answer(m.id, { ok: true, rows: r.rows, rowCount: r.rowCount ?? 0 });
    } else if (m.type === 'close') {
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
      answer(m.id, { ok: true });
    }
  } catch (e) {
    answer(m.id, { ok: false, error: { message: e instanceof Error ? e.message : String(e), code: e && typeof e === 'object' && 'code' in e ? String(e.code) : undefined } });
  }
});
