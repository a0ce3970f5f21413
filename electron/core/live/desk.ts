/**
 * What a domain desk (alerts and targets, ads, suggestions and run-of-show …) may use of the
 * running core: the store, the rooms' shows, the screen and the relay's command path. Each desk
 * answers its own requests (a typed handler map) and keeps its own per-room state; the core keeps
 * the lifecycle, the ingest and the pushes.
 */
import type { StoreReader } from '../store/reader.ts';
import type { WriteBatch } from '../store/writer.ts';
import type { CommandAck, FeedCommand } from '../../../shared/protocol.ts';
import type { Push } from '../../../shared/contract.ts';
import type { LiveSession } from './session.ts';

/** Who did it, from the settings (team mode's name and role). */
export interface Operator {
  byName: string | null;
  byRole: string | null;
}

export interface DeskContext {
  readonly reader: StoreReader;
  /** Into the write queue: on disk within a batch, in order with the feed's events. */
  write(part: Partial<WriteBatch>): void;
  /** The room's show, live or the last one ended (null: none seen in this run). */
  session(roomId: string): LiveSession | null;
  emit(p: Push): void;
  /** A screen is attached: pushes only it reads are skipped without one. */
  listening(): boolean;
  operator(): Operator;
  /** Through the feed's command path; resolves with the relay's acknowledgement. */
  command(roomId: string, c: FeedCommand): Promise<CommandAck>;
  log(line: string): void;
}

/** The room's show if it is live now, or the error a request about it answers. */
export function liveShow(ctx: DeskContext, roomId: string): LiveSession {
  const s = ctx.session(roomId);
  if (!s || !s.isLive) throw new Error(`no live show in ${roomId}`);
  return s;
}
