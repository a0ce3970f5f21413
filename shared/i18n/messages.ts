/**
 * UI words, Chinese first. Metric labels are the platforms' own wording (罗盘/Compass), so an
 * operator sees the same words as on the back-ends they are used to. Keys of `metric.*` are
 * METRICS.md's JSON keys.
 */
import type { Locale } from '../format.ts';

const zh = {
  'app.title': '直播中控室',
  'app.subtitle': 'Live Control Room',
  'metric.onlineNow': '在线人数',
  'metric.peakOnline': '最高在线人数',
  'metric.avgOnline': '平均在线人数',
  'metric.uv': '累计观看人数',
  'metric.pv': '观看次数',
  'metric.gmvFen': '成交金额',
  'metric.orders': '成交订单数',
  'metric.items': '成交件数',
  'metric.gpm': '千次观看成交金额',
  'metric.ctr': '商品点击率',
  'metric.clickToOrder': '点击成交转化率',
  'metric.viewToOrder': '看播成交转化率',
  'metric.uvValue': 'UV价值',
  'metric.avgWatchSec': '人均观看时长',
  'metric.newFollowers': '新增粉丝',
  'metric.fansclubJoins': '新加团人数',
  'metric.durationSec': '直播时长',
  'metric.adSpendFen': '消耗',
  'metric.roi': '整体支付ROI',
  'chart.title': '分钟趋势',
  'chart.onlineAvg': '平均在线',
  'chart.gmvPerMin': '每分钟成交金额',
  'chart.empty': '等待第一分钟的数据…',
  'room.pinned': '正在讲解：',
  'room.none': '无',
  'room.status.live': '直播中',
  'room.status.ended': '已结束',
  'room.status.scheduled': '未开播',
  'conn.connecting': '正在连接',
  'conn.live': '实时',
  'conn.reconnecting': '重连中',
  'conn.failed': '连接失败',
  'conn.stopped': '已停止',
  'conn.lag': '延迟',
  'conn.quarantined': '已隔离事件',
  'conn.source.embedded': '内置模拟器',
  'conn.source.relay': '数据源',
  'rooms.waiting': '正在等待直播间数据…',
  'lang.switch': 'EN',
} as const;

export type MessageKey = keyof typeof zh;

const en: Record<MessageKey, string> = {
  'app.title': 'Live Control Room',
  'app.subtitle': '直播中控室',
  'metric.onlineNow': 'Online now',
  'metric.peakOnline': 'Peak online',
  'metric.avgOnline': 'Avg online',
  'metric.uv': 'Viewers (UV)',
  'metric.pv': 'Views (PV)',
  'metric.gmvFen': 'GMV',
  'metric.orders': 'Orders',
  'metric.items': 'Items sold',
  'metric.gpm': 'GPM',
  'metric.ctr': 'Product CTR',
  'metric.clickToOrder': 'Click→order',
  'metric.viewToOrder': 'View→order',
  'metric.uvValue': 'UV value',
  'metric.avgWatchSec': 'Avg watch time',
  'metric.newFollowers': 'New followers',
  'metric.fansclubJoins': 'Fans-club joins',
  'metric.durationSec': 'Duration',
  'metric.adSpendFen': 'Ad spend',
  'metric.roi': 'ROI',
  'chart.title': 'Minute by minute',
  'chart.onlineAvg': 'Avg online',
  'chart.gmvPerMin': 'GMV per minute',
  'chart.empty': 'Waiting for the first minute…',
  'room.pinned': 'Explaining: ',
  'room.none': 'none',
  'room.status.live': 'Live',
  'room.status.ended': 'Ended',
  'room.status.scheduled': 'Scheduled',
  'conn.connecting': 'Connecting',
  'conn.live': 'Live',
  'conn.reconnecting': 'Reconnecting',
  'conn.failed': 'Failed',
  'conn.stopped': 'Stopped',
  'conn.lag': 'lag',
  'conn.quarantined': 'quarantined',
  'conn.source.embedded': 'Embedded simulator',
  'conn.source.relay': 'Feed',
  'rooms.waiting': 'Waiting for room data…',
  'lang.switch': '中文',
};

export const messages: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zh, en };

export function translate(locale: Locale, key: MessageKey): string {
  return messages[locale][key];
}
