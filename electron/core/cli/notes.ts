/** A session's notes from the command line. */
import { minuteFromNumber, minuteLabel } from '../../../shared/minutes.ts';
import { openForReading } from '../store/db.ts';
import { StoreReader } from '../store/reader.ts';
import { readNotes } from '../store/retro.ts';
import { directRetroService } from '../retro/service.ts';
import { readSavedSettings } from '../settings/saved.ts';
import { UsageError, args, openForWriting, settings } from './common.ts';

/** Annotated charts from the command line: list, add (with the operator's name from the settings) or delete a session's notes. */
export async function noteCmd(argv: string[]): Promise<number> {
  const v = args(argv, { session: { type: 'string' }, minute: { type: 'string' }, text: { type: 'string' }, delete: { type: 'string' }, json: { type: 'boolean' } });
  const config = settings();
  // Listing notes only reads; adding or deleting one writes.
  const db = v.delete || v.text !== undefined ? openForWriting(config.dataDir, `lcr note ${v.delete ? '--delete' : '--text'}`) : openForReading(config.dataDir).db;
  try {
    const reader = new StoreReader(db);
    // The app's own note code (a reading-only store never gets a writer).
    const service = () => directRetroService(db, reader, config.dataDir, readSavedSettings(config.dataDir).operatorName ?? null);
    if (v.delete) {
      await service().deleteNote(v.delete);
      console.error(`deleted note ${v.delete}`);
      return 0;
    }
    if (!v.session) throw new UsageError('note needs --session ID (and --text TEXT to add one)');
    const s = reader.getSession(v.session);
    if (!s) throw new Error(`no session ${v.session} in the store (see: lcr sessions)`);
    if (v.text !== undefined) {
      const text = v.text.trim();
      if (!text || text.length > 2000) throw new UsageError('--text must be 1 to 2000 characters');
      let minute: number | null = null;
      if (v.minute !== undefined) {
        // People count minutes from 1 (第1分钟), as every screen and sheet prints them.
        const m = Number(v.minute);
        if (!Number.isInteger(m) || m < 1) throw new UsageError(`--minute must be a whole number from 1 (got "${v.minute}")`);
        minute = minuteFromNumber(m);
      }
      const note = await service().addNote(s.sessionId, minute, text);
      if (v.json) process.stdout.write(JSON.stringify(note) + '\n');
      else console.error(`added note ${note.id}`);
      return 0;
    }
    const list = readNotes(reader, s.sessionId);
    if (v.json) {
      process.stdout.write(JSON.stringify(list) + '\n');
      return 0;
    }
    if (!list.length) console.log('no notes');
    for (const n of list) console.log(`${n.id}\t${n.minute === null ? '全场' : minuteLabel(n.minute, 'zh-CN')}\t${n.byName ?? ''}\t${n.text}`);
    return 0;
  } finally {
    db.close();
  }
}
