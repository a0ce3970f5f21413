/**
 * `lcr relay` (docs/server.md): the real sources of an agency's rooms — douyin-ws, TikTok,
 * BarrageGrab, the official 千川/抖店 APIs, a merchant order file — run once, here, and served as
 * one FEED-PROTOCOL relay, so several `lcr serve` processes can share the rooms (LCR_REDIS_URL)
 * following it with `--feed`: each room is numbered here once, and whichever process takes a room
 * over resumes it from the store's cursor in that numbering. The relay keeps each room's recent
 * history (RELAY_HISTORY events) for those resumes.
 *
 * The relay's token comes from LCR_RELAY_TOKEN, or is made once and kept in the data folder's
 * `relay-token` (readable by its owner only): it is never printed.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SourceHub, SourceConfigError, type SourceConfig } from '../sources/hub.ts';
import { isOfficialKind } from '../../../shared/contract.ts';
import { redactSecrets } from '../secrets/redact.ts';
import { accountsVault } from './record.ts';
import { SOURCE_FLAGS, UsageError, args, keepRunning, roomsFlag, settings, sourceFlag } from './common.ts';

export async function relayCmd(argv: string[]): Promise<number> {
  const v = args(argv, { ...SOURCE_FLAGS, host: { type: 'string' }, port: { type: 'string' }, speed: { type: 'string' } });
  if (v.token !== undefined) throw new UsageError('lcr relay takes its token from LCR_RELAY_TOKEN (or the data folder’s relay-token file), never from the command line where other users can read it');
  const config = settings();
  const { kind, also } = v.source !== undefined ? sourceFlag(v.source) : { kind: config.sourceKind, also: config.alsoSources };
  if (kind === 'feed') throw new UsageError('lcr relay serves real sources (--source douyin-ws|tiktok-chat-reader|barragegrab|qianchuan|doudian|replay …); a FEED-PROTOCOL relay is already one: point lcr serve at it');
  const address = v.feed ?? config.sourceAddress ?? '';
  if (!isOfficialKind(kind) && !address) throw new UsageError(`lcr relay --source ${kind} needs --feed (or LCR_FEED_URL): the source's address`);
  const port = v.port === undefined ? 7400 : Number(v.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`--port must be a port number (got "${v.port}")`);
  const speed = v.speed === undefined ? config.speed : Number(v.speed);
  if (!(speed >= 1 && speed <= 60)) throw new UsageError(`--speed must be a number from 1 to 60 (got "${String(v.speed)}")`);
  const cfg: SourceConfig = {
    kind,
    address,
    rooms: v.rooms ? roomsFlag(v.rooms) : config.rooms,
    ordersFile: v.orders ?? config.ordersFile,
    speed,
    fenPerDiamond: config.fenPerDiamond,
    dataDir: config.dataDir,
    also,
    platforms: config.platforms,
  };
  const vault = isOfficialKind(kind) || also.length ? await accountsVault(config.dataDir) : undefined;
  const token = relayToken(config.dataDir);
  keepRunning();
  const log = (line: string) => console.error(redactSecrets(line));
  const problems = new Map<string, string>();
  const quarantined = new Map<string, number>();
  let hub: SourceHub;
  try {
    hub = await SourceHub.start(cfg, {
      token: token.value,
      host: v.host ?? config.host,
      port,
      vault,
      onState: (states) => {
        for (const s of states) {
          const said = s.error ?? s.status;
          if (problems.get(s.source) !== said) log(`source ${s.source}: ${said}`);
          problems.set(s.source, said);
        }
      },
      // Nothing a source sends ends the relay: what cannot be used is counted by reason, and said the first time and every thousandth.
      onQuarantine: (q) => {
        const reason = `${q.source}: ${q.reason}`;
        const n = (quarantined.get(reason) ?? 0) + 1;
        quarantined.set(reason, n);
        if (n === 1 || n % 1000 === 0) log(`quarantined (${n}×): ${reason}`);
      },
    });
  } catch (e) {
    if (e instanceof SourceConfigError) throw new UsageError(e.message);
    throw e;
  }
  // Said before the Relay line, so whoever waits for that line has this one too.
  console.error(`rooms: ${hub.bridges.map((b) => b.mux.roomId).join(', ')} · token ${token.from}`);
  console.log(`Relay: ${hub.url}`);
  await new Promise<void>((done) => {
    const stop = () => void hub.stop().then(done, done);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}

/** LCR_RELAY_TOKEN, or the one kept in the data folder (made on first use): where it came from is said, the token never. */
function relayToken(dataDir: string): { value: string; from: string } {
  const given = process.env.LCR_RELAY_TOKEN?.trim();
  if (given) {
    if (given.length < 16) throw new UsageError('LCR_RELAY_TOKEN must be at least 16 characters');
    return { value: given, from: 'from LCR_RELAY_TOKEN' };
  }
  const file = join(dataDir, 'relay-token');
  try {
    const t = readFileSync(file, 'utf8').trim();
    if (t.length >= 16) return { value: t, from: `in ${file}` };
  } catch {
    // none yet
  }
  const value = randomBytes(24).toString('base64url');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file + '.tmp', value + '\n', { mode: 0o600 });
  renameSync(file + '.tmp', file);
  return { value, from: `in ${file} (new; give it to lcr serve as --token or LCR_FEED_TOKEN)` };
}
