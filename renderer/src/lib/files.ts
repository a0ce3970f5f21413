import { translate } from '../../../shared/i18n/messages.ts';
import type { Locale } from '../../../shared/format.ts';
import { fill } from '../../../shared/suggest/reasons.ts';

/** A picked file as base64, the way file contents cross the UI channel (IPC or Socket.IO, JSON only). */
export async function fileToBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let bin = '';
  // In slices: String.fromCharCode(...all) overflows the call stack on a file of a few MB.
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/**
 * Why a picked file is not sent (null: it may be): larger than the contract's cap for what it is
 * (shared/contract.ts). Said on screen before it is read, instead of a request the core refuses —
 * or, over Socket.IO, a message beyond the channel's limit that drops the connection.
 */
export function fileTooBig(file: Pick<File, 'name' | 'size'>, maxBytes: number, locale: Locale): string | null {
  if (file.size <= maxBytes) return null;
  const mb = (n: number) => (n / 1048576).toFixed(n % 1048576 ? 1 : 0);
  return fill(translate(locale, 'file.tooBig'), { name: file.name, size: mb(file.size), max: mb(maxBytes) });
}
