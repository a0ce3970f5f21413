/**
 * Door "source: doudian push": bodies POSTed to the push receiver. Valid bodies are the platform's
 * (zsmhub/doudian-sdk `message/*`): a JSON array of `{ tag, msg_id, data }` with `data` a JSON string
 * whose `p_id` is a bare int64 beyond 2^53; beside them, hostile items and data, wrong types, deep
 * nesting, bodies that are not arrays or not JSON, repeated msg_ids and forged signatures.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DoudianPushReceiver, PUSH_FAIL, PUSH_SUCCESS, type PushMessage } from '../../electron/core/platforms/doudian/push.ts';
import { checkDoorAsync, fc } from '../helpers/fuzz.ts';
import { deepValue, hostileString, hostileValue } from '../helpers/hostile.ts';
import { breathe, doorTimeout } from '../helpers/source-doors.ts';
import { Bare, jsonWithBare } from '../helpers/upstream.ts';

const DOOR = 'source: doudian push';
const APP_KEY = '7100000000000000001';
const SECRET = 'door-secret';

const sign = (body: Buffer, secret = SECRET): string => createHash('md5').update(Buffer.concat([Buffer.from(APP_KEY), body, Buffer.from(secret)])).digest('hex');

/** A JSON text that JSON.stringify cannot write (too deep, a bigint) becomes ''. */
function asJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? '';
  } catch {
    return '';
  }
}

const tag = fc.constantFrom('101', '106', '200', '201', '206');
/** A valid message: `p` picks a parent id one apart from its neighbours beyond 2^53. */
const valid = fc.record({ tag, msg: fc.nat(30), p: fc.nat(9) });
type Valid = typeof valid extends fc.Arbitrary<infer V> ? V : never;
const pIdOf = (p: number): string => `692000000000000000${p}`;
const msgIdOf = (m: number): string => `73000000000000000${String(m).padStart(2, '0')}`;
const validItem = (v: Valid): Record<string, unknown> => ({ tag: v.tag, msg_id: msgIdOf(v.msg), data: jsonWithBare({ p_id: new Bare(pIdOf(v.p)), shop_id: new Bare('4463798'), order_status: 2, pay_amount: 8980, s_ids: [new Bare(`${pIdOf(v.p)}1`)] }) });

const badItem: fc.Arbitrary<unknown> = fc.oneof(
  hostileValue,
  fc.record({ tag: hostileValue, msg_id: hostileValue, data: hostileValue }),
  fc.record({ tag, msg_id: fc.constant('bad-1'), data: fc.oneof(hostileString, hostileValue.map(asJson)) }),
  fc.record({ tag, msg_id: fc.constant('bad-2'), data: fc.integer({ min: 500, max: 20_000 }).map((d) => `${'{"p_id":'.repeat(d)}1${'}'.repeat(d)}`) }),
  fc.record({ tag, msg_id: fc.constant('bad-3'), data: fc.bigInt({ min: 2n ** 70n, max: 2n ** 90n }).map((b) => `{"p_id":${b}}`) }),
);

/** A body: the text and whether it is signed correctly. */
const body = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.oneof({ weight: 3, arbitrary: valid.map((v) => ({ v })) }, { weight: 1, arbitrary: badItem.map((b) => ({ b })) }), { maxLength: 8 }) },
  { weight: 1, arbitrary: fc.oneof(hostileString, hostileValue.map(asJson), deepValue.map(asJson), fc.integer({ min: 500, max: 50_000 }).map((d) => '['.repeat(d))) },
);

describe('door: source: doudian push', () => {
  it('any body, signed or forged: never a throw, always a platform answer; each valid message handed on once with its exact p_id', async () => {
    const deliveries = fc.array(fc.tuple(body, fc.boolean()), { minLength: 1, maxLength: 10 });
    await checkDoorAsync(DOOR, 'any bodies', fc.asyncProperty(deliveries, async (ds) => {
      await breathe();
      const got: PushMessage[] = [];
      const r = new DoudianPushReceiver({ appKey: APP_KEY, appSecret: async () => SECRET, onMessage: (m) => got.push(m), port: 0 });
      const want = new Map<string, string>();
      for (const [b, forged] of ds) {
        const items = Array.isArray(b) ? b.map((x) => ('v' in x ? validItem(x.v) : x.b)) : null;
        const text = items ? asJson(items) : (b as string);
        const raw = Buffer.from(text, 'utf8');
        const answer = await r.handle({ appId: APP_KEY, eventSign: sign(raw, forged ? 'forged' : SECRET) }, raw);
        expect([200, 400, 401]).toContain(answer.status);
        expect(answer.body).toBe(answer.status === 200 ? PUSH_SUCCESS : PUSH_FAIL);
        if (forged) expect(answer.status).toBe(401);
        else if (items && text) {
          expect(answer.status).toBe(200);
          for (const x of b as Array<{ v?: Valid }>) if (x.v && !want.has(msgIdOf(x.v.msg))) want.set(msgIdOf(x.v.msg), pIdOf(x.v.p));
        }
      }
      // Each valid msg_id once, with the p_id its first delivery carried, exactly.
      const handed = got.filter((m) => /^730{15}\d{2}$/.test(m.msgId));
      expect(new Map(handed.map((m) => [m.msgId, m.pId]))).toEqual(want);
      expect(handed).toHaveLength(want.size);
      for (const m of got) expect([101, 106, 200, 201, 206]).toContain(m.tag);
    }), { scale: 2 });
  }, doorTimeout(2));
});
