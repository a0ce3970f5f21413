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
import { readSavedSettings } from '../settings/saved.ts';
import { DEFAULT_GUARD_RAILS, type PlanChangeField, type PlanChangeOutcome, type PlanChangePreview } from '../../../shared/ads/plan-changes.ts';
import { formatMoneyFen } from '../../../shared/format.ts';
import { localiser } from '../../../shared/i18n/localiser.ts';
import { isMessageKey } from '../../../shared/i18n/localiser.ts';
import { accountsVault } from './record.ts';
import { UsageError, args, openForWriting, settings } from './common.ts';

function fieldOf(v: Record<string, unknown>): { field: PlanChangeField; value?: number } {
  const chosen: Array<{ field: PlanChangeField; value?: number }> = [];
  const yuan = (name: string, raw: unknown): number => {
    const s = String(raw).trim();
    if (!/^\d+(\.\d{1,2})?$/.test(s)) throw new UsageError(`--${name} must be yuan with at most two decimals (got "${s.slice(0, 40)}")`);
    return Math.round(Number(s) * 100);
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
  if (!planIds.every((p) => /^\d{1,20}$/.test(p))) throw new UsageError('--plan takes 千川 plan ids (digits), joined with ,');
  const { field, value } = fieldOf(v);
  const config = settings();
  const cfg = sourceConfigOf(config);
  const room = cfg ? planRooms(cfg).find((r) => r.roomId === v.room) : undefined;
  const spec = room?.sources.find((s) => s.kind === 'qianchuan');
  if (!spec || spec.kind !== 'qianchuan' || !config.platforms.qianchuan) {
    throw new UsageError(`room ${v.room} has no 千川 account in this configuration: set LCR_SOURCE to include qianchuan (with LCR_QIANCHUAN_APP_ID, LCR_QIANCHUAN_ADVERTISER_ID) and --room to one of its rooms`);
  }
  const acc = config.platforms.qianchuan;
  const vault = await accountsVault(config.dataDir);
  const client = new QianchuanClient({ base: acc.base, vault, account: { advertiserId: acc.advertiserId, appId: acc.appId } });
  const port = new QianchuanPlanPort({ client, awemeId: spec.awemeId, todayCost: new Map() });
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

function valueText(field: PlanChangeField, v: number | null): string {
  if (v === null) return '—';
  return field === 'roiGoal' ? v.toFixed(2) : formatMoneyFen(v, 'zh-CN', { precise: true });
}

function printPreview(p: PlanChangePreview): void {
  for (const i of p.items) {
    console.error(`${i.name} (${i.planId}) ${say(`pc.field.${p.field}`)}: ${valueText(p.field, i.before)} → ${valueText(p.field, i.after)}${i.stepPct !== null ? ` (${i.stepPct > 0 ? '+' : ''}${i.stepPct.toFixed(0)}%)` : ''}`);
    for (const pr of [...i.problems, ...i.warnings]) console.error(`  ${i.problems.includes(pr) ? '✗' : '!'} ${isMessageKey(pr.code) ? say(pr.code, pr.params) : pr.code}`);
  }
  if (p.blocked) console.error(say('pc.blocked'));
}

function printOutcome(o: PlanChangeOutcome): void {
  for (const r of o.results) {
    console.log(`${r.planId}\t${r.outcome}\t${r.platformMessage ?? ''}${r.readBack !== null ? `\tread back: ${String(r.readBack)}` : ''}${r.requestId ? `\trequest_id ${r.requestId}` : ''}`);
  }
}
