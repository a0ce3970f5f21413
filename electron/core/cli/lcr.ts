/**
 * `lcr`: the command line of CONTRACTS.md. Every command honours LCR_DATA_DIR, prints errors as
 * one line on stderr and exits non-zero; `--json` prints one JSON document and nothing else.
 */
import { registerEnvSecrets } from '../secrets/accounts.ts';
import { redactSecrets } from '../secrets/redact.ts';
import { authCmd } from './auth.ts';
import { adCmd } from './ad.ts';
import { inviteCmd } from './invite.ts';
import { serveCmd } from './serve.ts';
import { relayCmd } from './relay.ts';
import { UsageError } from './common.ts';
import { importCmd } from './import.ts';
import { noteCmd } from './notes.ts';
import { planCmd } from './plan.ts';
import { captureCmd, record } from './record.ts';
import { exportCmd, report, sessions } from './report.ts';
import { evaluateCmd, simulate } from './sim.ts';

const USAGE = `usage: lcr <command> [options]
  simulate --scenario FILE[,FILE…] [--port N] [--token T] [--speed X] [--seed S]
  record   [--source feed|tiktok-chat-reader|douyin-ws|barragegrab|replay|qianchuan|doudian[,qianchuan,doudian]] [--feed URL|FILE|session:ID] [--token T]
           [--rooms a,b] [--orders FILE.jsonl] [--speed X] [--until-ended]
  sessions [--room ID] [--platform P] [--since DATE] [--until DATE] [--search TEXT] [--json]
  report   --session ID [--json] [--recompute]     (the retrospective: readable text, or CONTRACTS.md's JSON)
  export   --session ID --format csv|xlsx|html|pdf --out PATH [--lang zh-CN|en]
  note     --session ID [--minute M] --text TEXT | --delete NOTE_ID    (without --text/--delete: list the notes)
  import   --file PATH.csv|.xlsx [--room ID] [--session ID] [--kind provisional|settled] [--start DATE] [--json]
           (Compass minute/product/totals tables: a show not recorded live, or settled figures of one that was)
  evaluate --scenario FILE --policy plan|suggest|oracle|all [--seeds N] [--json]
  plan     --room ID [--file PATH.csv|.xlsx] [--json]   (a room's run-of-show: show it, or import one)
  capture  --session ID --out FILE.jsonl [--json]       (a recorded show as a JSONL capture, for record --source replay)
  auth     --status [--json] [--lang zh-CN|en]           (the connected platform accounts and when their tokens expire)
  auth     qianchuan|doudian|tiktok-shop [--auth-code CODE] [--account ID] [--app-id ID] [--secret-stdin] [--service-id ID]
           (without a code: the authorisation link; the secret only from LCR_*_SECRET or stdin) | --account ID --remove
  ad       --room ID --plan PLAN[,PLAN…] (--daily-budget YUAN | --bid YUAN | --roi-goal X | --pause | --resume) [--reason TEXT] [--by NAME]
           [--dry-run] [--json]   (a 千川 plan change through the console's checks and action log; exit 1 unless read back as sent)
  serve    [--source KIND[,qianchuan,doudian]] [--feed URL|ADDRESS] [--token T] [--rooms A,B] [--orders FILE] [--host H] [--port P]
           (the core headless for a server: records the rooms around the clock and serves the desks; Ctrl-C / SIGTERM stops)
  relay    --source KIND[,qianchuan,doudian] [--feed ADDRESS] [--rooms A,B] [--orders FILE] [--host H] [--port 7400]
           (real sources served as one relay for several lcr serve processes to share; token: LCR_RELAY_TOKEN or <data>/relay-token)
  invite   --role host|operator|buyer|assistant|admin [--name NAME] [--hours H] [--json] | --list | --revoke ID
           (a per-person link for the app serving this data folder; the token is shown once)
Environment: LCR_DATA_DIR (where the store lives), LCR_SOURCE, LCR_FEED_URL, LCR_FEED_TOKEN, LCR_ROOMS, LCR_ORDERS_FILE, LCR_SPEED,
  LCR_VAULT_KEY_FILE (the accounts' key, outside the data folder), LCR_QIANCHUAN_* and LCR_DOUDIAN_* (accounts; docs/credentials.md).`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  // Whatever a command says on failure, the environment's secrets are cut out of it.
  registerEnvSecrets(process.env);
  try {
    switch (command) {
      case 'simulate':
        return await simulate(rest);
      case 'record':
        return await record(rest);
      case 'sessions':
        return sessions(rest);
      case 'report':
        return report(rest);
      case 'export':
        return await exportCmd(rest);
      case 'note':
      case 'notes':
        return await noteCmd(rest);
      case 'import':
        return await importCmd(rest);
      case 'evaluate':
        return evaluateCmd(rest);
      case 'plan':
        return await planCmd(rest);
      case 'capture':
        return await captureCmd(rest);
      case 'ad':
        return await adCmd(rest);
      case 'invite':
        return await inviteCmd(rest);
      case 'serve':
        return await serveCmd(rest);
      case 'relay':
        return await relayCmd(rest);
      case 'auth':
        return await authCmd(rest);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        console.log(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (e) {
    // A platform's refusal may quote a token or the request's signed URL.
    const msg = redactSecrets(e instanceof Error ? e.message : String(e));
    // CONTRACTS.md: one line, whatever the message quotes back (an argument with line breaks, a 300 kB value).
    const line = msg.replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' ');
    console.error(`lcr: ${line.length > 1000 ? `${line.slice(0, 1000)}…` : line}`);
    return e instanceof UsageError ? 2 : 1;
  }
}
