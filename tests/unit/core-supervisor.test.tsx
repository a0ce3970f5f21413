/**
 * Issue 13, defect 12: the desktop shell restarts a dead core with a growing delay, tells the
 * window in plain words (Chinese first), gives up after too many deaths in a short time, never
 * restarts a core that cannot start or one stopped on purpose — and the packaged binary's fuses
 * are set. The supervisor is plain TypeScript: driven here with a fake process and a fake clock.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { renderToStaticMarkup } from 'react-dom/server';
import { CoreSupervisor, type CoreNotice, type CoreProcess } from '../../electron/main/core-supervisor.ts';
import { appStore, connectStores } from '../../renderer/src/lib/store.ts';
import type { Transport } from '../../renderer/src/lib/transport.ts';
import type { Push } from '../../shared/contract.ts';
import { CoreNotices } from '../../renderer/src/app/CoreNotices.tsx';
import { ROOT } from '../helpers/processes.ts';

class FakeCore implements CoreProcess {
  private exit: ((code: number | null) => void) | null = null;
  killed = false;
  onExit(l: (code: number | null) => void): void {
    this.exit = l;
  }
  kill(): void {
    this.killed = true;
  }
  die(code: number | null = 1): void {
    this.exit?.(code);
  }
}

function rig(opts: { maxRestarts?: number; windowMs?: number } = {}) {
  let now = 0;
  const timers: Array<{ at: number; fn: () => void; cancelled: boolean }> = [];
  const procs: FakeCore[] = [];
  const notices: CoreNotice[] = [];
  const sup = new CoreSupervisor({
    spawn: () => {
      const p = new FakeCore();
      procs.push(p);
      return p;
    },
    notify: (n) => notices.push(n),
    now: () => now,
    setTimer: (fn, ms) => {
      const t = { at: now + ms, fn, cancelled: false };
      timers.push(t);
      return { cancel: () => (t.cancelled = true) };
    },
    ...opts,
  });
  const advance = (ms: number) => {
    now += ms;
    for (const t of timers.filter((x) => !x.cancelled && x.at <= now)) {
      t.cancelled = true;
      t.fn();
    }
  };
  return { sup, procs, notices, advance };
}

describe('the core supervisor', () => {
  it('restarts a dead core after a growing delay and says so, then that it is back', () => {
    const { sup, procs, notices, advance } = rig();
    sup.start();
    expect(procs).toHaveLength(1);
    procs[0]!.die(134);
    expect(notices.at(-1)).toEqual({ state: 'restarting', attempt: 1, inMs: 500, exitCode: 134 });
    expect(sup.current).toBe(null);
    advance(499);
    expect(procs).toHaveLength(1);
    advance(1);
    expect(procs).toHaveLength(2);
    sup.ready();
    expect(notices.at(-1)).toEqual({ state: 'running', restarts: 1 });
    procs[1]!.die(1);
    expect(notices.at(-1)).toMatchObject({ state: 'restarting', attempt: 2, inMs: 1000 });
    advance(1000);
    procs[2]!.die(1);
    expect(notices.at(-1)).toMatchObject({ attempt: 3, inMs: 2000 });
  });

  it('gives up after too many deaths in a short time, and says why', () => {
    const { sup, procs, notices, advance } = rig({ maxRestarts: 3, windowMs: 60_000 });
    sup.start();
    for (let i = 0; i < 3; i++) {
      procs.at(-1)!.die(1);
      advance(10_000);
    }
    expect(procs).toHaveLength(4);
    procs.at(-1)!.die(9);
    expect(notices.at(-1)).toMatchObject({ state: 'failed', attempts: 4 });
    expect((notices.at(-1) as { error: string }).error).toMatch(/stopped 4 times within 1 minutes \(last exit code 9\)/);
    advance(600_000);
    expect(procs).toHaveLength(4);
    expect(sup.state).toBe('failed');
  });

  it('counts only deaths within the window: a core that dies once a day keeps being restarted', () => {
    const { sup, procs, advance } = rig({ maxRestarts: 2, windowMs: 60_000 });
    sup.start();
    for (let i = 0; i < 10; i++) {
      procs.at(-1)!.die(1);
      advance(120_000);
    }
    expect(procs).toHaveLength(11);
    expect(sup.state).toBe('running');
  });

  it('does not restart a core stopped on purpose, nor one that cannot start', () => {
    const a = rig();
    a.sup.start();
    a.sup.stop();
    a.procs[0]!.die(0);
    a.advance(60_000);
    expect(a.procs).toHaveLength(1);
    expect(a.notices).toEqual([]);

    const b = rig();
    b.sup.start();
    b.sup.fatal('LCR_SPEED must be a number from 1 to 60');
    expect(b.procs[0]!.killed).toBe(true);
    b.procs[0]!.die(1);
    b.advance(60_000);
    expect(b.procs).toHaveLength(1);
    expect(b.notices).toEqual([{ state: 'failed', attempts: 0, error: 'LCR_SPEED must be a number from 1 to 60' }]);
  });
});

describe('the window shows what the core went through', () => {
  const initial = appStore.getState();
  appStore.getInitialState = () => appStore.getState();
  beforeEach(() => appStore.setState(initial, true));

  it("takes the shell's core pushes into the store, and re-reads everything once the core is back", () => {
    let push: (p: Push) => void = () => undefined;
    const asked: string[] = [];
    const transport = {
      request: (name: string) => {
        asked.push(name);
        return Promise.resolve({ ok: false, error: 'not in this test' });
      },
      onPush: (l: (p: Push) => void) => ((push = l), () => undefined),
      onState: () => () => undefined,
      downloadUrl: () => null,
    } as unknown as Transport;
    const off = connectStores(transport);
    push({ topic: 'core', payload: { state: 'warning', text: 'w1' } });
    push({ topic: 'core', payload: { state: 'warning', text: 'w1' } });
    push({ topic: 'core', payload: { state: 'restarting', attempt: 1, inMs: 500, exitCode: null } });
    expect(appStore.getState()).toMatchObject({ coreWarnings: ['w1'], coreNotice: { state: 'restarting' } });
    expect(asked).toEqual([]);
    push({ topic: 'core', payload: { state: 'running', restarts: 1 } });
    // Everything is re-read, starting with who this page is (its role decides what it asks).
    expect(asked).toEqual(['whoAmI']);
    off();
  });

  it('in Chinese first, in English when chosen, with the settings set aside', () => {
    appStore.setState({ coreNotice: { state: 'restarting', attempt: 2, inMs: 1000, exitCode: 1 }, coreWarnings: ['the saved scenario is set aside (no scenario file x)'] });
    const zh = renderToStaticMarkup(<CoreNotices />);
    expect(zh).toContain('后台核心意外停止，正在重启（第 2 次）');
    expect(zh).toContain('设置：the saved scenario is set aside');
    appStore.setState({ locale: 'en', coreNotice: { state: 'failed', attempts: 6, error: 'boom' } });
    expect(renderToStaticMarkup(<CoreNotices />)).toContain('The core keeps stopping (6 times); restart the app. The last error: boom');
    appStore.setState({ coreNotice: null, coreWarnings: [] });
    expect(renderToStaticMarkup(<CoreNotices />)).toBe('');
  });
});

describe('the packaged binary', () => {
  it('sets the Electron fuses (electron-builder electronFuses)', () => {
    const yml = readFileSync(`${ROOT}/electron-builder.yml`, 'utf8');
    const block = /^electronFuses:\n((?:[ ]+\S.*\n)+)/m.exec(yml)?.[1] ?? '';
    const fuses = Object.fromEntries([...block.matchAll(/^\s+(\w+):\s*(true|false)\s*$/gm)].map((m) => [m[1], m[2] === 'true']));
    expect(fuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
    // Every key is one electron-builder knows (a misspelt fuse would be silently ignored).
    const scheme = JSON.parse(readFileSync(`${ROOT}/node_modules/app-builder-lib/scheme.json`, 'utf8')) as { definitions: { FuseOptionsV1: { properties: Record<string, unknown> } } };
    for (const k of Object.keys(fuses)) expect(scheme.definitions.FuseOptionsV1.properties).toHaveProperty(k);
  });
});
