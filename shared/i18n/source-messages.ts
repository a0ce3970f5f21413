/**
 * Words of the real sources (SOURCES.md): the settings' source picker and the connection
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
  'source.problem.roomNotFound': '直播间不存在或房间号有误，已停止连接，请检查房间号',
  'source.problem.roomEnded': '直播已结束或尚未开播，稍后自动再试',
  'source.problem.rateLimited': '数据来源限流，稍后自动再试',
  'source.problem.refused': '数据来源拒绝了请求（验证或权限），已停止连接',
  'source.problem.unreachable': '无法连接数据来源，正在重试',
  'source.retryAt': '下次尝试',
  'source.name.tiktok-chat-reader': 'TikTok 直播（TikTok-Chat-Reader）',
  'source.name.douyin-webcast': '抖音直播（douyinLive）',
  'source.name.barrage-grab': '抖音直播（BarrageGrab）',
  'source.name.merchant-orders': '商家订单文件',
  'source.name.replay': '回放',
  'sourceTest.run': '测试连接',
  'sourceTest.running': '正在测试…',
  'sourceTest.ok': '连接正常',
  'sourceTest.failed': '测试未通过',
  'sourceTest.saveAnyway': '仍然保存',
  'sourceTest.badAddress': '地址 {address} 不是有效的网址：应以 http:// 或 ws:// 开头，例如 http://127.0.0.1:7070',
  'sourceTest.reached': '地址可以连通',
  'sourceTest.tokenRejected': '中继拒绝了令牌：请核对令牌（LCR_FEED_TOKEN），或留空使用已保存的令牌',
  'sourceTest.unreachable': '连不上这个地址（{detail}）：请确认中继已启动、地址和端口正确，防火墙允许连接',
  'sourceTest.notARelay': '这个地址有服务在运行，但不是直播数据中继：请核对端口',
  'sourceTest.relayRooms': '中继已连通：共 {count} 个直播间，其中 {live} 个正在直播',
  'sourceTest.roomFound': '直播间 {room}：中继上有',
  'sourceTest.roomMissing': '中继上没有直播间 {room}：请核对 ID（中继上的有：{available}）',
  'sourceTest.config': '配置不完整：{detail}',
  'sourceTest.sourceLive': '已连上 {target}，正在收到这个直播间的数据',
  'sourceTest.ordersOk': '订单文件可以读取',
  'sourceTest.problem.roomNotFound': '{target}：直播间不存在或房间号有误，请检查房间号',
  'sourceTest.problem.roomEnded': '{target}：已连上，但直播已结束或尚未开播；开播后会自动收到数据',
  'sourceTest.problem.rateLimited': '{target}：数据来源正在限流，请过几分钟再试',
  'sourceTest.problem.refused': '{target}：数据来源拒绝了请求（需要登录或权限）：请检查数据来源工具的设置',
  'sourceTest.problem.unreachable': '{target}：连不上数据来源工具：请确认它已启动、地址和端口正确',
  'sourceTest.failed.code': '{target}：连接失败（{detail}）',
  'sourceTest.noAnswer': '{target}：8 秒内没有回应：请确认数据来源工具已启动并已进入直播间',
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
  'source.name.tiktok-chat-reader': 'TikTok LIVE (TikTok-Chat-Reader)',
  'source.name.douyin-webcast': 'Douyin live (douyinLive)',
  'source.name.barrage-grab': 'Douyin live (BarrageGrab)',
  'source.name.merchant-orders': 'Merchant order file',
  'source.name.replay': 'Replay',
  'sourceTest.run': 'Test connection',
  'sourceTest.running': 'Testing…',
  'sourceTest.ok': 'Connection works',
  'sourceTest.failed': 'Test failed',
  'sourceTest.saveAnyway': 'Save anyway',
  'sourceTest.badAddress': '{address} is not a valid address: it starts with http:// or ws://, e.g. http://127.0.0.1:7070',
  'sourceTest.reached': 'The address answers',
  'sourceTest.tokenRejected': 'The relay refused the token: check it (LCR_FEED_TOKEN), or leave it empty to use the saved one',
  'sourceTest.unreachable': 'Cannot connect to this address ({detail}): check that the relay runs, the address and port, and the firewall',
  'sourceTest.notARelay': 'Something answers at this address, but it is not a live feed relay: check the port',
  'sourceTest.relayRooms': 'Relay connected: {count} rooms, {live} of them live',
  'sourceTest.roomFound': 'Room {room}: the relay has it',
  'sourceTest.roomMissing': 'The relay has no room {room}: check the id (it has: {available})',
  'sourceTest.config': 'Incomplete setting: {detail}',
  'sourceTest.sourceLive': 'Connected to {target}: this room’s data is arriving',
  'sourceTest.ordersOk': 'The order file can be read',
  'sourceTest.problem.roomNotFound': '{target}: the room does not exist or its id is wrong: check the id',
  'sourceTest.problem.roomEnded': '{target}: connected, but the broadcast has ended or not started; data comes once it is live',
  'sourceTest.problem.rateLimited': '{target}: the source is rate-limiting: try again in a few minutes',
  'sourceTest.problem.refused': '{target}: the source refused the request (a login or permission is needed): check the source tool',
  'sourceTest.problem.unreachable': '{target}: cannot reach the source tool: check that it runs, the address and port',
  'sourceTest.failed.code': '{target}: the connection failed ({detail})',
  'sourceTest.noAnswer': '{target}: no answer within 8 s: check that the source tool runs and has entered the room',
};

/**
 * The problems worded here (contract.ts's SourceProblem must be among them: core.ts passes one).
 * Named from the keys rather than imported, so the dictionaries import nothing of the app and
 * anything may say a word without an import cycle.
 */
type WordedProblem = { [K in keyof typeof sourceZh]: K extends `source.problem.${infer P}` ? P : never }[keyof typeof sourceZh];

/**
 * A source problem in plain words for the log, Chinese first then English (the UI's order), with
 * the source's own words after them.
 */
export function sourceProblemLine(problem: WordedProblem, detail: string | null): string {
  const key = `source.problem.${problem}` as const;
  return `${sourceZh[key]} / ${sourceEn[key]}${detail ? ` — ${detail}` : ''}`;
}
