/**
 * Issue 13, defect 9: browser mode asked to listen beyond loopback (LCR_HOST=0.0.0.0) says so
 * plainly and prints where others reach it — without the token, which stays in the one Control
 * room line — and still answers only requests whose Host names this machine.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { startBrowserApp, type BrowserApp } from '../helpers/processes.ts';
import { machineAddresses } from '../../electron/core/host/http-guard.ts';
import { get } from '../helpers/raw-http.ts';
import { tempDir, waitFor } from '../helpers/util.ts';

const tiny = fileURLToPath(new URL('../fixtures/scenarios/tiny.json', import.meta.url));
let app: BrowserApp | undefined;
const { dir, cleanup } = tempDir();
afterAll(() => {
  if (app && app.child.exitCode === null) app.child.kill('SIGKILL');
  cleanup();
});

describe('LCR_HOST beyond loopback', () => {
  it('warns, lists the reachable addresses without the token, and checks Host', async () => {
    app = await startBrowserApp({ LCR_DATA_DIR: dir, LCR_SCENARIO: tiny, LCR_HOST: '0.0.0.0' });
    const u = new URL(app.url);
    const token = u.searchParams.get('token')!;
    expect(u.hostname).toBe('127.0.0.1');
    const warning = await waitFor(() => /WARNING: LCR_HOST=0\.0\.0\.0 listens beyond this computer.*\n.*Reachable at:.*/.exec(app!.output())?.[0], 'the warning');
    expect(warning).not.toContain(token);
    expect(app.output().split(token).length - 1).toBe(1);
    const lan = machineAddresses().filter((a) => /^\d+\.\d+\.\d+\.\d+$/.test(a) && !a.startsWith('127.'));
    for (const a of lan) expect(warning).toContain(`http://${a}:${u.port}/`);
    const port = Number(u.port);
    expect((await get(port, '/')).status).toBe(200);
    for (const a of lan) expect((await get(port, '/', `${a}:${port}`)).status, a).toBe(200);
    expect((await get(port, '/', `rebind.evil.example:${port}`)).status).toBe(421);
  });
});
