/**
 * Words of the report's charts (shared/retro/chart-options.ts), drawn on the screen and printed
 * in the HTML/PDF export alike: the event strip's rows, the axes, the series and the tooltips.
 * Merged into messages.ts.
 */
export const chartZh = {
  'reportChart.lane.markers': '平台标记',
  'reportChart.lane.ads': '投放',
  'reportChart.lane.suggestions': '建议',
  'reportChart.lane.alerts': '预警',
  'reportChart.lane.notes': '备注',
  'reportChart.accepted': '采纳',
  'reportChart.dismissed': '拒绝',
  'reportChart.minuteTick': '{m}分',
  'reportChart.nothingExplained': '无讲解',
  'reportChart.online': '在线',
  'reportChart.onlineAvg': '平均在线',
  'reportChart.enters': '进入人数',
  'reportChart.gmv': '成交金额',
  'reportChart.orders': '订单',
  'reportChart.ctr': '点击率',
  'reportChart.perMinAxis': '每分钟成交',
  'reportChart.perMin': '每分钟成交',
  'reportChart.min': '分钟',
  'reportChart.events': '事件',
  'reportChart.baseline': '场均',
  'reportChart.demandAxis': '需求评论',
  'reportChart.demand': '需求评论',
} as const;

export type ChartMessageKey = keyof typeof chartZh;

export const chartEn: Record<ChartMessageKey, string> = {
  'reportChart.lane.markers': 'Markers',
  'reportChart.lane.ads': 'Ads',
  'reportChart.lane.suggestions': 'Suggestions',
  'reportChart.lane.alerts': 'Alerts',
  'reportChart.lane.notes': 'Notes',
  'reportChart.accepted': 'accepted',
  'reportChart.dismissed': 'dismissed',
  'reportChart.minuteTick': '{m}m',
  'reportChart.nothingExplained': 'nothing explained',
  'reportChart.online': 'Online',
  'reportChart.onlineAvg': 'Online (avg)',
  'reportChart.enters': 'Entries',
  'reportChart.gmv': 'GMV',
  'reportChart.orders': 'orders',
  'reportChart.ctr': 'CTR',
  'reportChart.perMinAxis': 'GMV / min',
  'reportChart.perMin': 'GMV per minute',
  'reportChart.min': 'min',
  'reportChart.events': 'Events',
  'reportChart.baseline': 'baseline',
  'reportChart.demandAxis': 'Demand',
  'reportChart.demand': 'Demand comments',
};
