/**
 * `lcr ad`: the ad console's change of a platform plan from a script — the same preview (the
 * plan read fresh, the platform's limits, the team's guard rails), the same sending and read-back,
 * the same action log in the store. Running the command is the confirmation; `--dry-run` stops at
 * the preview. Exits 0 only when every plan's change was read back as sent.
 */
import { PlanChanges } from '../ads/plan-changes.ts';
import { directWrite } from '../store/writer.ts';
import { StoreReader } from '../store/reader.ts';
import { planRooms } from '../sources/hub.ts';
import { sourceConfigOf } from '../config.ts';
import { QianchuanClient } from '../platforms/qianchuan/client.ts';
import { QianchuanPlanPort } from '../platforms/qianchuan/plan-port.ts';
import { GmvMaxSource } from '../platforms/gmv-max/source.ts';
import { GmvMaxPlanPort } from '../platforms/gmv-max/plan-port.ts';
import type { PlatformPlanPort } from '../platforms/plan-port.ts';
import { minorPerMajor } from '../../../shared/currency.ts';
import { readSavedSettings } from '../settings/saved.ts';
import { DEFAULT_GUARD_RAILS, type PlanChangeField, type PlanChangeOutcome, type PlanChangePreview } from '../../../shared/ads/plan-changes.ts';
import { formatMoneyFen } from '../../../shared/format.ts';
import { localiser } from '../../../shared/i18n/localiser.ts';
import { isMessageKey } from '../../../shared/i18n/localiser.ts';
import { accountsVault } from './record.ts';
import { UsageError, args, openForWriting, settings } from './common.ts';

/**
 * The change asked. Money flags are major units of the plan's currency (yuan for 千川; the GMV Max
 * advertiser's currency, e.g. dollars or đồng), turned into its minor units exactly.
 */
function fieldOf(v: Record<string, unknown>, currency = 'CNY'): { field: PlanChangeField; value?: number } {
  const chosen: Array<{ field: PlanChangeField; value?: number }> = [];
  const per = minorPerMajor(currency);
  const digits = Math.round(Math.log10(per));
  const yuan = (name: string, raw: unknown): number => {
    const s = String(raw).trim();
    const m = /^(\d{1,13})(?:\.(\d+))?$/.exec(s);
    const frac = m?.[2] ?? '';
    if (!m || (frac.length > digits && /[1-9]/.test(frac.slice(digits)))) {
      throw new UsageError(`--${name} must be ${currency === 'CNY' ? 'yuan' : currency} with at most ${digits} decimals (got "${s.slice(0, 40)}")`);
    }
    return Number(m[1]) * per + Number((frac.slice(0, digits) || '0').padEnd(digits, '0') || '0');
  };
  if (v['daily-budget'] !== undefined) chosen.push({ field: 'dailyBudget', value: yuan('daily-budget', v['daily-budget']) });
  if (v.bid !== undefined) chosen.push({ field: 'bid', value: yuan('bid', v.bid) });
  if (v['roi-goal'] !== undefined) {
    const x = Number(String(v['roi-goal']).trim());
    if (!Number.isFinite(x)) throw new UsageError(`--roi-goal must be a number (got "${String(v['roi-goal']).slice(0, 40)}")`);
    chosen.push({ field: 'roiGoal', value: x });
  }
  if (v.pause) chosen.push({ field: 'pause' });
  if (v.resume) chosen.push({ field: 'resume' });
  if (chosen.length !== 1) throw new UsageError('ad takes exactly one of --daily-budget YUAN, --bid YUAN, --roi-goal X, --pause, --resume');
  return chosen[0]!;
}

export async function adCmd(argv: string[]): Promise<number> {
  const v = args(argv, {
    room: { type: 'string' },
    plan: { type: 'string' },
    'daily-budget': { type: 'string' },
    bid: { type: 'string' },
    'roi-goal': { type: 'string' },
    pause: { type: 'boolean' },
    resume: { type: 'boolean' },
    reason: { type: 'string' },
    by: { type: 'string' },
    'dry-run': { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (!v.room) throw new UsageError('ad needs --room ID (the room as the app shows it)');
  if (!v.plan) throw new UsageError('ad needs --plan PLAN (the plan id; several joined with ,)');
  const planIds = v.plan.split(',').map((s) => s.trim()).filter(Boolean);
  if (!planIds.every((p) => /^\d{1,20}$/.test(p))) throw new UsageError('--plan takes plan ids (千川 plans, GMV Max campaigns or LIVE sessions: digits), joined with ,');
  fieldOf(v); // the flags are checked before anything is opened
  const config = settings();
  const cfg = sourceConfigOf(config);
  const room = cfg ? planRooms(cfg).find((r) => r.roomId === v.room) : undefined;
  const spec = room?.sources.find((s) => s.kind === 'qianchuan');
  const tiktok = room?.sources.find((s) => s.kind === 'tiktok-shop');
  const vault = await accountsVault(config.dataDir);
  let port: PlatformPlanPort;
  let currency = 'CNY';
  if (spec && spec.kind === 'qianchuan' && config.platforms.qianchuan) {
    const acc = config.platforms.qianchuan;
    const client = new QianchuanClient({ base: acc.base, vault, account: { advertiserId: acc.advertiserId, appId: acc.appId } });
    port = new QianchuanPlanPort({ client, awemeId: spec.awemeId, todayCost: new Map() });
  } else if (tiktok && config.platforms.tiktokAds) {
    // TikTok GMV Max: the source is built to reach the account, never started (nothing polls).
    const acc = config.platforms.tiktokAds;
    const gmv = new GmvMaxSource({ sink: { name: 'gmv-max', push: () => undefined, priceOf: () => undefined }, api: { base: acc.base, appId: acc.appId, advertiserId: acc.advertiserId, storeId: acc.storeId }, vault, roomIds: () => null });
    const adv = await gmv.ensureAdvertiser();
    if (!adv.currency) throw new Error(`the GMV Max advertiser's currency ${adv.rawCurrency ? `"${adv.rawCurrency}" is not one the app keeps` : 'is not stated'}: no money change is made`);
    currency = adv.currency;
    port = new GmvMaxPlanPort(gmv);
  } else {
    throw new UsageError(`room ${v.room} has no ad account in this configuration: set LCR_SOURCE to include qianchuan (with LCR_QIANCHUAN_APP_ID, LCR_QIANCHUAN_ADVERTISER_ID), or tiktok-shop with a GMV Max account (LCR_TIKTOK_ADS_APP_ID, LCR_TIKTOK_ADS_ADVERTISER_ID, LCR_TIKTOK_ADS_STORE_ID), and --room to one of its rooms`);
  }
  const { field, value } = fieldOf(v, currency);
  const db = openForWriting(config.dataDir, 'lcr ad');
  try {
    const reader = new StoreReader(db);
    const write = directWrite(db);
    const saved = readSavedSettings(config.dataDir);
    const show = reader.listSessions().find((s) => s.roomId === v.room);
    const changes = new PlanChanges({
      port: () => port,
      history: (roomId, planId) => reader.adActions({ roomId, planId }),
      action: (id) => reader.adActions({ id })[0],
      rails: (roomId) => reader.guardRails(roomId) ?? { ...DEFAULT_GUARD_RAILS },
      show: () => (show ? { sessionId: show.sessionId, ts: show.endedAt ?? Math.max(show.startedAt, Date.now()) } : null),
      spendPerMin: () => null,
      operator: () => ({ byName: v.by?.trim().slice(0, 100) || saved.operatorName || null, byRole: saved.operatorRole ?? 'buyer' }),
      record: (actions) => write({ adActions: actions }),
    });
    const preview = await changes.preview({ roomId: v.room, planIds, field, value, reason: v.reason });
    if (v['dry-run'] || preview.blocked) {
      if (v.json) process.stdout.write(JSON.stringify({ preview }) + '\n');
      else printPreview(preview);
      return preview.blocked ? 1 : 0;
    }
    if (!show) throw new Error(`no show of room ${v.room} in the store to log the change in (start the app or lcr record on the room first)`);
    const outcome = await changes.apply({ roomId: v.room, previewId: preview.id });
    if (v.json) process.stdout.write(JSON.stringify({ preview, outcome }) + '\n');
    else {
      printPreview(preview);
      printOutcome(outcome);
    }
    return outcome.results.every((r) => r.outcome === 'confirmed') ? 0 : 1;
  } finally {
    db.close();
  }
}

const say = localiser('zh-CN');

function valueText(field: PlanChangeField, v: number | null, currency?: string): string {
  if (v === null) return '—';
  return field === 'roiGoal' ? v.toFixed(2) : formatMoneyFen(v, 'zh-CN', { precise: true, currency: currency ?? 'CNY' });
}

function printPreview(p: PlanChangePreview): void {
  for (const i of p.items) {
    console.error(`${i.name} (${i.planId}) ${say(`pc.field.${p.field}`)}: ${valueText(p.field, i.before, i.currency)} → ${valueText(p.field, i.after, i.currency)}${i.stepPct !== null ? ` (${i.stepPct > 0 ? '+' : ''}${i.stepPct.toFixed(0)}%)` : ''}`);
    for (const pr of [...i.problems, ...i.warnings]) console.error(`  ${i.problems.includes(pr) ? '✗' : '!'} ${isMessageKey(pr.code) ? say(pr.code, pr.params) : pr.code}`);
  }
  if (p.blocked) console.error(say('pc.blocked'));
}

function printOutcome(o: PlanChangeOutcome): void {
  for (const r of o.results) {
    console.log(`${r.planId}\t${r.outcome}\t${r.platformMessage ?? ''}${r.readBack !== null ? `\tread back: ${String(r.readBack)}` : ''}${r.requestId ? `\trequest_id ${r.requestId}` : ''}`);
  }
}
