/**
 * The core's `importTables` request (the 复盘 screen's import button). The import is written on the
 * core's own connection in one transaction, not through the writer thread's batches: the writer
 * merges batches from the feed, and a refused import must never take a batch of the feed's events
 * down with it (nor the other way round). An import is one person's action, a few thousand rows at
 * most; SQLite serialises it with the writer thread (busy_timeout), and the caller flushes first so
 * the show it is matched against is on disk.
 */
import type { DB } from '../store/db.ts';
import type { RequestArgs } from '../../../shared/contract.ts';
import type { ImportResult } from '../../../shared/imports/types.ts';
import { importTable } from './index.ts';

export async function importTablesRequest(db: DB, args: RequestArgs<'importTables'>, importedBy: string | null): Promise<ImportResult> {
  const bytes = Buffer.from(args.dataBase64, 'base64');
  return importTable(db, {
    fileName: args.fileName,
    bytes,
    roomId: args.roomId,
    sessionId: args.sessionId,
    kind: args.kind,
    startedAt: args.startedAt,
    importedBy,
  });
}
