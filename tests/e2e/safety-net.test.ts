/**
 * Issue 13, defect 2: a fault that escaped every door (an unhandled rejection, an uncaught
 * exception) is logged in one line and the long-running hosts keep running — browser mode, the
 * Electron utility host, `lcr simulate` and `lcr record`. The faults are raised inside the real
 * processes through a real door (an HTTP request, a signal, a message from main) by
 * tests/helpers/fault-preload.mjs; the test then sees each process still answering.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { io } from 'socket.io-client';
import { lcr, startBrowserApp, ROOT } from '../helpers/processes.ts';
import { get } from '../helpers/raw-http.ts';
import { tempDir, waitFor } from '../helpers/util.ts';

const preload = fileURLToPath(new URL('../helpers/fault-preload.mjs', import.meta.url));
const tiny = fileURLToPath(new URL('../fixtures/scenarios/tiny.json', import.meta.url));
const faultEnv = { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${preload}`.trim() };
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** Both injected faults were logged, each in one line saying the process kept running. */
function expectLogged(output: string): void {
  expect(output).toMatch(/unhandled rejection \(kept running\): Error: injected fault: a promise nobody awaited/);
  expect(output).toMatch(/uncaught exception \(kept running\): Error: injected fault: a throw in a callback/);
}

describe('the safety net keeps the hosts alive', () => {
  it('browser mode: faults raised by a request are logged, the page and the UI channel still answer', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const app = await startBrowserApp({ ...faultEnv, LCR_DATA_DIR: dir, LCR_SCENARIO: tiny, LCR_SPEED: '60' });
    cleanups.push(() => app.child.exitCode === null && app.child.kill('SIGKILL'));
    const u = new URL(app.url);
    const port = Number(u.port);
    expect((await get(port, '/__fault')).status).toBe(202);
    await waitFor(() => /uncaught exception/.test(app.output()) && /unhandled rejection/.test(app.output()), 'the faults logged');
    expectLogged(app.output());
    expect(app.child.exitCode).toBe(null);
    expect((await get(port, '/')).status).toBe(200);
    const socket = io(`${u.origin}/ui`, { auth: { token: u.searchParams.get('token') }, transports: ['websocket'] });
    try {
      const r = (await socket.timeout(10_000).emitWithAck('request', 'getOverview', {})) as { ok: boolean };
      expect(r.ok).toBe(true);
    } finally {
      socket.close();
    }
    // Never the token in what was logged beyond the one Control room line.
    expect(app.output().split(u.searchParams.get('token')!).length - 1).toBe(1);
  });

  it('the Electron utility host: faults are logged, requests from main are still answered', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    let err = '';
    const child = fork(fileURLToPath(new URL('../helpers/core-host-child.ts', import.meta.url)), [], {
      cwd: ROOT,
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, LCR_DATA_DIR: dir, LCR_SCENARIO: tiny, LCR_SPEED: '60' },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    cleanups.push(() => child.exitCode === null && child.kill('SIGKILL'));
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const messages: Array<Record<string, unknown>> = [];
    child.on('message', (m) => messages.push(m as Record<string, unknown>));
    await waitFor(() => messages.some((m) => m.ready) || messages.find((m) => m.fatal), 'the core host ready', 30_000);
    expect(messages.find((m) => m.fatal)).toBeUndefined();
    child.send({ fault: true });
    // A message main would never send: ignored, not thrown on.
    child.send({ data: null });
    child.send({ data: { id: 'x' } });
    await waitFor(() => /uncaught exception/.test(err) && /unhandled rejection/.test(err), 'the faults logged');
    expectLogged(err);
    child.send({ data: { id: 7, name: 'getOverview', args: {} } });
    const reply = await waitFor(() => messages.find((m) => m.id === 7), 'the reply to a request after the faults');
    expect((reply.reply as { ok: boolean }).ok).toBe(true);
    expect(child.exitCode).toBe(null);
  });

  it('lcr simulate and lcr record: faults are logged, the relay serves and the recording finishes', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const sim = lcr(['simulate', '--scenario', tiny, '--speed', '60', '--token', 'tok'], faultEnv);
    cleanups.push(() => sim.child.exitCode === null && sim.child.kill('SIGKILL'));
    const relayUrl = await waitFor(() => /Relay: (\S+)/.exec(sim.stdout())?.[1], 'the Relay: line');
    expect((await get(Number(new URL(relayUrl).port), '/__fault')).status).toBe(202);
    await waitFor(() => /uncaught exception/.test(sim.stderr()) && /unhandled rejection/.test(sim.stderr()), 'the relay logged the faults');
    expectLogged(sim.stderr());

    const rec = lcr(['record', '--feed', relayUrl, '--token', 'tok', '--until-ended'], { ...faultEnv, LCR_DATA_DIR: dir });
    cleanups.push(() => rec.child.exitCode === null && rec.child.kill('SIGKILL'));
    await waitFor(() => /recording /.test(rec.stderr()), 'record started');
    rec.child.kill('SIGUSR2');
    await waitFor(() => /uncaught exception/.test(rec.stderr()) && /unhandled rejection/.test(rec.stderr()), 'record logged the faults');
    expectLogged(rec.stderr());
    expect(await rec.exited).toBe(0);
    expect(rec.stderr()).toMatch(/stopped; [1-9]\d* events stored/);
    expect(sim.child.exitCode).toBe(null);
  });
});
