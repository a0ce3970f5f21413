/** What a relay sent: a fresh subscriber's view, to compare a store with. */
import { io } from 'socket.io-client';

/**
 * The relay's events of the room from seq 1, fetched by a fresh subscriber: up to `upTo`, or (by
 * default) up to the show's end.
 */
export async function relayEvents(url: string, token: string, roomId: string, upTo?: number): Promise<Array<{ seq: number }>> {
  const socket = io(url + '/feed', { auth: { token } });
  const got: Array<{ seq: number; type: string; status?: string }> = [];
  const done = () => (upTo === undefined ? got.at(-1)?.type === 'session' && got.at(-1)?.status === 'ended' : (got.at(-1)?.seq ?? 0) >= upTo);
  try {
    await new Promise<void>((resolve, reject) => {
      socket.on('connect_error', reject);
      socket.on('events', (m: { roomId: string; events: Array<{ seq: number; type: string; status?: string }> }) => {
        if (m.roomId !== roomId) return;
        for (const e of m.events) if ((upTo === undefined || e.seq <= upTo) && e.seq > (got.at(-1)?.seq ?? 0)) got.push(e);
        if (done()) resolve();
      });
      socket.on('connect', () => socket.emit('subscribe', { rooms: [{ roomId }] }, () => undefined));
    });
  } finally {
    socket.disconnect();
  }
  return got;
}
