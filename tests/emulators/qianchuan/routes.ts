/**
 * Every path the emulator serves, exactly as the official SDK spells it (`api/api_qianchuan_*_v10.go`,
 * `api/api_oauth2_*.go`): method, how the caller authenticates, and the handler. Paths end in '/'
 * like the SDK's; a path the SDK does not have answers HTTP 404.
 */
import type { Handler } from './context.ts';
import { flowPerformanceGet, productListGet, reportTodayLiveGet, todayLiveRoomDetailGet, todayLiveRoomGet } from './reads-live.ts';
import { adGet, logSearch, reportAdGet, uniPromotionList } from './reads-plans.ts';
import { adBidUpdate, adBudgetUpdate, adStatusUpdate, roiGoalUpdate, uniBudgetUpdate, uniRoi2GoalUpdate, uniStatusUpdate } from './writes.ts';

const QC = '/open_api/v1.0/qianchuan/';

export const PATHS = {
  accessToken: '/open_api/oauth2/access_token/',
  refreshToken: '/open_api/oauth2/refresh_token/',
  advertiserGet: '/open_api/oauth2/advertiser/get/',
  roomGet: `${QC}today_live/room/get/`,
  roomDetailGet: `${QC}today_live/room/detail/get/`,
  roomFlowPerformanceGet: `${QC}today_live/room/flow_performance/get/`,
  roomProductListGet: `${QC}today_live/room/product_list/get/`,
  reportTodayLiveGet: `${QC}report/today_live/get/`,
  adGet: `${QC}ad/get/`,
  reportAdGet: `${QC}report/ad/get/`,
  uniPromotionList: `${QC}uni_promotion/list/`,
  logSearch: `${QC}tools/log_search/`,
  adBudgetUpdate: `${QC}ad/budget/update/`,
  adBidUpdate: `${QC}ad/bid/update/`,
  adStatusUpdate: `${QC}ad/status/update/`,
  roiGoalUpdate: `${QC}roi/goal/update/`,
  uniBudgetUpdate: `${QC}uni_promotion/ad/budget/update/`,
  uniRoi2GoalUpdate: `${QC}uni_promotion/ad/roi2_goal/update/`,
  uniStatusUpdate: `${QC}uni_promotion/ad/status/update/`,
} as const;

export interface Route {
  method: 'GET' | 'POST';
  /** 'none': the OAuth exchanges; 'token': the Access-Token header; 'tokenOrQuery': also `?access_token=` (the SDK sends advertiser/get's that way). */
  auth: 'none' | 'token' | 'tokenOrQuery';
  /** A plan write: recorded in `writes()`. */
  write: boolean;
  /** Handled by the emulator class itself (OAuth) rather than a world handler. */
  handler: Handler | 'accessToken' | 'refreshToken' | 'advertiserGet';
}

const get = (handler: Handler): Route => ({ method: 'GET', auth: 'token', write: false, handler });
const post = (handler: Handler): Route => ({ method: 'POST', auth: 'token', write: true, handler });

export const ROUTES = new Map<string, Route>([
  [PATHS.accessToken, { method: 'POST', auth: 'none', write: false, handler: 'accessToken' }],
  [PATHS.refreshToken, { method: 'POST', auth: 'none', write: false, handler: 'refreshToken' }],
  [PATHS.advertiserGet, { method: 'GET', auth: 'tokenOrQuery', write: false, handler: 'advertiserGet' }],
  [PATHS.roomGet, get(todayLiveRoomGet)],
  [PATHS.roomDetailGet, get(todayLiveRoomDetailGet)],
  [PATHS.roomFlowPerformanceGet, get(flowPerformanceGet)],
  [PATHS.roomProductListGet, get(productListGet)],
  [PATHS.reportTodayLiveGet, get(reportTodayLiveGet)],
  [PATHS.adGet, get(adGet)],
  [PATHS.reportAdGet, get(reportAdGet)],
  [PATHS.uniPromotionList, get(uniPromotionList)],
  [PATHS.logSearch, get(logSearch)],
  [PATHS.adBudgetUpdate, post(adBudgetUpdate)],
  [PATHS.adBidUpdate, post(adBidUpdate)],
  [PATHS.adStatusUpdate, post(adStatusUpdate)],
  [PATHS.roiGoalUpdate, post(roiGoalUpdate)],
  [PATHS.uniBudgetUpdate, post(uniBudgetUpdate)],
  [PATHS.uniRoi2GoalUpdate, post(uniRoi2GoalUpdate)],
  [PATHS.uniStatusUpdate, post(uniStatusUpdate)],
]);

/** A path as tests may name it — full (`/open_api/…/ad/get/`), or short (`ad/get`, `oauth2/refresh_token`). */
export function normalizePath(path: string): string {
  let p = path.trim();
  if (!p.startsWith('/open_api/')) p = p.replace(/^\/+/, '').startsWith('oauth2/') ? `/open_api/${p.replace(/^\/+/, '')}` : `${QC}${p.replace(/^\/+/, '')}`;
  if (!p.endsWith('/')) p += '/';
  if (!ROUTES.has(p)) throw new Error(`qianchuan emulator: no such endpoint ${path}`);
  return p;
}
