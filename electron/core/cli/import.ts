/** Compass tables into the store from the command line. */
import { basename, resolve } from 'node:path';
import { readSavedSettings } from '../settings/saved.ts';
import { readBoundedFile, FileReadError } from '../files/bounded.ts';
import { ImportError, importTable } from '../imports/index.ts';
import type { ImportKind } from '../../../shared/imports/types.ts';
import { MAX_IMPORT_FILE_BYTES } from '../../../shared/contract.ts';
import { UsageError, args, openForWriting, parseDate, settings } from './common.ts';

/**
 * Table imports and settled figures from the command line: one table per call, stored in one transaction; a bad file changes
 * nothing and fails with "FILE: line N, column C: reason".
 */
export async function importCmd(argv: string[]): Promise<number> {
  const v = args(argv, { file: { type: 'string' }, room: { type: 'string' }, session: { type: 'string' }, kind: { type: 'string' }, start: { type: 'string' }, json: { type: 'boolean' } });
  if (!v.file) throw new UsageError('import needs --file PATH (a .csv or .xlsx table exported from Compass)');
  if (v.kind !== undefined && v.kind !== 'provisional' && v.kind !== 'settled') throw new UsageError(`--kind must be provisional or settled (got "${v.kind}")`);
  const path = resolve(v.file);
  let bytes: Buffer;
  try {
    bytes = readBoundedFile(path, MAX_IMPORT_FILE_BYTES, 'an imported table');
  } catch (e) {
    throw new Error(`cannot read ${v.file}: ${e instanceof FileReadError ? e.reason : e instanceof Error ? e.message : String(e)}`);
  }
  const config = settings();
  const db = openForWriting(config.dataDir, 'lcr import');
  try {
    let result;
    try {
      result = await importTable(db, {
        fileName: path,
        bytes,
        roomId: v.room,
        sessionId: v.session,
        kind: v.kind as ImportKind | undefined,
        startedAt: parseDate('start', v.start),
        importedBy: readSavedSettings(config.dataDir).operatorName ?? null,
      });
    } catch (e) {
      if (e instanceof ImportError) throw new Error(`${basename(path)}: ${e.message} (nothing was imported)`);
      throw e;
    }
    if (v.json) {
      process.stdout.write(JSON.stringify(result) + '\n');
      return 0;
    }
    const what = { minutes: 'minute rows', products: 'product rows', totals: 'totals row' }[result.table];
    console.log(`${result.file}: ${result.rows} ${what} → ${result.created ? 'new session' : 'session'} ${result.sessionId} (${result.kind})`);
    if (result.ignored.length) console.log(`  columns not read: ${result.ignored.join(', ')}`);
    if (result.kind === 'settled' && result.settlement) {
      const moved = result.settlement.changes;
      console.log(moved.length ? `  settled vs live: ${moved.map((c) => `${c.key} ${c.change !== null && c.change > 0 ? '+' : ''}${c.change ?? '—'}`).join(', ')}` : '  settled figures equal the live ones');
    }
    return 0;
  } finally {
    db.close();
  }
}
