/**
 * A stand-in for a TikTok-Chat-Reader server (SOURCES.md §1) on loopback: Socket.IO, the client
 * emits `setUniqueId(uniqueId, options)`, the server answers `tiktokConnected` and then streams a
 * small live room — `roomUser` viewer counts, `member` entries, `chat` comments (some asking
 * 链接 / 多少钱), `like` with a growing `totalLikeCount`, gift streaks, `follow`, `share` — every
 * `tickMs`, with flat payloads and `createTime` as ms strings like the real server. The test
 * reads what it sent (`viewers`, `likesTotal`, `comments`) to check what the app shows, and can
 * kill it, restart it on the same port, or end the stream.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';

const COMMENTS = ['主播好', '链接在哪', '多少钱', '有货吗', '好看', '尺码怎么选', '上链接', '已拍', '这个颜色好看'];

export class FakeTikTokChatReader {
  private http: HttpServer | null = null;
  private io: Server | null = null;
  private timer: NodeJS.Timeout | null = null;
  private sockets = new Set<Socket>();
  private n = 0;
  port = 0;
  /** What the room shows right now, as sent. */
  viewers = 0;
  likesTotal = 0;
  comments: string[] = [];
  asks: unknown[] = [];
  /** The broadcast's own start (roomInfo.create_time), kept across restarts like a real room. */
  readonly createdAt: number;

  constructor(private readonly opts: { tickMs?: number; title?: string; startedMinutesAgo?: number } = {}) {
    this.createdAt = Date.now() - (opts.startedMinutesAgo ?? 5) * 60_000;
  }

  async listen(port = this.port): Promise<void> {
    const http = createServer();
    const io = new Server(http);
    io.on('connection', (socket) => {
      socket.on('setUniqueId', (uniqueId: unknown) => {
        this.asks.push(uniqueId);
        this.sockets.add(socket);
        socket.emit('tiktokConnected', { isConnected: true, roomId: '7300000000000000001', roomInfo: { title: this.opts.title ?? 'TikTok Shop live', create_time: Math.floor(this.createdAt / 1000) } });
      });
      socket.on('disconnect', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', () => resolve()));
    this.http = http;
    this.io = io;
    this.port = (http.address() as AddressInfo).port;
    this.timer = setInterval(() => this.tick(), this.opts.tickMs ?? 200);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private msg(fields: Record<string, unknown>): Record<string, unknown> {
    const id = ++this.n;
    return { msgId: `m${id}`, createTime: String(Date.now()), userId: `u${id % 97}`, uniqueId: `viewer${id % 97}`, nickname: `观众${id % 97}`, ...fields };
  }

  private tick(): void {
    if (!this.sockets.size) return;
    this.viewers = 300 + Math.round(120 * Math.sin(this.n / 40)) + (this.n % 7);
    this.likesTotal += 15 + (this.n % 5);
    const comment = COMMENTS[this.n % COMMENTS.length]!;
    this.comments.push(comment);
    for (const s of this.sockets) {
      s.emit('roomUser', this.msg({ viewerCount: this.viewers }));
      s.emit('member', this.msg({}));
      s.emit('member', this.msg({}));
      s.emit('chat', this.msg({ comment }));
      s.emit('like', this.msg({ likeCount: 15, totalLikeCount: this.likesTotal }));
      if (this.n % 9 === 0) s.emit('follow', this.msg({}));
      if (this.n % 13 === 0) s.emit('share', this.msg({}));
      if (this.n % 11 === 0) {
        s.emit('gift', this.msg({ giftId: 5655, giftType: 1, diamondCount: 1, repeatCount: 3, repeatEnd: false }));
        s.emit('gift', this.msg({ giftId: 5655, giftType: 1, diamondCount: 1, repeatCount: 5, repeatEnd: true }));
      }
    }
  }

  /** The broadcast ends: every listener gets `streamEnd`. */
  endStream(): void {
    for (const s of this.sockets) s.emit('streamEnd', { action: 3 });
    this.sockets.clear();
  }

  /** Gone as a crash would go: connections dropped, the port closed. */
  async kill(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.sockets.clear();
    const io = this.io;
    this.io = null;
    this.http = null;
    if (!io) return;
    io.disconnectSockets(true);
    await new Promise<void>((resolve) => io.close(() => resolve()));
  }
}
