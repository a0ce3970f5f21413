/**
 * An XLSX file is a zip archive, and a zip's compressed size says nothing about what it expands
 * to: a 2.3 MB run-of-show expanded to a 481 MB sheet (64 s, 3.2 GB in ExcelJS). Before a workbook
 * is handed to ExcelJS its central directory is read here, the entry count and the declared sizes
 * are bounded, and every entry is inflated with a cap on its output — a declared size can lie,
 * and entries can overlap (the same compressed bytes counted by many headers), so what counts is
 * what inflating actually produces. Refusals say why, in a sentence for the person who picked the
 * file. Pure Node (zlib), no extraction to disk.
 */
import { inflateRawSync } from 'node:zlib';

export interface ZipLimits {
  /** Entries in the archive (a workbook has a few dozen). */
  maxEntries: number;
  /** Bytes all entries expand to together. */
  maxUncompressedBytes: number;
}

export class ZipLimitError extends Error {}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MB = 1024 * 1024;

function mb(n: number): string {
  return `${(n / MB).toFixed(n < 10 * MB ? 1 : 0)} MB`;
}

/**
 * Throws a ZipLimitError (with the reason) when `bytes` is not a zip archive this app reads or
 * expands beyond `limits`; returns what it expands to otherwise.
 */
export function checkZip(bytes: Uint8Array, limits: ZipLimits): { entries: number; uncompressedBytes: number } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = findEocd(buf);
  if (eocd < 0) throw damaged('it is not a zip archive: the file is damaged or not an .xlsx workbook');
  const total = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (total === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) throw new ZipLimitError('the workbook is a ZIP64 archive, which is larger than any table this app imports');
  if (total > limits.maxEntries) throw new ZipLimitError(`the workbook has ${total} parts; a table's workbook has at most ${limits.maxEntries}`);
  if (cdOffset + cdSize > eocd) throw damaged('its zip directory points outside the file: the file is damaged or cut off');

  // The central directory: declared sizes first (cheap), then the real ones by inflating.
  const entries: Array<{ name: string; method: number; compressed: number; declared: number; local: number }> = [];
  let p = cdOffset;
  let declaredTotal = 0;
  for (let i = 0; i < total; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL) throw damaged('its zip directory is damaged');
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const compressed = buf.readUInt32LE(p + 20);
    const declared = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, Math.min(buf.length, p + 46 + nameLen));
    if (flags & 0x1) throw new ZipLimitError('the workbook is encrypted (password-protected): save it without a password');
    if (compressed === 0xffffffff || declared === 0xffffffff || local === 0xffffffff) throw new ZipLimitError('the workbook is a ZIP64 archive, which is larger than any table this app imports');
    declaredTotal += declared;
    if (declaredTotal > limits.maxUncompressedBytes) throw tooLarge(limits, `its parts declare ${mb(declaredTotal)} or more`);
    entries.push({ name, method, compressed, declared, local });
    p += 46 + nameLen + extraLen + commentLen;
  }

  let actual = 0;
  for (const e of entries) {
    if (e.local + 30 > buf.length || buf.readUInt32LE(e.local) !== LOCAL) throw damaged(`its part ${e.name} is damaged`);
    const start = e.local + 30 + buf.readUInt16LE(e.local + 26) + buf.readUInt16LE(e.local + 28);
    if (start + e.compressed > buf.length) throw damaged(`its part ${e.name} is cut off: the file is incomplete`);
    const data = buf.subarray(start, start + e.compressed);
    const budget = limits.maxUncompressedBytes - actual;
    let size: number;
    if (e.method === 0) size = data.length;
    else if (e.method === 8) {
      try {
        size = inflateRawSync(data, { maxOutputLength: Math.max(1, budget) }).length;
      } catch (err) {
        if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(limits, `${e.name} alone expands beyond that`);
        throw damaged(`its part ${e.name} cannot be decompressed (${(err as Error).message})`);
      }
    } else throw damaged(`its part ${e.name} uses compression method ${e.method}, which .xlsx files do not use`);
    actual += size;
    if (actual > limits.maxUncompressedBytes) throw tooLarge(limits, `its parts expand to ${mb(actual)} or more`);
  }
  return { entries: entries.length, uncompressedBytes: actual };
}

function damaged(detail: string): ZipLimitError {
  return new ZipLimitError(`not a readable .xlsx file (${detail})`);
}

function tooLarge(limits: ZipLimits, detail: string): ZipLimitError {
  return new ZipLimitError(`the workbook expands to more than ${mb(limits.maxUncompressedBytes)} (${detail}): that is not a table this app imports — save only the table's sheet, or export it as CSV`);
}

/** The end-of-central-directory record: the last 22+ bytes, after a comment of up to 64 KiB. */
function findEocd(buf: Buffer): number {
  const min = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= min; i--) if (buf.readUInt32LE(i) === EOCD) return i;
  return -1;
}
