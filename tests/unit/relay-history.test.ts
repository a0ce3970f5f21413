/** The relay's resume history is bounded when asked to be (a bridge in front of a real room). */
import { afterEach, describe, expect, it } from 'vitest';
import { RelayServer } from '../../electron/core/feed/relay-server.ts';

let relay: RelayServer | undefined;
afterEach(async () => {
  await relay?.close();
  relay = undefined;
});

describe('RelayServer maxHistory', () => {
  it('keeps at most a quarter over the cap, the newest, with contiguous seqs', async () => {
    relay = new RelayServer({ maxHistory: 100 });
    relay.addRoom({ roomId: 'r', platform: 'tiktok', title: 'r' });
    relay.publish('r', [{ ts: 1, type: 'session', status: 'live', startedAt: 1 }]);
    for (let i = 0; i < 1000; i++) relay.publish('r', [{ ts: 2 + i, type: 'enter', n: 1 }]);
    const h = relay.history('r');
    expect(h.length).toBeGreaterThanOrEqual(100);
    expect(h.length).toBeLessThanOrEqual(125);
    expect(h.at(-1)!.seq).toBe(1001);
    h.forEach((e, i) => i > 0 && expect(e.seq).toBe(h[i - 1]!.seq + 1));
    expect(relay.info('r')!.lastSeq).toBe(1001);
  });

  it('keeps the whole session without a cap', () => {
    relay = new RelayServer();
    relay.addRoom({ roomId: 'r', platform: 'sim', title: 'r' });
    for (let i = 0; i < 1000; i++) relay.publish('r', [{ ts: 2 + i, type: 'enter', n: 1 }]);
    expect(relay.history('r')).toHaveLength(1000);
  });
});
