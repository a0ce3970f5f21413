/**
 * The TikTok Shop webhook receiver: envelopes as the SDK's samples have them (`EventSamples/_/*.json`:
 * numeric `type`, `shop_id`, `timestamp`, `data`), signed `Authorization` = hex HMAC-SHA256(app_secret,
 * app_key + raw body). Generated bodies: never a throw, forged ones never used, each genuine order
 * notice handed on once with its exact order id.
 */
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { TikTokShopWebhookReceiver, WEBHOOK_FAIL, WEBHOOK_OK, webhookKind, type WebhookNotice } from '../../electron/core/platforms/tiktok-shop/webhook.ts';
import { checkDoorAsync, fc } from '../helpers/fuzz.ts';
import { hostileString, hostileValue } from '../helpers/hostile.ts';

const APP_KEY = '6a1b2c3d4e5f6';
const SECRET = 'hook-secret';
const SHOP = '7494049642642441621';
const ORDER = '576486316948490001';

const sign = (body: string, secret = SECRET): string => createHmac('sha256', secret).update(APP_KEY + body).digest('hex');
const envelope = (type: unknown, data: string, id?: string, shop = SHOP): string => `{"type":${JSON.stringify(type)},"shop_id":"${shop}","timestamp":1644412885,${id ? `"tts_notification_id":"${id}",` : ''}"data":${data}}`;
const orderData = (order = ORDER, status = 'AWAITING_SHIPMENT'): string => `{"order_id":${order},"order_status":"${status}","is_on_hold_order":false,"update_time":1644412885}`;

function receiver(extra: Partial<ConstructorParameters<typeof TikTokShopWebhookReceiver>[0]> = {}) {
  const notices: WebhookNotice[] = [];
  const quarantined: string[] = [];
  const r = new TikTokShopWebhookReceiver({ appKey: APP_KEY, appSecret: async () => SECRET, shopId: SHOP, onNotice: (n) => notices.push(n), onQuarantine: (reason) => quarantined.push(reason), port: 0, ...extra });
  const send = (body: string, secret?: string) => r.handle(sign(body, secret), Buffer.from(body, 'utf8'));
  return { r, notices, quarantined, send };
}

describe('TikTok Shop webhook receiver', () => {
  it('hands on order, return and cancellation notices with the exact order id', async () => {
    const { r, notices, send } = receiver();
    expect(await send(envelope(1, orderData(), 'n1'))).toEqual({ status: 200, body: WEBHOOK_OK });
    await send(envelope(12, `{"order_id":"${ORDER}","return_role":"BUYER","return_type":"REFUND","return_status":"RETURN_OR_REFUND_REQUEST_PENDING","return_id":"576486316948490001","create_time":1627587600,"update_time":1644412885}`, 'n2'));
    await send(envelope(11, `{"order_id":"${ORDER}","cancellations_role":"BUYER","cancel_status":"CANCELLATION_REQUEST_PENDING","cancel_id":"4035318504086604100","create_time":1627587600}`, 'n3'));
    await send(envelope('ORDER_STATUS_CHANGE', orderData('576486316948490002'), 'n4'));
    expect(notices.map((n) => [n.kind, n.orderId, n.shopId])).toEqual([
      ['orderStatus', ORDER, SHOP],
      ['return', ORDER, SHOP],
      ['cancellation', ORDER, SHOP],
      ['orderStatus', '576486316948490002', SHOP],
    ]);
    expect(r.stats).toMatchObject({ requests: 4, accepted: 4, notices: 4 });
  });

  it('an unknown numeric type is read by its data; package and product types are counted and dropped', () => {
    expect(webhookKind(99, { order_id: '1', order_status: 'X' })).toBe('orderStatus');
    expect(webhookKind(98, { order_id: '1', return_id: '2' })).toBe('return');
    expect(webhookKind(97, { order_id: '1', cancel_id: '2' })).toBe('cancellation');
    expect(webhookKind(4, { order_id: '1', order_status: 'X' })).toBe('other');
    expect(webhookKind(6, {})).toBe('deauthorized');
    expect(webhookKind(null, {})).toBeNull();
  });

  it('de-duplicates on tts_notification_id, or on the body when there is none', async () => {
    const { r, notices, send } = receiver();
    await send(envelope(1, orderData(), 'n1'));
    await send(envelope(1, orderData(), 'n1'));
    await send(envelope(1, orderData()));
    await send(envelope(1, orderData()));
    expect(notices).toHaveLength(2);
    expect(r.stats.duplicates).toBe(2);
  });

  it('a bad signature is refused 401, counted, nothing used; the genuine copy still counts', async () => {
    const { r, notices, quarantined, send } = receiver();
    const body = envelope(1, orderData(), 'n1');
    expect(await send(body, 'guess')).toEqual({ status: 401, body: WEBHOOK_FAIL });
    expect(await r.handle(undefined, Buffer.from(body))).toEqual({ status: 401, body: WEBHOOK_FAIL });
    expect(await r.handle(`Bearer ${sign(body)}`, Buffer.from(body))).toEqual({ status: 401, body: WEBHOOK_FAIL });
    expect(notices).toEqual([]);
    expect(r.stats.badSignature).toBe(3);
    expect(quarantined).toEqual(Array(3).fill('tiktok-shop webhook: bad signature (Authorization)'));
    await send(body);
    expect(notices).toHaveLength(1);
  });

  it('signed but unreadable bodies are taken (200) and quarantined; another shop is dropped; deauthorization handed on', async () => {
    const { r, notices, quarantined, send } = receiver();
    for (const body of ['not json', '[]', '{"type":1}', envelope(1, '{"order_status":"X"}', 'q1'), envelope(1, '{"order_id":"12a","order_status":"X"}', 'q2')]) expect((await send(body)).status).toBe(200);
    expect(quarantined).toEqual([
      'tiktok-shop webhook: the body is not a JSON object',
      'tiktok-shop webhook: the body is not a JSON object',
      'tiktok-shop webhook: notification without a data object',
      'tiktok-shop webhook: orderStatus notification without an order_id',
      'tiktok-shop webhook: orderStatus notification without an order_id',
    ]);
    await send(envelope(1, orderData(), 'o1', '7494049642642441622'));
    expect(r.stats.otherShop).toBe(1);
    await send(envelope(6, '{"message":"Shop is deauthorized"}', 'd1'));
    expect(notices.map((n) => n.kind)).toEqual(['deauthorized']);
    expect(r.stats.malformed).toBe(5);
  });

  it('without a secret it asks to be sent again; a failing consumer still gets 200', async () => {
    expect((await receiver({ appSecret: async () => null }).send(envelope(1, orderData(), 'x'))).status).toBe(503);
    const throwing = receiver({
      onNotice: () => {
        throw new Error('boom');
      },
    });
    expect((await throwing.send(envelope(1, orderData(), 'x'))).status).toBe(200);
    expect(throwing.quarantined).toEqual(['tiktok-shop webhook: the consumer failed on a notification (boom)']);
  });

  it('generated bodies, genuine or forged: never a throw; each genuine order notice handed on once, id exact', async () => {
    const valid = fc.record({ note: fc.nat(20), order: fc.nat(9), type: fc.constantFrom(1, 'ORDER_STATUS_CHANGE') });
    const body = fc.oneof(
      { weight: 3, arbitrary: valid.map((v) => ({ v, text: envelope(v.type, orderData(`57648631694849000${v.order}`), `tts-${v.note}`) })) },
      { weight: 1, arbitrary: fc.oneof(hostileString, hostileValue.map((h) => { try { return JSON.stringify(h) ?? ''; } catch { return ''; } })).map((text) => ({ v: null, text })) },
    );
    await checkDoorAsync('source: tiktok-shop webhook', 'any bodies', fc.asyncProperty(fc.array(fc.tuple(body, fc.boolean()), { minLength: 1, maxLength: 10 }), async (ds) => {
      const { r, notices } = receiver();
      const want = new Map<string, string>();
      for (const [b, forged] of ds) {
        const a = await r.handle(forged ? sign(b.text, 'forged') : sign(b.text), Buffer.from(b.text, 'utf8'));
        expect([200, 401]).toContain(a.status);
        if (forged) expect(a.status).toBe(401);
        // The first genuine copy of a notification id wins; later ones are duplicates.
        else if (b.v && !want.has(`tts-${b.v.note}`)) want.set(`tts-${b.v.note}`, `57648631694849000${b.v.order}`);
      }
      const got = new Map(notices.filter((n) => n.kind === 'orderStatus' && n.notificationId.startsWith('tts-')).map((n) => [n.notificationId, n.orderId]));
      expect(got).toEqual(want);
      expect(r.stats.badSignature).toBe(ds.filter(([, f]) => f).length);
    }));
  });
});

describe('TikTok Shop webhook receiver over HTTP', () => {
  let stop: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await stop?.();
    stop = null;
  });

  it('answers on its path only, POST only, and cuts bodies over the cap', async () => {
    const { r, notices } = receiver({ maxBodyBytes: 2048 });
    const url = await r.start();
    stop = () => r.stop();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/tiktok-shop\/webhook$/);
    const post = (target: string, b: string, method = 'POST') => fetch(target, { method, headers: { authorization: sign(b) }, body: method === 'GET' ? undefined : b });
    const body = envelope(1, orderData(), 'h1');
    const ok = await post(url, body);
    expect([ok.status, await ok.text()]).toEqual([200, WEBHOOK_OK]);
    expect(notices.map((n) => n.orderId)).toEqual([ORDER]);
    expect((await post(url.replace('/tiktok-shop/webhook', '/other'), body)).status).toBe(404);
    expect((await post(url, body, 'GET')).status).toBe(405);
    const big = await post(url, envelope(1, orderData(), `pad-${'x'.repeat(4000)}`)).catch(() => null);
    if (big) expect(big.status).toBe(413);
    expect(r.stats.tooLarge).toBe(1);
    expect(notices).toHaveLength(1);
  });
});
