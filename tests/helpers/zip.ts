/**
 * A minimal zip writer for building hostile archives in tests — zip bombs, archives whose headers
 * lie about sizes, too many parts, truncated files — out of a real workbook's parts. Deflate or
 * store per entry; `declaredSize` overrides what the headers claim.
 */
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  data: Buffer;
  /** Store instead of deflate. */
  store?: boolean;
  /** What the headers say the entry expands to (default: the truth). */
  declaredSize?: number;
  /** Bytes already deflated (a bomb built without holding its expansion): `data` is then ignored. */
  deflated?: { bytes: Buffer; size: number; crc: number };
}

export function makeZip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const body = e.deflated ? e.deflated.bytes : e.store ? e.data : deflateRawSync(e.data);
    const size = e.declaredSize ?? (e.deflated ? e.deflated.size : e.data.length);
    const crc = e.deflated ? e.deflated.crc : crc32(e.data);
    const method = e.store && !e.deflated ? 0 : 8;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** The entries of a zip this module (or Excel, or ExcelJS) wrote, inflated: to take a real workbook apart. */
export function readZip(zip: Buffer): ZipEntry[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const total = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  const out: ZipEntry[] = [];
  for (let i = 0; i < total; i++) {
    const method = zip.readUInt16LE(p + 10);
    const compressed = zip.readUInt32LE(p + 20);
    const nameLen = zip.readUInt16LE(p + 28);
    const skip = nameLen + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
    const name = zip.toString('utf8', p + 46, p + 46 + nameLen);
    const local = zip.readUInt32LE(p + 42);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(start, start + compressed);
    out.push({ name, data: method === 0 ? Buffer.from(raw) : inflateRawSync(raw) });
    p += 46 + skip;
  }
  return out;
}

/** A sheet XML of `rows` rows of one cell each: repetition that deflates about 1000:1. Returns it deflated. */
export function bombSheet(rows: number): { bytes: Buffer; size: number; crc: number } {
  const head = Buffer.from('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>');
  const tail = Buffer.from('</sheetData></worksheet>');
  const row = Buffer.from('<row><c t="inlineStr"><is><t>xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx</t></is></c></row>');
  const block = Buffer.concat(Array.from({ length: 10_000 }, () => row));
  const parts: Buffer[] = [head];
  for (let left = rows; left > 0; left -= 10_000) parts.push(left >= 10_000 ? block : Buffer.concat(Array.from({ length: left }, () => row)));
  parts.push(tail);
  const whole = Buffer.concat(parts);
  return { bytes: deflateRawSync(whole, { level: 9 }), size: whole.length, crc: crc32(whole) };
}
