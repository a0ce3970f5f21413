/**
 * Words of the real sources (F3, SOURCES.md): the settings' source picker and the connection
 * badge's per-source states. Merged into messages.ts.
 */
import type { SourceProblem } from '../contract.ts';

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
  'source.problem.roomNotFound': '直播间不存在或房间号有误，已停止连接，请检查房间号',
  'source.problem.roomEnded': '直播已结束或尚未开播，稍后自动再试',
  'source.problem.rateLimited': '数据来源限流，稍后自动再试',
  'source.problem.refused': '数据来源拒绝了请求（验证或权限），已停止连接',
  'source.problem.unreachable': '无法连接数据来源，正在重试',
  'source.retryAt': '下次尝试',
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
  'source.problem.roomNotFound': 'Room not found or wrong room id: stopped; check the room id',
  'source.problem.roomEnded': 'The broadcast has ended or not started: trying again later',
  'source.problem.rateLimited': 'The source is rate-limiting: trying again later',
  'source.problem.refused': 'The source refused the request (verification or permission): stopped',
  'source.problem.unreachable': 'Cannot reach the source: retrying',
  'source.retryAt': 'next try',
};

/**
 * A source problem in plain words for the log, Chinese first then English (the UI's order), with
 * the source's own words after them.
 */
export function sourceProblemLine(problem: SourceProblem, detail: string | null): string {
  const key = `source.problem.${problem}` as const;
  return `${sourceZh[key]} / ${sourceEn[key]}${detail ? ` — ${detail}` : ''}`;
}
