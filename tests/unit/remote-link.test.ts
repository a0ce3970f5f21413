/** LCR_REMOTE, the desktop app pointed at a server's control room (electron/main/remote.ts): what it accepts, and that errors never print the token. */
import { describe, expect, it } from 'vitest';
import { remoteControlRoom, staysOnRemote, type RemoteControlRoom } from '../../electron/main/remote.ts';

const token = 'Zk3v9QeW1tY5uI8oP2aSdF';

describe('LCR_REMOTE', () => {
  it('is off when unset or blank', () => {
    expect(remoteControlRoom(undefined)).toBeNull();
    expect(remoteControlRoom('  ')).toBeNull();
  });

  it('takes the Control room line or an invite link, and knows what may be shown and where the page may go', () => {
    const r = remoteControlRoom(`https://lcr.example.com/?token=${token}`) as RemoteControlRoom;
    expect(r).toEqual({ url: `https://lcr.example.com/?token=${token}`, origin: 'https://lcr.example.com', shown: 'https://lcr.example.com/' });
    expect(staysOnRemote(r, `https://lcr.example.com/exports/show.pdf?token=${token}`)).toBe(true);
    expect(staysOnRemote(r, 'https://evil.example.com/')).toBe(false);
    expect(staysOnRemote(r, 'http://lcr.example.com/')).toBe(false); // not the same origin: no downgrade
    expect(staysOnRemote(r, 'not a url')).toBe(false);
    expect((remoteControlRoom(`http://192.168.1.20:8400/?token=${token}`) as RemoteControlRoom).origin).toBe('http://192.168.1.20:8400');
  });

  it('refuses what is not a link to a control room, saying why without the token', () => {
    for (const [value, says] of [
      ['lcr.example.com', /must be the link/],
      [`file:///etc/passwd?token=${token}`, /http\(s\) link/],
      [`javascript:alert(1)//?token=${token}`, /http\(s\) link/],
      [`https://user:${token}@lcr.example.com/?token=${token}`, /user name or password/],
      ['https://lcr.example.com/', /no token/],
      ['https://lcr.example.com/?token=short', /no token/],
    ] as const) {
      const r = remoteControlRoom(value);
      expect(r, value).toBeInstanceOf(Error);
      expect((r as Error).message).toMatch(says);
      expect((r as Error).message).not.toContain(token);
    }
  });
});
