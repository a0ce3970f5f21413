/** A room's run-of-show from the command line. */
import { resolve } from 'node:path';
import { openForReading, type DB } from '../store/db.ts';
import { StoreReader } from '../store/reader.ts';
import { readPlanFile } from '../suggest/plan-file.ts';
import { directWrite } from '../store/writer.ts';
import { RunOfShowBook } from '../suggest/run-of-show.ts';
import { readSavedSettings } from '../settings/saved.ts';
import { UsageError, args, openForWriting, settings } from './common.ts';

/**
 * The run-of-show from the command line: `lcr plan --room ID` prints the room's run-of-show; with `--file` it
 * imports a CSV/XLSX 排品表 first (checked against the room's newest show's products when there
 * is one; a bad file changes nothing). The app picks it up when the room's next show starts.
 */
export async function planCmd(argv: string[]): Promise<number> {
  const v = args(argv, { room: { type: 'string' }, file: { type: 'string' }, json: { type: 'boolean' } });
  if (!v.room) throw new UsageError('plan needs --room ID');
  const roomId = v.room;
  const config = settings();
  const db = v.file ? openForWriting(config.dataDir, 'lcr plan --file') : openForReading(config.dataDir).db;
  try {
    const reader = new StoreReader(db);
    if (v.file) {
      const newest = reader
        .listSessions()
        .filter((s) => s.roomId === roomId)
        .sort((a, b) => b.startedAt - a.startedAt)[0];
      const products = newest ? reader.rollups(newest.sessionId)?.products : undefined;
      const catalog = products?.length ? products.map((p) => ({ id: p.productId, title: p.title })) : undefined;
      const items = await readPlanFile(resolve(v.file), catalog);
      const by = readSavedSettings(config.dataDir).operatorName ?? null;
      // The catalog already checked each row (with its line); the plan is saved as the app saves one.
      book(db, reader).save(roomId, items, by, null);
    }
    const plan = reader.runOfShow(roomId);
    if (v.json) {
      process.stdout.write(JSON.stringify({ roomId, items: plan?.items ?? [], updatedAt: plan?.updatedAt ?? null, updatedBy: plan?.updatedBy ?? null }) + '\n');
      return 0;
    }
    if (!plan?.items.length) {
      console.log(`${roomId}: no run-of-show (import one with --file PATH.csv|.xlsx)`);
      return 0;
    }
    console.log(`${roomId}: ${plan.items.length} item(s), ${plan.items.reduce((s, i) => s + i.minutes, 0)} min per round${plan.updatedBy ? `, by ${plan.updatedBy}` : ''}`);
    plan.items.forEach((i, k) => console.log(`${String(k + 1).padStart(3)}. ${i.productId}  ${i.minutes} min`));
    return 0;
  } finally {
    db.close();
  }
}

/** The app's run-of-show code over a store opened directly: a write lands at once. */
function book(db: DB, reader: StoreReader): RunOfShowBook {
  return new RunOfShowBook({ reader, write: directWrite(db) });
}
