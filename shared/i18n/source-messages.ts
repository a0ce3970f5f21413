/**
 * Words of the real sources (F3, SOURCES.md): the settings' source picker and the connection
 * badge's per-source states. Merged into messages.ts.
 */
export const sourceZh = {
  'settings.sourceKind': '数据来源',
  'settings.sourceAddress': '来源地址',
  'settings.rooms.tiktok': 'TikTok 账号（unique id，逗号分隔）',
  'settings.rooms.douyin': '抖音直播间 ID（逗号分隔）',
  'settings.ordersFile': '商家订单文件（JSONL，可选）',
  'source.kind.feed': '数据中继 / 内置模拟器',
  'source.kind.tiktok-chat-reader': 'TikTok 直播（TikTok-Chat-Reader）',
  'source.kind.douyin-ws': '抖音直播（douyinLive 解码消息）',
  'source.kind.barragegrab': '抖音直播（DouyinBarrageGrab）',
  'source.kind.replay': '回放已录制场次',
  'conn.source.tiktok-chat-reader': 'TikTok',
  'conn.source.douyin-ws': '抖音',
  'conn.source.barragegrab': '抖音 BarrageGrab',
  'conn.source.replay': '回放',
  'kpi.noOrders': '数据源不含订单',
} as const;

export type SourceMessageKey = keyof typeof sourceZh;

export const sourceEn: Record<SourceMessageKey, string> = {
  'settings.sourceKind': 'Source',
  'settings.sourceAddress': 'Source address',
  'settings.rooms.tiktok': 'TikTok accounts (unique ids, comma-separated)',
  'settings.rooms.douyin': 'Douyin live room ids (comma-separated)',
  'settings.ordersFile': 'Merchant order file (JSONL, optional)',
  'source.kind.feed': 'Feed relay / embedded simulator',
  'source.kind.tiktok-chat-reader': 'TikTok LIVE (TikTok-Chat-Reader)',
  'source.kind.douyin-ws': 'Douyin live (douyinLive decoded messages)',
  'source.kind.barragegrab': 'Douyin live (DouyinBarrageGrab)',
  'source.kind.replay': 'Replay a recorded show',
  'conn.source.tiktok-chat-reader': 'TikTok',
  'conn.source.douyin-ws': 'Douyin',
  'conn.source.barragegrab': 'Douyin BarrageGrab',
  'conn.source.replay': 'Replay',
  'kpi.noOrders': 'no orders in this source',
};
