/**
 * Lines out of a file read in chunks (a capture being replayed, an order file being tailed), with
 * memory bounded by one chunk plus `max` characters: a line that grows past `max` is given up on —
 * what came of it so far is reported once ('overflow') and the rest skipped to its newline, where
 * its whole length is reported ('skipped'). Each caller picks the report it wants to quarantine.
 */
export type LinePiece =
  | { kind: 'line'; line: number; text: string }
  /** A line just passed `max` characters: its text so far; the rest of it will be skipped. */
  | { kind: 'overflow'; line: number; text: string }
  /** The end of a line that overflowed: its whole length. */
  | { kind: 'skipped'; line: number; chars: number };

export class LineSplitter {
  private partial = '';
  private skipping = false;
  private skippedChars = 0;
  /** Lines ended so far (1-based numbers are lineNo + 1 for the one in progress). */
  private lineNo = 0;

  constructor(private readonly max: number) {}

  /** The pieces `text` (the next decoded chunk) completes. */
  push(text: string): LinePiece[] {
    const out: LinePiece[] = [];
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      const piece = text.slice(start, nl);
      start = nl + 1;
      this.lineNo++;
      if (this.skipping) {
        this.skipping = false;
        out.push({ kind: 'skipped', line: this.lineNo, chars: this.skippedChars + piece.length });
        continue;
      }
      out.push({ kind: 'line', line: this.lineNo, text: this.partial + piece });
      this.partial = '';
    }
    const rest = text.slice(start);
    if (this.skipping) {
      this.skippedChars += rest.length;
    } else {
      this.partial += rest;
      if (this.partial.length > this.max) {
        out.push({ kind: 'overflow', line: this.lineNo + 1, text: this.partial });
        this.skipping = true;
        this.skippedChars = this.partial.length;
        this.partial = '';
      }
    }
    return out;
  }

  /** At the end of the file: its last line, which needs no newline (or that line's skip report). */
  end(): LinePiece | null {
    if (this.skipping) return { kind: 'skipped', line: this.lineNo + 1, chars: this.skippedChars };
    return this.partial ? { kind: 'line', line: this.lineNo + 1, text: this.partial } : null;
  }
}
