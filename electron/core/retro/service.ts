/**
 * The retrospective's requests for the UI: the session list, a report, a comparison,
 * notes, exports. Reads go to the store (after the core flushed what it holds, so a show that just
 * ended is complete); writes — notes, retro rollups computed from the raw log — go through the
 * writer thread like every other write.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { StoreReader } from '../store/reader.ts';
import { directWrite, type WriteBatch } from '../store/writer.ts';
import type { DB } from '../store/db.ts';
import { buildComparison, buildRetroReport } from './retrospective.ts';
import { buildReportParts } from './report.ts';
import { listSessionItems, readNote } from '../store/retro.ts';
import { exportFileName, exportReport, type ExportFormat } from './export/index.ts';
import type { Comparison, Note, RetroReportView, SessionListItem } from '../../../shared/retro/types.ts';
import type { Locale } from '../../../shared/format.ts';

export interface RetroServiceDeps {
  reader: StoreReader;
  dataDir: string;
  /** Queue a write for the writer thread. */
  write: (part: Partial<WriteBatch>) => void;
  /** What the core holds (events, rollups, writes queued so far) is on disk — as far as the store can write now. */
  settle: () => Promise<void>;
  /** Queued writes are on disk, or a clear error says the store cannot write (they stay queued). */
  commit: () => Promise<void>;
  operatorName: () => string | null;
  /** Whether the running app records this show now (one never seen to end that is not is shown as interrupted). */
  isRecording: (sessionId: string) => boolean;
}

export class RetroService {
  constructor(private readonly d: RetroServiceDeps) {}

  async listSessions(f: { roomId?: string; platform?: string; since?: number; until?: number; search?: string; limit?: number }): Promise<SessionListItem[]> {
    await this.d.settle();
    return listSessionItems(this.d.reader, f, (id) => buildReportParts(this.d.reader, id).report.kpis).map((s) => ({ ...s, recording: s.endedAt === null && this.d.isRecording(s.sessionId) }));
  }

  async getReport(sessionId: string): Promise<RetroReportView> {
    await this.d.settle();
    return this.report(sessionId);
  }

  private report(sessionId: string) {
    const r = buildRetroReport(this.d.reader, sessionId, { onExtrasRecomputed: (row) => this.d.write({ retroRollups: [row] }) });
    return { ...r, session: { ...r.session, recording: r.session.endedAt === null && this.d.isRecording(sessionId) } };
  }

  async compare(sessionIds: string[], align: 'minute' | 'slot'): Promise<Comparison> {
    await this.d.settle();
    return buildComparison(this.d.reader, sessionIds, align);
  }

  async addNote(sessionId: string, minute: number | null, text: string): Promise<Note> {
    const s = this.d.reader.getSession(sessionId);
    if (!s) throw new Error(`no session ${sessionId}`);
    const note: Note = {
      id: randomUUID(),
      sessionId,
      roomId: s.roomId,
      ts: minute === null ? null : s.startedAt + minute * 60_000,
      minute,
      text: text.trim(),
      byName: this.d.operatorName(),
      createdAt: Date.now(),
    };
    this.d.write({ notes: [note] });
    await this.d.commit();
    return note;
  }

  async deleteNote(id: string): Promise<{ id: string; deleted: true }> {
    await this.d.settle();
    const n = readNote(this.d.reader, id);
    if (!n) throw new Error(`no note ${id}`);
    if (n.deletedAt === null) {
      this.d.write({ noteDeletes: [{ id, deletedAt: Date.now() }] });
      await this.d.commit();
    }
    return { id, deleted: true };
  }

  /** The show's own GMV target (null: none, the room's applies), stored with who set it. */
  async setSessionTarget(sessionId: string, gmvFen: number | null): Promise<{ sessionId: string; gmvFen: number | null }> {
    if (!this.d.reader.getSession(sessionId)) throw new Error(`no session ${sessionId}`);
    this.d.write({ sessionTargets: [{ sessionId, gmvFen, source: 'report', updatedAt: Date.now(), updatedBy: this.d.operatorName() }] });
    await this.d.commit();
    return { sessionId, gmvFen };
  }

  /** Into `<data folder>/exports/`, never over an earlier file. */
  async exportReport(sessionId: string, format: ExportFormat, locale: Locale | undefined): Promise<{ path: string; files: string[] }> {
    await this.d.settle();
    const report = this.report(sessionId);
    const name = exportFileName(report, format, locale);
    const dir = join(this.d.dataDir, 'exports');
    let path = join(dir, name);
    for (let i = 2; existsSync(path); i++) path = join(dir, name.replace(/(\.\w+)$/, `-${i}$1`));
    const files = await exportReport(report, format, path, { locale });
    return { path, files };
  }
}

/**
 * The same service over a store opened directly (the `lcr` command line, no app running): a write
 * lands at once, so a note from `lcr note` is the app's note, made by the same code.
 */
export function directRetroService(db: DB, reader: StoreReader, dataDir: string, operatorName: string | null): RetroService {
  return new RetroService({
    reader,
    dataDir,
    write: directWrite(db),
    settle: () => Promise.resolve(),
    commit: () => Promise.resolve(),
    operatorName: () => operatorName,
    isRecording: () => false,
  });
}
