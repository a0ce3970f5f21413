/**
 * Starts the 千川 emulator with a demo account so a person can point the app at it:
 *
 *   node --import tsx tests/emulators/run-qianchuan.ts [--port 7801] [--speed 10] [--seed 1]
 *
 * It prints the base URL, the app id/secret and a refresh token to enter in the app, and the ids
 * of the demo room and plans. Figures grow in real time (times `--speed`). Ctrl-C stops it.
 */
import { QianchuanEmulator } from './qianchuan/index.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} needs a number`);
  return v;
}

const speed = arg('speed', 1);
const started = Date.now();
const emu = await QianchuanEmulator.start({
  port: arg('port', 0),
  seed: arg('seed', 1),
  now: () => started + (Date.now() - started) * speed,
});
const room = emu.addRoom({
  title: '冬季新品专场',
  startedAt: emu.now() - 5 * 60_000,
  products: [
    { title: '加厚羊绒大衣', price: 899, stock: 120 },
    { title: '羊毛围巾', price: 129.9, stock: 300 },
    { title: '针织帽', price: 59, stock: 400 },
    { title: '保暖手套', price: 79, stock: 250 },
    { title: '羊绒衫', price: 399, stock: 200 },
  ],
});
const roiPlan = emu.addPlan({ name: '直播间成交-ROI', budget: 3000, roiGoal: 2.2 });
const bidPlan = emu.addPlan({ name: '直播间成交-出价', budget: 2000, bid: 45 });
const uniPlan = emu.addPlan({ name: '全域推广-直播', kind: 'uni', budget: 5000, roiGoal: 3 });
const tokens = emu.issueTokens();

console.log(`Qianchuan emulator: ${emu.url}`);
console.log(`  app_id:        ${emu.appId}`);
console.log(`  secret:        ${emu.secret}`);
console.log(`  refresh_token: ${tokens.refreshToken}`);
console.log(`  auth_code:     ${emu.authCode()}  (single use, 10 minutes)`);
console.log(`  advertiser_id: ${emu.advertiserId}   aweme_id: ${emu.awemeId}`);
console.log(`  room_id:       ${room.roomId}`);
console.log(`  plans:         ${roiPlan.adId} (ROI), ${bidPlan.adId} (bid), ${uniPlan.adId} (全域)`);
if (speed !== 1) console.log(`  time runs ×${speed}`);

const stop = (): void => {
  void emu.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
