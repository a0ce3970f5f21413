/** Recording a show into the store from a feed or source, and a recorded show back out as a capture. */
import { Core } from '../core.ts';
import { openForReading } from '../store/db.ts';
import { StoreReader } from '../store/reader.ts';
import { SourceConfigError } from '../sources/hub.ts';
import { writeCapture } from '../sources/capture.ts';
import { isOfficialKind } from '../../../shared/contract.ts';
import { openVault } from '../secrets/open.ts';
import { registerEnvSecrets, seedFromEnv } from '../secrets/accounts.ts';
import type { SecretVault } from '../secrets/types.ts';

/** The accounts vault with the environment's accounts stored in it (a problem is a warning: the sources say what is missing). */
export async function accountsVault(dataDir: string): Promise<SecretVault> {
  registerEnvSecrets(process.env);
  const warn = (w: string) => console.error(`lcr: warning: accounts: ${redactSecrets(w)}`);
  const vault = openVault({ dataDir, onWarning: warn });
  try {
    (await seedFromEnv(process.env, vault, Date.now())).warnings.forEach(warn);
  } catch (e) {
    warn(e instanceof Error ? e.message : String(e));
  }
  return vault;
}
import { SOURCE_FLAGS, UsageError, args, keepRunning, roomsFlag, settings, sourceFlag } from './common.ts';
import { redactSecrets } from '../secrets/redact.ts';

export async function record(argv: string[]): Promise<number> {
  const v = args(argv, {
    ...SOURCE_FLAGS,
    speed: { type: 'string' },
    'until-ended': { type: 'boolean' },
  });
  const config = settings();
  const { kind: source, also } = v.source !== undefined ? sourceFlag(v.source) : { kind: config.sourceKind, also: config.alsoSources };
  const rooms = v.rooms ? roomsFlag(v.rooms) : config.rooms;
  const speed = v.speed === undefined ? config.speed : Number(v.speed);
  if (!(speed >= 1 && speed <= 60)) throw new UsageError(`--speed must be a number from 1 to 60 (got "${String(v.speed)}")`);
  let feedUrl: string;
  let options: Parameters<typeof Core.start>[0];
  if (source === 'feed') {
    const url = (v.feed as string | undefined) ?? config.feedUrl;
    if (!url) throw new UsageError('record needs --feed URL (or LCR_FEED_URL)');
    feedUrl = url;
    options = { dataDir: config.dataDir, feedUrl, feedToken: (v.token as string | undefined) ?? config.feedToken, rooms, log: (l) => console.error(redactSecrets(l)) };
  } else {
    // The official APIs need no --feed: their hosts are the platforms' (LCR_QIANCHUAN_API, LCR_DOUDIAN_API).
    const official = isOfficialKind(source);
    const address = (v.feed as string | undefined) ?? config.sourceAddress ?? '';
    if (!official && !address) throw new UsageError(`record --source ${source} needs --feed (or LCR_FEED_URL): ${source === 'replay' ? 'a JSONL capture file or session:ID' : "the source's address"}`);
    feedUrl = official ? `the ${source} API` : address;
    const cfg = { kind: source, address, rooms, ordersFile: (v.orders as string | undefined) ?? config.ordersFile, speed, fenPerDiamond: config.fenPerDiamond, dataDir: config.dataDir, also, platforms: config.platforms };
    const vault = official || also.length ? await accountsVault(config.dataDir) : undefined;
    options = { dataDir: config.dataDir, source: cfg, rooms, vault, log: (l) => console.error(redactSecrets(l)) };
  }
  let core: Core;
  keepRunning();
  try {
    core = await Core.start(options);
  } catch (e) {
    // A source without what it needs (the core checks before it opens anything) is a usage error.
    if (e instanceof SourceConfigError) throw new UsageError(e.message);
    throw e;
  }
  console.error(redactSecrets(`recording ${feedUrl} into ${config.dataDir}`));
  let exitCode = 0;
  await new Promise<void>((done) => {
    const stop = () => done();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (v['until-ended']) void core.untilEnded().then(done);
    // A wrong token does not get better by waiting.
    const watch = setInterval(() => {
      const c = core.connection;
      if (c.status === 'failed') {
        console.error(`lcr: ${redactSecrets(c.error ?? 'feed failed')}`);
        exitCode = 1;
        done();
      }
    }, 100);
    watch.unref();
  });
  const stored = core.diagnostics().store.eventsStored;
  await core.stop();
  console.error(`stopped; ${stored} events stored`);
  return exitCode;
}

/** A recorded show as a JSONL capture (electron/core/sources/capture.ts): to replay, share or keep. */
export async function captureCmd(argv: string[]): Promise<number> {
  const v = args(argv, { session: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' } });
  if (!v.session || !v.out) throw new UsageError('capture needs --session ID and --out FILE.jsonl');
  const config = settings();
  const { db } = openForReading(config.dataDir);
  try {
    const summary = await writeCapture(new StoreReader(db), String(v.session), String(v.out));
    if (v.json) process.stdout.write(JSON.stringify(summary) + '\n');
    else console.error(`wrote ${summary.lines} lines to ${summary.path}`);
    return 0;
  } finally {
    db.close();
  }
}
