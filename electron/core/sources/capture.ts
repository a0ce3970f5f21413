/**
 * Captures: a recorded session as a file a team can keep, send and replay ("replay of a
 * recorded session at any speed"; `lcr record --source replay --feed FILE`).
 *
 * The capture format — JSON lines, UTF-8:
 * - One FEED-PROTOCOL event body per line, exactly as FEED-PROTOCOL.md "Events" defines it, with
 *   its source `ts` (epoch ms) and without `seq`: the replaying relay numbers events afresh. A
 *   `seq` that is present (a relay log pasted in) is ignored. Lines are in the order the events
 *   were numbered; `ts` may be slightly out of order, as on a live feed.
 * - The first line may be a `session` event with `status: "live"`: its `startedAt` is the start of
 *   the recording's timeline, and the extension fields `roomId` and `platform` (optional strings),
 *   with the event's `title`, name the room the replay shows. Without it the replay opens the
 *   session at the first event's `ts`, in a room named after the file.
 * - A `session` event with `status: "ended"` ends the session; nothing after it is replayed.
 *   Without one the session ends at the last event.
 * - Blank lines (and whitespace, `\r\n` endings) are skipped; a UTF-8 byte-order mark is dropped.
 * - A line that is not a JSON object, or not an event FEED-PROTOCOL accepts (missing `ts`, wrong
 *   field types, negative counts …), is quarantined with its line number and the reason — never a
 *   crash, and the rest of the file still plays. A type this version does not know, with a valid
 *   envelope, is replayed as it is (the app keeps such events raw, as from any relay).
 *
 * Everything here streams: a file is read in 64 KiB chunks and a stored session in pages of `seq`,
 * so an 8-hour show's millions of events are never in memory at once.
 */
import { open, rename, unlink } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { KnownEventTypes, validateEvent } from '../../../shared/protocol.ts';
import type { StoreReader, StoredEventRow } from '../store/reader.ts';
import { isObj, preview, toText, type SourceEvent } from './common.ts';
import { LineSplitter } from './lines.ts';

/** Lines above this are quarantined unread: a catalog of 5000 products fits with room to spare. */
export const CAPTURE_MAX_LINE_CHARS = 4 * 1024 * 1024;

const KNOWN_TYPES = new Set<string>(KnownEventTypes);

/** What the capture's first line says about the room; anything may be missing. */
export interface CaptureHeader {
  roomId?: string;
  platform?: string;
  title?: string;
  startedAt: number;
}

/** One line of a capture, parsed. */
export type CaptureLine =
  | { kind: 'blank'; line: number }
  | { kind: 'event'; line: number; event: SourceEvent }
  | { kind: 'bad'; line: number; reason: string; text: string };

/**
 * One capture line → an event body, or why it is not one. Pure; never throws.
 * Events of types this version does not know come back typed as `SourceEvent` all the same: they
 * pass through the room to the relay unchanged, like any relay's compatible extension.
 */
export function parseCaptureLine(raw: string, line: number): CaptureLine {
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  const trimmed = text.trim();
  if (!trimmed) return { kind: 'blank', line };
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return { kind: 'bad', line, reason: 'replay: line is not JSON', text: trimmed };
  }
  if (!isObj(value)) return { kind: 'bad', line, reason: 'replay: line is not a JSON object', text: trimmed };
  const body = eventBody(value);
  // The relay numbers events; a placeholder seq lets the one validator of the app judge the rest.
  const v = validateEvent({ ...body, seq: 1 });
  if (!v.ok) return { kind: 'bad', line, reason: `replay: ${v.reason}`, text: trimmed };
  return { kind: 'event', line, event: body as unknown as SourceEvent };
}

/**
 * A stored or captured event without what a relay or the validator added: `seq` (renumbered on
 * replay) and the `unknown` marker validateEvent puts on events of unknown types.
 */
function eventBody(value: Record<string, unknown>): Record<string, unknown> {
  const { seq: _seq, ...body } = value;
  if (body.unknown === true && typeof body.type === 'string' && !KNOWN_TYPES.has(body.type)) delete body.unknown;
  return body;
}

/** The room a `session live` event names (the capture header), or undefined when it is not one. */
export function captureHeader(e: SourceEvent): CaptureHeader | undefined {
  if (e.type !== 'session' || e.status !== 'live') return undefined;
  const ext = e as SourceEvent & { roomId?: unknown; platform?: unknown };
  const roomId = toText(ext.roomId, 200);
  const platform = toText(ext.platform, 50);
  return {
    startedAt: e.startedAt,
    ...(roomId && { roomId }),
    ...(platform && { platform }),
    ...(e.title !== undefined && { title: e.title }),
  };
}

// ---- Reading a capture file ---------------------------------------------------------------------

export interface ReadCaptureOptions {
  maxLineChars?: number;
  /** Bytes per read. */
  chunkBytes?: number;
}

/**
 * The lines of a capture file, parsed, one at a time: read in chunks, so memory stays at one
 * chunk plus one line whatever the file's size. An over-long line is reported as bad (its
 * length, not its text) and skipped to its end. Throws only when the file cannot be opened or read.
 */
export async function* readCapture(path: string, opts: ReadCaptureOptions = {}): AsyncGenerator<CaptureLine> {
  const max = opts.maxLineChars ?? CAPTURE_MAX_LINE_CHARS;
  const fh = await open(path, 'r');
  try {
    // A device or a FIFO (`--feed /dev/zero`) would stream forever: a capture is a file.
    if (!(await fh.stat()).isFile()) throw new Error('not a regular file');
    const buf = Buffer.alloc(opts.chunkBytes ?? 64 * 1024);
    const decoder = new StringDecoder('utf8');
    const lines = new LineSplitter(max);
    const tooLong = (line: number, chars: number): CaptureLine => ({ kind: 'bad', line, reason: `replay: line over ${max} characters`, text: `(${chars} characters)` });
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      for (const p of lines.push(bytesRead ? decoder.write(buf.subarray(0, bytesRead)) : decoder.end())) {
        // A line that ended within the chunk it grew past the cap in is still over the cap.
        if (p.kind === 'line') yield p.text.length > max ? tooLong(p.line, p.text.length) : parseCaptureLine(p.text, p.line);
        else if (p.kind === 'skipped') yield tooLong(p.line, p.chars);
      }
      if (!bytesRead) break;
    }
    const last = lines.end();
    if (last?.kind === 'line') yield last.text.length > max ? tooLong(last.line, last.text.length) : parseCaptureLine(last.text, last.line);
    else if (last?.kind === 'skipped') yield tooLong(last.line, last.chars);
  } finally {
    await fh.close();
  }
}

/** The capture's header, from its first non-blank line; undefined when that line is not a `session live` event. */
export async function readCaptureHeader(path: string, opts: ReadCaptureOptions = {}): Promise<CaptureHeader | undefined> {
  for await (const l of readCapture(path, opts)) {
    if (l.kind === 'blank') continue;
    return l.kind === 'event' ? captureHeader(l.event) : undefined;
  }
  return undefined;
}

// ---- Reading a stored session ----------------------------------------------------------------------

/** A stored row's body as an event body (the store keeps validated events; a broken row is still reported, not thrown). */
export function storedEventBody(row: StoredEventRow): { ok: true; event: SourceEvent } | { ok: false; reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(row.body);
  } catch {
    return { ok: false, reason: 'replay: stored event is not JSON' };
  }
  if (!isObj(value)) return { ok: false, reason: 'replay: stored event is not a JSON object' };
  const body = eventBody(value);
  const v = validateEvent({ ...body, seq: 1 });
  if (!v.ok) return { ok: false, reason: `replay: stored event: ${v.reason}` };
  return { ok: true, event: body as unknown as SourceEvent };
}

// ---- Writing a capture -----------------------------------------------------------------------------

export interface CaptureSummary {
  sessionId: string;
  path: string;
  /** Lines written (the header and a closing `session ended` included). */
  lines: number;
  /** Stored rows that could not be read back as events, skipped. */
  skipped: number;
  bytes: number;
}

/**
 * Writes a stored session as a capture file (the format above), streaming page by page. The file
 * appears complete or not at all: it is written beside `outPath` and renamed into place, so a
 * capture interrupted half-way never passes for a whole session.
 *
 * The first line is the session's `session live` event carrying `roomId` and `platform` (one is
 * made from the session row when the relay never announced the start); a session that ended
 * without a `session ended` event (a new broadcast began first) gets one at its stored end, so the
 * replay ends where the recording did.
 */
export async function writeCapture(reader: StoreReader, sessionId: string, outPath: string): Promise<CaptureSummary> {
  const session = reader.getSession(sessionId);
  if (!session) throw new Error(`no session ${sessionId} in the store (see: lcr sessions)`);
  const tmp = `${outPath}.${process.pid}.partial`;
  const fh = await open(tmp, 'w');
  const summary: CaptureSummary = { sessionId, path: outPath, lines: 0, skipped: 0, bytes: 0 };
  try {
    let first = true;
    let ended = false;
    const write = async (lines: string[]): Promise<void> => {
      if (!lines.length) return;
      const text = lines.join('');
      summary.lines += lines.length;
      summary.bytes += Buffer.byteLength(text);
      await fh.write(text);
    };
    const headerOf = (e?: SourceEvent): string =>
      line({
        ...(e ?? { ts: session.startedAt, type: 'session', status: 'live', startedAt: session.startedAt }),
        title: e?.type === 'session' && e.title !== undefined ? e.title : session.title,
        roomId: session.roomId,
        platform: session.platform,
      });
    for (const page of reader.eventPages(session)) {
      const lines: string[] = [];
      for (const row of page) {
        if (ended) break;
        const r = storedEventBody(row);
        if (!r.ok) {
          summary.skipped++;
          continue;
        }
        const e = r.event;
        if (first) {
          first = false;
          if (e.type === 'session' && e.status === 'live') {
            lines.push(headerOf(e));
            continue;
          }
          lines.push(headerOf());
        }
        if (e.type === 'session' && e.status === 'ended') ended = true;
        lines.push(line(e));
      }
      await write(lines);
      if (ended) break;
    }
    const tail: string[] = [];
    if (first) tail.push(headerOf());
    if (!ended && session.endedAt !== null) tail.push(line({ ts: session.endedAt, type: 'session', status: 'ended', startedAt: session.startedAt }));
    await write(tail);
    await fh.close();
    await rename(tmp, outPath);
    return summary;
  } catch (e) {
    await fh.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}

function line(e: unknown): string {
  return `${JSON.stringify(e)}\n`;
}

/** A bad line as the quarantine keeps it: where it was, and a bounded copy of what it said. */
export function badLineRaw(l: { line: number; text: string }): { line: number; text: unknown } {
  return { line: l.line, text: preview(l.text, 500) };
}
