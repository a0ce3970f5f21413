/**
 * The last line of defence for the long-running hosts (browser mode, the Electron utility
 * process, `lcr record` and `lcr simulate`): an unhandled rejection or an uncaught exception —
 * a bug that escaped every door's own checks — is logged in one line and the core keeps running.
 * The store's writes go through their own thread and the feed client resumes from the store's
 * cursors, so a process that stays up loses less than one that exits mid-show; Node's default
 * (exit on the first one) would take the room down for a single bad request.
 */
import { clipText } from '../../../shared/format.ts';
import { redactSecrets } from '../secrets/redact.ts';

/** Lines logged per minute at most: a fault in a loop must not flood the log. */
const MAX_LINES_PER_MINUTE = 20;

export interface SafetyNet {
  /** Faults seen so far (logged or not). */
  readonly caught: number;
  uninstall(): void;
}

export function installSafetyNet(log: (line: string) => void, who = 'core'): SafetyNet {
  let caught = 0;
  let windowStart = Date.now();
  let inWindow = 0;
  let suppressed = 0;
  const report = (kind: string, e: unknown) => {
    caught++;
    const now = Date.now();
    if (now - windowStart >= 60_000) {
      if (suppressed) say(`${who}: ${suppressed} more faults in the last minute were not logged`);
      windowStart = now;
      inWindow = 0;
      suppressed = 0;
    }
    if (++inWindow > MAX_LINES_PER_MINUTE) {
      suppressed++;
      return;
    }
    say(`${who}: ${kind} (kept running): ${describeFault(e)}`);
  };
  // The log itself may be what fails (stderr closed): a fault in the net must not become a new one.
  const say = (line: string) => {
    try {
      log(line);
    } catch {
      // nowhere left to report it
    }
  };
  const onRejection = (reason: unknown) => report('unhandled rejection', reason);
  const onException = (e: unknown) => report('uncaught exception', e);
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return {
    get caught() {
      return caught;
    },
    uninstall() {
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtException', onException);
    },
  };
}

/** One line: the error's name and message, and where it was thrown (its first stack frame). */
export function describeFault(e: unknown): string {
  if (e instanceof Error) {
    const at = e.stack?.split('\n').find((l) => l.trim().startsWith('at '))?.trim();
    return `${e.name}: ${oneLine(e.message)}${at ? ` (${at})` : ''}`;
  }
  let text: string;
  try {
    text = typeof e === 'string' ? e : (JSON.stringify(e) ?? String(e));
  } catch {
    text = Object.prototype.toString.call(e);
  }
  return oneLine(text);
}

function oneLine(s: string): string {
  // Secrets never reach a log (redact.ts): a token quoted in an error, a signed URL, a platform's JSON.
  return clipText(redactSecrets(s.replace(/\s+/g, ' ').trim()), 500);
}
