/**
 * Reading a file a person named (an import, a run-of-show, a scenario, settings.json) with a
 * bound: only a regular file, and no more than the cap for what it is. Without it, `--file
 * /dev/zero` or a FIFO reads forever and a mistaken multi-GB file fills the heap before any check
 * looks at it.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export class FileReadError extends Error {
  constructor(
    readonly path: string,
    /** Why, without the path: for callers that name the file their own way. */
    readonly reason: string,
  ) {
    super(`cannot read ${path}: ${reason}`);
  }
}

function mb(n: number): string {
  return `${(n / 1048576).toFixed(n % 1048576 ? 1 : 0)} MB`;
}

/** The file's bytes; throws a FileReadError saying why not (missing, not a file, over `maxBytes`). */
export function readBoundedFile(path: string, maxBytes: number, what: string): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new FileReadError(path, e instanceof Error ? e.message : String(e));
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new FileReadError(path, 'not a regular file');
    if (st.size > maxBytes) throw new FileReadError(path, `the file is ${mb(st.size)}; ${what} is at most ${mb(maxBytes)}`);
    // Read what is there now, and at most one byte past the cap: a file still growing is refused too.
    const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
    let n = 0;
    for (;;) {
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
      if (n === buf.length) break;
    }
    if (n > maxBytes) throw new FileReadError(path, `the file is larger than ${mb(maxBytes)}; ${what} is at most ${mb(maxBytes)}`);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}
