/**
 * F2: the simulator relay. Plays scenario rooms (RoomSim) in compressed time and serves them
 * through the protocol relay, closed-loop: commands from the app go into the model.
 */
import { RelayServer } from '../feed/relay-server.ts';
import { RoomSim } from './model.ts';
import { readScenarioFile } from './scenario.ts';

export interface SimulatorOptions {
  scenarioFiles: string[];
  host?: string;
  port?: number;
  token?: string;
  /** Simulated seconds per real second, 1–60. */
  speed?: number;
  seed?: number | string;
  /** Real ms between batches. */
  batchMs?: number;
  /** Session start, epoch ms (default: now). */
  startedAt?: number;
}

export class Simulator {
  private timer: NodeJS.Timeout | null = null;
  private simMs = 0;
  private lastReal = 0;

  private constructor(
    readonly relay: RelayServer,
    readonly rooms: RoomSim[],
    readonly speed: number,
    private readonly batchMs: number,
  ) {}

  static async start(opts: SimulatorOptions): Promise<Simulator> {
    const speed = opts.speed ?? 1;
    if (!(speed >= 1 && speed <= 60)) throw new Error(`speed must be between 1 and 60 (got ${speed})`);
    if (!opts.scenarioFiles.length) throw new Error('no scenario file given');
    const startedAt = opts.startedAt ?? Date.now();
    const seed = opts.seed ?? 1;
    const relay = new RelayServer({ host: opts.host, port: opts.port, token: opts.token });
    const rooms: RoomSim[] = [];
    for (const file of opts.scenarioFiles) {
      const scenario = readScenarioFile(file);
      const sim = new RoomSim(scenario, { seed, startedAt });
      if (rooms.some((r) => r.roomId === sim.roomId)) throw new Error(`two scenarios use the room id ${sim.roomId}`);
      rooms.push(sim);
      relay.addRoom({
        roomId: sim.roomId,
        platform: scenario.room.platform,
        title: scenario.room.title,
        onCommand: (command) => sim.command(command),
      });
    }
    await relay.listen();
    const s = new Simulator(relay, rooms, speed, opts.batchMs ?? 100);
    s.tick();
    s.timer = setInterval(() => s.tick(), s.batchMs);
    return s;
  }

  get url(): string {
    return this.relay.url;
  }

  get ended(): boolean {
    return this.rooms.every((r) => r.ended);
  }

  /** Advances simulated time by the real time elapsed × speed and streams what happened. */
  private tick(): void {
    const now = performance.now();
    // The first tick emits the session start; later ticks advance by elapsed real time, so a
    // stalled event loop catches up instead of slowing the show down.
    if (this.lastReal !== 0) this.simMs += (now - this.lastReal) * this.speed;
    this.lastReal = now;
    for (const sim of this.rooms) {
      const events = sim.advance(Math.floor(this.simMs));
      if (events.length) this.relay.publish(sim.roomId, events);
    }
    this.relay.flush();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.relay.close();
  }
}
