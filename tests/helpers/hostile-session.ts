/**
 * A recorded show whose every outside-provided text is hostile — formula starters for the
 * spreadsheets (OWASP CSV injection), markup for the HTML sinks — written straight into a real
 * store, for the export and chart tests. `startedAt` may be any number (dates beyond JS's range).
 */
import { StoreWriter, emptyBatch, type EventRow } from '../../electron/core/store/writer.ts';
import type { DB } from '../../electron/core/store/db.ts';

/** Texts a relay, an import or a person can put where a title, a note or a reason goes. */
export const HOSTILE_TEXTS = [
  "-2+3+cmd|' /C calc'!A0",
  "=cmd|' /C calc'!A0",
  '\t=1+1',
  '+SUM(1,2)',
  '@SUM(1)',
  '\r=1+1',
  '=HYPERLINK("http://x","y")',
  '<img src=x onerror=alert(1)>',
  '"><script>alert(1)</script>',
] as const;

export const XSS = '<img src=x onerror=alert(1)>';

export function writeHostileSession(db: DB, opts: { roomId?: string; startedAt?: number; title?: string } = {}): string {
  const roomId = opts.roomId ?? 'evil';
  const T0 = opts.startedAt ?? 1_700_000_000_000;
  const sessionId = `${roomId}@${T0}`;
  const s = (sec: number) => T0 + sec * 1000;
  const title = opts.title ?? HOSTILE_TEXTS.join(' ');
  const products = HOSTILE_TEXTS.map((t, i) => ({ id: i === 0 ? t : `p${i}`, title: t, priceFen: 1000 + i }));
  const bodies: Array<Record<string, unknown>> = [
    { type: 'session', status: 'live', startedAt: T0, ts: s(0), title },
    { type: 'catalog', ts: s(0), products },
    { type: 'viewers', ts: s(0), online: 10, uv: 10, pv: 10 },
    ...products.flatMap((p, i) => [
      { type: 'pin', ts: s(i * 20), productId: p.id },
      { type: 'exposure', ts: s(i * 20 + 1), productId: p.id, n: 50 },
      { type: 'click', ts: s(i * 20 + 2), productId: p.id, n: 5 },
      { type: 'order', ts: s(i * 20 + 3), orderId: `o${i}`, productId: p.id, qty: 1, amountFen: p.priceFen, status: 'paid', buyerId: `u${i}` },
      { type: 'comment', ts: s(i * 20 + 4), text: `${p.title} 多少钱`, nickname: p.title },
      { type: 'marker', ts: s(i * 20 + 5), kind: 'note', text: p.title },
    ]),
    { type: 'session', status: 'ended', startedAt: T0, ts: s(products.length * 20) },
  ];
  const events: EventRow[] = bodies.map((b, i) => ({ feed: 'hand', roomId, epoch: 0, seq: i + 1, sessionId, ts: b.ts as number, type: b.type as string, body: JSON.stringify({ seq: i + 1, ...b }) }));
  new StoreWriter(db).write({
    ...emptyBatch(),
    sessions: [{ sessionId, roomId, platform: '=douyin', title, startedAt: T0, endedAt: s(products.length * 20), feed: 'hand', epoch: 0, firstSeq: 1, lastSeq: events.length }],
    events,
    notes: HOSTILE_TEXTS.map((t, i) => ({ id: `n${i}`, sessionId, roomId, ts: s(i * 20), minute: Math.floor((i * 20) / 60), text: t, byName: t, createdAt: 1 })),
  });
  return sessionId;
}
