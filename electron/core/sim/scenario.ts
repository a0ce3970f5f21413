/**
 * Scenario files for the simulator (SCENARIO.md), validated with zod.
 *
 * The format is SCENARIO.md's, exactly; every field below that SCENARIO.md does not list is
 * OPTIONAL, so a scenario written from SCENARIO.md alone loads unchanged. Extensions:
 *
 * top level
 *   description?           free text for people choosing a scenario (not used by the model)
 *   refundRate?            share of paid orders refunded minutes later (default 0.04)
 * room
 *   platform               may be omitted (default "sim")
 * traffic
 *   searchPerMin?          entries from search (default 4 % of recommendPerMin)
 *   shortVideoPerMin?      entries from the room's short videos (default 6 % of recommendPerMin)
 *   otherPerMin?           entries from anywhere else: shares, the shop page (default 1 %)
 *   curve?                 [{ atMin, factor }] piecewise-linear baseline of recommend traffic
 *                          over the show (default flat 1) — e.g. a guest influencer's pull that
 *                          is strongest at the start and fades; waves multiply on top of it
 *   normalGpm?             the GPM (yuan per 1000 entries) the feed algorithm treats as
 *                          "average" for this room's tier; the snowball compares the room to
 *                          it. Default: what the run-of-show is expected to earn (so playing
 *                          the plan keeps traffic near recommendPerMin, and beating it grows it)
 *   paidCvrFactor?         how much more (or less) paid viewers buy than organic ones
 *                          (default 1.3: 千川 targets likely buyers); < 1 makes ads not pay
 *   paidStayFactor?        paid viewers' stay relative to organic ones (default 0.85)
 *   adSaturationFenPerMin? spend rate at which the ads' diminishing returns bite: impressions
 *                          per fen fall as 1/sqrt(1 + rate/this) (default 30000 = ¥300/min)
 *   adLagSec?              time constant of an ad plan's delivery following its budget
 *                          (default 60 s: most of a change shows within ~2–3 minutes)
 *   commentRate?           comments per online viewer per minute at normal engagement (0.05)
 *   likeRate?              likes per online viewer per minute at normal engagement (0.8)
 *   followRate?            share of new viewers who follow at normal engagement (0.02)
 *   giftRate?              gifts per online viewer per minute (0.002; influencer rooms more)
 *   giveawayEveryMin?      mean minutes between 福袋 giveaways (default 20; 0 = none)
 * ads[]
 *   paused?                the plan starts paused (default false)
 *   cpmFen?, paidEnterRate?  per-plan overrides of the traffic-level values
 * products[]
 *   costFen?, stock?, role?, tags?  as the catalog's Product (stock absent = unlimited)
 *   shortName?             what viewers call it in comments (default: the title's last 2 chars)
 *   asks?                  extra product-specific viewer questions (e.g. size questions
 *                          "160/100斤穿什么码"); asked mostly when clicks are high
 * products[].truth
 *   recoveryHalfLifeMin?   half-life of the lost freshness while the product rests
 *                          (default 1.5 × fatigueHalfLifeMin)
 *   bagWeight?             relative share of the shopping-bag (小黄车) browsing it gets when
 *                          not pinned (default by role: traffic 1.5, hero 1.3, profit 1, new 0.8)
 */
import { FileReadError, readBoundedFile } from '../files/bounded.ts';
import { z } from 'zod';
import { ProductRoles } from '../../../shared/protocol.ts';

const id = z.string().min(1).max(200);
const fen = z.number().int().nonnegative();
const rate = z.number().min(0).max(1);
const perMin = z.number().nonnegative().max(1_000_000);

const TruthSchema = z.object({
  ctr: rate,
  cvr: rate,
  fatigueHalfLifeMin: z.number().positive().max(100_000),
  hook: z.number().min(-0.5).max(3),
  recoveryHalfLifeMin: z.number().positive().max(100_000).optional(),
  bagWeight: z.number().nonnegative().max(100).optional(),
});

const ProductSpecSchema = z.object({
  id,
  title: z.string().min(1).max(500),
  priceFen: z.number().int().positive(),
  costFen: fen.optional(),
  stock: z.number().int().nonnegative().optional(),
  role: z.enum(ProductRoles).optional(),
  tags: z.array(z.string().max(100)).max(50).optional(),
  shortName: z.string().min(1).max(40).optional(),
  asks: z.array(z.string().min(1).max(200)).max(100).optional(),
  truth: TruthSchema,
});

const TrafficSchema = z.object({
  recommendPerMin: perMin,
  followPerMin: perMin,
  snowball: rate,
  staySec: z.number().positive().max(36_000),
  cpmFen: z.number().positive(),
  paidEnterRate: rate,
  searchPerMin: perMin.optional(),
  shortVideoPerMin: perMin.optional(),
  otherPerMin: perMin.optional(),
  curve: z.array(z.object({ atMin: z.number().nonnegative(), factor: z.number().nonnegative().max(100) })).max(1000).optional(),
  normalGpm: z.number().positive().optional(),
  paidCvrFactor: z.number().nonnegative().max(20).optional(),
  paidStayFactor: z.number().positive().max(10).optional(),
  adSaturationFenPerMin: z.number().positive().optional(),
  adLagSec: z.number().positive().max(3600).optional(),
  commentRate: z.number().nonnegative().max(10).optional(),
  likeRate: z.number().nonnegative().max(1000).optional(),
  followRate: rate.optional(),
  giftRate: z.number().nonnegative().max(10).optional(),
  giveawayEveryMin: z.number().nonnegative().optional(),
});

export const ScenarioSchema = z
  .object({
    room: z.object({
      roomId: id,
      platform: z.string().min(1).max(50).default('sim'),
      title: z.string().max(500),
    }),
    description: z.string().max(5000).optional(),
    durationMin: z.number().positive().max(24 * 60),
    refundRate: rate.optional(),
    traffic: TrafficSchema,
    ads: z.array(
      z.object({
        planId: id,
        budgetFenPerMin: fen,
        paused: z.boolean().optional(),
        cpmFen: z.number().positive().optional(),
        paidEnterRate: rate.optional(),
      }),
    ).max(50).default([]),
    products: z.array(ProductSpecSchema).min(1).max(5000),
    waves: z.array(z.object({ atMin: z.number().nonnegative(), factor: z.number().nonnegative().max(100), minutes: z.number().positive() })).max(1000).default([]),
    plan: z.array(z.object({ productId: id, minutes: z.number().positive().max(24 * 60) })).max(10_000).default([]),
  })
  .superRefine((s, ctx) => {
    // Cross-field rules zod's shape cannot say: ids that refer to each other must resolve.
    const seen = new Set<string>();
    s.products.forEach((p, i) => {
      if (seen.has(p.id)) ctx.addIssue({ code: 'custom', message: `duplicate product id "${p.id}"`, path: ['products', i, 'id'] });
      seen.add(p.id);
    });
    const plans = new Set<string>();
    s.ads.forEach((a, i) => {
      if (plans.has(a.planId)) ctx.addIssue({ code: 'custom', message: `duplicate planId "${a.planId}"`, path: ['ads', i, 'planId'] });
      plans.add(a.planId);
    });
    s.plan.forEach((item, i) => {
      if (!seen.has(item.productId)) ctx.addIssue({ code: 'custom', message: `unknown productId "${item.productId}"`, path: ['plan', i, 'productId'] });
    });
    const curve = s.traffic.curve ?? [];
    for (let i = 1; i < curve.length; i++) {
      if ((curve[i]?.atMin ?? 0) < (curve[i - 1]?.atMin ?? 0)) {
        ctx.addIssue({ code: 'custom', message: 'curve points must be in increasing atMin order', path: ['traffic', 'curve', i, 'atMin'] });
      }
    }
  });

export type Scenario = z.output<typeof ScenarioSchema>;
export type ScenarioInput = z.input<typeof ScenarioSchema>;
export type ScenarioProduct = Scenario['products'][number];

/** Validates a parsed scenario; throws an Error naming the path of the first problem. */
export function loadScenario(json: unknown): Scenario {
  const parsed = ScenarioSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length ? issue.path.map(String).join('.') : '(root)';
    throw new Error(`invalid scenario at ${where}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** Reads and validates a scenario file; errors name the file. */
/** A scenario of 5000 products with their texts is well under this. */
export const MAX_SCENARIO_BYTES = 16 * 1024 * 1024;

export function readScenarioFile(path: string): Scenario {
  let text: string;
  try {
    text = new TextDecoder('utf-8').decode(readBoundedFile(path, MAX_SCENARIO_BYTES, 'a scenario'));
  } catch (err) {
    throw new Error(`cannot read scenario ${path}: ${err instanceof FileReadError ? err.reason : (err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    // JSON.parse quotes the text around the error, line breaks and all: one line, cut.
    throw new Error(`scenario ${path} is not valid JSON: ${flat((err as Error).message)}`);
  }
  try {
    return loadScenario(json);
  } catch (err) {
    throw new Error(`${path}: ${flat((err as Error).message)}`);
  }
}

function flat(s: string): string {
  const one = s.replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' ');
  return one.length > 500 ? `${one.slice(0, 500)}…` : one;
}
