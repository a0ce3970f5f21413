/**
 * The simulator relay. Plays scenario rooms (RoomSim) in compressed time and serves them
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
  /**
   * Simulated ms to play synchronously, as fast as the model runs, before the relay starts
   * listening (default 0). The relay then holds that history, so a client that subscribes gets
   * it as backlog and the show continues live from there: benchmarks and demos can start at
   * hour 7.5 of a show without waiting 7.5 hours (or 7.5 minutes at 60×).
   */
  fastForwardMs?: number;
  /**
   * Events per room the relay keeps for a resume (default SIM_RELAY_HISTORY). The embedded
   * simulator's client is the app on loopback and keeps up; an eight-hour show at 60× must not
   * hold its millions of events in memory. A fast-forward that must arrive whole as backlog
   * (a benchmark) sets it higher.
   */
  maxHistory?: number;
}

/** Half a minute of a busy room at 60× (minutes at 1×): ample for a reconnect on loopback, small beside a long show. */
export const SIM_RELAY_HISTORY = 20_000;

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
    const fastForwardMs = opts.fastForwardMs ?? 0;
    if (!(fastForwardMs >= 0 && Number.isFinite(fastForwardMs))) throw new Error(`fastForwardMs must be a finite number ≥ 0 (got ${fastForwardMs})`);
    const startedAt = opts.startedAt ?? Date.now();
    const seed = opts.seed ?? 1;
    const relay = new RelayServer({ host: opts.host, port: opts.port, token: opts.token, maxHistory: opts.maxHistory ?? SIM_RELAY_HISTORY });
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
    const s = new Simulator(relay, rooms, speed, opts.batchMs ?? 100);
    if (fastForwardMs > 0) {
      // One advance per simulated minute, so the relay's history is built in batch-sized
      // publishes as it would be live, not as one giant array (the model's output does not
      // depend on how advance() is called).
      for (let t = 0; t < fastForwardMs; t = Math.min(fastForwardMs, t + 60_000)) s.advanceTo(t);
      s.advanceTo(fastForwardMs);
    }
    await relay.listen();
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
    this.advanceTo(this.simMs);
  }

  private advanceTo(simMs: number): void {
    this.simMs = simMs;
    for (const sim of this.rooms) {
      const events = sim.advance(Math.floor(simMs));
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
