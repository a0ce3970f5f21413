/**
 * The Electron IPC door (docs/doors.md): what the window sends main (`lcr:request`, name and
 * arguments, from a sender frame), checked by electron/main/ipc-door.ts before main acts or
 * relays it; and what main posts the core's utility process (serve-core.ts's asRequest). Electron
 * itself cannot run here; the door is plain code and is driven directly with anything at all.
 */
import { describe, expect, it } from 'vitest';
import { checkIpcRequest } from '../../electron/main/ipc-door.ts';
import { asRequest } from '../../electron/core/host/serve-core.ts';
import { DEFAULT_TARGETS, RequestSchemas, isRequestName, type RequestName } from '../../shared/contract.ts';
import { checkDoor, fc } from '../helpers/fuzz.ts';
import { hostileString, hostileValue, mutated } from '../helpers/hostile.ts';

const RENDERER = 'file:///opt/Live%20Control%20Room/resources/app.asar/dist/renderer/index.html';
const NAMES = Object.keys(RequestSchemas) as RequestName[];

const sender = fc.oneof(
  fc.constantFrom(RENDERER, `${RENDERER}#retro`, `${RENDERER}?x=1`, `${RENDERER}/../other.html`, 'file:///etc/passwd', 'https://evil.example/', 'about:blank', 'devtools://devtools/bundled/x.html', RENDERER.toUpperCase()),
  hostileValue,
  hostileString,
);

describe('electron ipc door', () => {
  it('answers any sender, name and arguments without throwing; only our page with a valid request passes', () => {
    checkDoor(
      'electron ipc',
      'checkIpcRequest total',
      fc.property(sender, fc.oneof(fc.constantFrom(...NAMES), hostileValue), hostileValue, (from, name, args) => {
        const r = checkIpcRequest(from, RENDERER, name, args);
        if (r.ok) {
          expect(typeof from === 'string' && from.split('#')[0] === RENDERER).toBe(true);
          expect(isRequestName(name)).toBe(true);
          expect(RequestSchemas[name as RequestName].safeParse(args ?? {}).success).toBe(true);
        } else {
          expect(typeof r.error).toBe('string');
          expect(r.error.length).toBeLessThan(2000);
        }
      }),
      { scale: 10 },
    );
  });

  it('a valid request with fields broken passes only as its schema parses it', () => {
    const valid = fc.constant({ roomId: 'r', targets: { ...DEFAULT_TARGETS } });
    checkDoor(
      'electron ipc',
      'mutated setTargets',
      fc.property(mutated(valid), (args) => {
        const r = checkIpcRequest(RENDERER, RENDERER, 'setTargets', args);
        const parsed = RequestSchemas.setTargets.safeParse(args);
        expect(r.ok).toBe(parsed.success);
        if (r.ok && parsed.success) expect(r.value.args).toEqual(parsed.data);
      }),
      { scale: 5 },
    );
  });

  it("main → core messages: anything that is not a request is ignored, never thrown on", () => {
    checkDoor(
      'electron ipc',
      'utility host message',
      fc.property(fc.oneof(hostileValue, fc.record({ id: hostileValue, name: hostileValue, args: hostileValue })), (data) => {
        const r = asRequest(data);
        if (r) {
          expect(Number.isSafeInteger(r.id)).toBe(true);
          expect(typeof r.name).toBe('string');
        }
      }),
      { scale: 10 },
    );
  });
});
