/**
 * Sentences the retrospective's builders write once in both languages, for a report the core
 * builds once and every reader reads in theirs (shared/i18n/localiser.ts's inBoth): the review's
 * estimate (R6) and the headline's callouts (R2). `{x}` are figures already formatted for the
 * sentence's language. Merged into messages.ts.
 */
export const proseZh = {
  'review.fee': '平台服务费 {pct}',
  'review.refund': '退款率 {pct}（{src}）',
  'review.refund.setting': '团队设置',
  'review.refund.learned': '往场学得',
  'review.refund.default': '默认值',
  'review.refund.observed': '本场实际',
  'review.costs': '商品成本取团队设置或商品库成本',
  'review.missingCosts': '{n} 个商品没有成本，未计入毛利',
  'review.noCosts': '没有商品成本数据，无法估算利润（在投放面板设置成本）',
  'review.observational': '观察性对比：采纳建议开始的讲解段 vs 屏幕上有其他商品建议时自行选择的讲解段。时机不同，差异仅供参考，不是因果结论。',
  'callout.targetMissed': '{kpi} {value}，低于目标 {target}（差 {gap}）',
  'callout.targetMet': '{kpi} {value}，达成目标 {target}（{change}）',
  'callout.best': '{kpi} {value}，近 {n} 场最好',
  'callout.worst': '{kpi} {value}，近 {n} 场最差',
  'callout.vsMean': '{kpi} {value}，比前 {n} 场均值 {change}',
} as const;

export type ProseMessageKey = keyof typeof proseZh;

export const proseEn: Record<ProseMessageKey, string> = {
  'review.fee': 'platform fee {pct}',
  'review.refund': 'refund rate {pct} ({src})',
  'review.refund.setting': "the team's setting",
  'review.refund.learned': 'learned from earlier shows',
  'review.refund.default': 'default',
  'review.refund.observed': "this show's actual",
  'review.costs': "cost of goods from the team's overrides or the catalog",
  'review.missingCosts': '{n} product(s) without a cost left out of the margin',
  'review.noCosts': 'no cost of goods known: profit cannot be estimated (set costs in the ad console)',
  'review.observational': 'Observational: segments begun by accepting a suggestion vs segments chosen while a suggestion for another product was on screen. Timing differs, so the gap is a pointer, not a measured effect.',
  'callout.targetMissed': '{kpi} {value}, below the target of {target} (short by {gap})',
  'callout.targetMet': '{kpi} {value}, target of {target} met ({change})',
  'callout.best': '{kpi} {value}: the best of the last {n} shows',
  'callout.worst': '{kpi} {value}: the worst of the last {n} shows',
  'callout.vsMean': '{kpi} {value}, {change} vs the mean of the previous {n}',
};
