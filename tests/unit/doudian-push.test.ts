/**
 * The 抖店 push receiver: bodies as the platform sends them (zsmhub/doudian-sdk `message/*`: a JSON
 * array of `{ tag, msg_id, data }`, `data` a JSON string whose int64 ids are bare numbers), signed
 * `event-sign` = md5(app_key + body + app_secret).
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { DoudianPushReceiver, LruSet, PUSH_FAIL, PUSH_SUCCESS, type PushMessage } from '../../electron/core/platforms/doudian/push.ts';

const APP_KEY = '7100000000000000001';
const SECRET = 'push-secret';
const P_ID = '6920000000000000123';

const sign = (body: string, secret = SECRET): string => createHash('md5').update(APP_KEY + body + secret).digest('hex');
const msg = (tag: string, msgId: string, data: string): Record<string, unknown> => ({ tag, msg_id: msgId, data });
const paid = (msgId: string, pId = P_ID): Record<string, unknown> => msg('101', msgId, `{"biz":2,"order_status":2,"order_type":0,"p_id":${pId},"pay_amount":8980,"pay_time":1720000000,"pay_type":1,"s_ids":[6920000000100000001],"shop_id":4463798}`);

function receiver(extra: Partial<ConstructorParameters<typeof DoudianPushReceiver>[0]> = {}) {
  const messages: PushMessage[] = [];
  const quarantined: string[] = [];
  const r = new DoudianPushReceiver({ appKey: APP_KEY, appSecret: async () => SECRET, onMessage: (m) => messages.push(m), onQuarantine: (reason) => quarantined.push(reason), port: 0, ...extra });
  const send = (items: unknown, opts: { secret?: string; appId?: string } = {}) => {
    const body = typeof items === 'string' ? items : JSON.stringify(items);
    return r.handle({ appId: opts.appId ?? APP_KEY, eventSign: sign(body, opts.secret) }, Buffer.from(body, 'utf8'));
  };
  return { r, messages, quarantined, send };
}

describe('抖店 push receiver', () => {
  it('hands on order tags with the exact parent order id and answers success', async () => {
    const { r, messages, send } = receiver();
    const refund = msg('206', 'm2', `{"aftersale_id":7100000000000123456,"aftersale_status":12,"aftersale_type":2,"p_id":${P_ID},"refund_amount":8980,"s_id":6920000000100000001,"shop_id":4463798,"success_time":1720000100}`);
    expect(await send([paid('m1'), refund])).toEqual({ status: 200, body: PUSH_SUCCESS });
    expect(messages.map((m) => [m.tag, m.msgId, m.pId])).toEqual([
      [101, 'm1', P_ID],
      [206, 'm2', P_ID],
    ]);
    expect(messages[1]!.data.aftersale_id).toBe('7100000000000123456');
    expect(r.stats).toMatchObject({ requests: 1, accepted: 1, messages: 2, duplicates: 0 });
  });

  it('de-duplicates on msg_id within a body and across deliveries', async () => {
    const { r, messages, send } = receiver();
    await send([paid('m1'), paid('m1')]);
    await send([paid('m1'), paid('m2', '6920000000000000124')]);
    expect(messages.map((m) => m.msgId)).toEqual(['m1', 'm2']);
    expect(r.stats.duplicates).toBe(2);
  });

  it('a bad signature or another app is refused 401 fail, counted, and nothing is handed on', async () => {
    const { r, messages, quarantined, send } = receiver();
    expect(await send([paid('m1')], { secret: 'guess' })).toEqual({ status: 401, body: PUSH_FAIL });
    expect(await send([paid('m1')], { appId: '7100000000000000002' })).toEqual({ status: 401, body: PUSH_FAIL });
    expect(await r.handle({ appId: APP_KEY, eventSign: undefined }, Buffer.from('[]'))).toEqual({ status: 401, body: PUSH_FAIL });
    expect(messages).toEqual([]);
    expect(r.stats.badSignature).toBe(3);
    expect(quarantined).toEqual(Array(3).fill('doudian push: bad signature (event-sign or app-id)'));
    // The message id was not remembered: the genuine delivery still counts.
    await send([paid('m1')]);
    expect(messages).toHaveLength(1);
  });

  it('a signed body that is not an array of messages is answered 400 fail', async () => {
    const { r, send } = receiver();
    for (const body of ['{"tag":"101"}', 'not json', '', '"x"']) expect(await send(body)).toEqual({ status: 400, body: PUSH_FAIL });
    expect(r.stats.malformed).toBe(4);
  });

  it('unreadable messages are quarantined, the rest of the batch is taken', async () => {
    const { r, messages, quarantined, send } = receiver();
    const answer = await send([null, msg('101', '', '{}'), { tag: 'x', msg_id: 'a' }, msg('101', 'b', '{not json'), msg('106', 'c', '{"cancel_time":1}'), msg('101', 'd', '[1]'), msg('102', 'e', '{}'), paid('f')]);
    expect(answer.status).toBe(200);
    expect(messages.map((m) => m.msgId)).toEqual(['f']);
    expect(quarantined).toEqual([
      'doudian push: a message is not an object',
      'doudian push: message without msg_id',
      'doudian push: message without a numeric tag',
      'doudian push: tag 101 message whose data is not JSON',
      'doudian push: tag 106 message without p_id',
      'doudian push: tag 101 message whose data is not an object',
    ]);
    expect(r.stats).toMatchObject({ malformed: 6, otherTags: 1 });
  });

  it('a numeric tag and msg_id, and data already an object, are read too', async () => {
    const { messages, send } = receiver();
    await send(`[{"tag":106,"msg_id":7300000000000000001,"data":{"p_id":${P_ID},"cancel_time":1720000000}}]`);
    expect(messages).toMatchObject([{ tag: 106, msgId: '7300000000000000001', pId: P_ID }]);
  });

  it('without a secret it asks the platform to send again; a failing consumer still gets a success answer', async () => {
    expect(await receiver({ appSecret: async () => null }).send([paid('m1')])).toEqual({ status: 503, body: PUSH_FAIL });
    expect(await receiver({ appSecret: () => Promise.reject(new Error('keychain locked')) }).send([paid('m1')])).toEqual({ status: 503, body: PUSH_FAIL });
    const throwing = receiver({
      onMessage: () => {
        throw new Error('boom');
      },
    });
    expect(await throwing.send([paid('m1')])).toEqual({ status: 200, body: PUSH_SUCCESS });
    expect(throwing.quarantined).toEqual(['doudian push: the consumer failed on a message (boom)']);
  });

  it('the LRU forgets the least recently seen id first', () => {
    const lru = new LruSet(2);
    expect([lru.add('a'), lru.add('b'), lru.add('a'), lru.add('c')]).toEqual([true, true, false, true]);
    // 'b' was the least recently seen: gone; 'a' was freshened: kept.
    expect([lru.add('a'), lru.add('b')]).toEqual([false, true]);
    expect(lru.size).toBe(2);
  });
});

describe('抖店 push receiver over HTTP', () => {
  let stop: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await stop?.();
    stop = null;
  });

  it('answers on its path only, POST only, and cuts bodies over the cap', async () => {
    const { r, messages } = receiver({ maxBodyBytes: 2048 });
    const url = await r.start();
    stop = () => r.stop();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/doudian\/push$/);
    const body = JSON.stringify([paid('h1')]);
    const post = (target: string, b: string, method = 'POST') => fetch(target, { method, headers: { 'app-id': APP_KEY, 'event-sign': sign(b) }, body: method === 'GET' ? undefined : b });
    const ok = await post(url, body);
    expect([ok.status, await ok.text()]).toEqual([200, PUSH_SUCCESS]);
    expect(messages.map((m) => m.msgId)).toEqual(['h1']);
    expect((await post(url.replace('/doudian/push', '/other'), body)).status).toBe(404);
    expect((await post(url, body, 'GET')).status).toBe(405);
    const huge = JSON.stringify([paid('h2'), msg('102', 'pad', 'x'.repeat(4000))]);
    const big = await post(url, huge).catch(() => null);
    if (big) expect(big.status).toBe(413);
    expect(r.stats.tooLarge).toBe(1);
    expect(messages).toHaveLength(1);
  });
});
