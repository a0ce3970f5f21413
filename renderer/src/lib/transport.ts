/**
 * The UI's one door to the core. In the desktop app the preload script exposes `window.lcr`
 * (typed by LcrApi, IPC underneath); in browser mode the same calls travel over Socket.IO with
 * the token from the page URL. Components never know which.
 */
import { io, type Socket } from 'socket.io-client';
import type { LcrApi, Push, Reply, RequestArgs, RequestName, RequestResult } from '../../../shared/contract.ts';
import { UI_NAMESPACE } from '../../../shared/ui-channel.ts';

declare global {
  interface Window {
    lcr?: LcrApi;
  }
}

export type TransportState = 'connecting' | 'open' | 'unauthorized' | 'closed';

export interface Transport extends LcrApi {
  onState(listener: (s: TransportState) => void): () => void;
  /** Where the page can download an exported report (browser mode); null in the desktop app, which shows it in its folder. */
  downloadUrl(path: string): string | null;
}

export function createTransport(): Transport {
  if (window.lcr) return electronTransport(window.lcr);
  return socketTransport();
}

function electronTransport(api: LcrApi): Transport {
  return {
    request: (name, args) => api.request(name, args),
    onPush: (l) => api.onPush(l),
    onState: (l) => {
      l('open');
      return () => undefined;
    },
    downloadUrl: () => null,
  };
}

/** Requests that do real work on the core's side (a PDF printed by Chromium, a big report) get longer than a click's 15 s. */
const SLOW_REQUESTS: Partial<Record<RequestName, number>> = { exportReport: 180_000, getReport: 60_000, compareSessions: 60_000 };

function socketTransport(): Transport {
  const params = new URLSearchParams(location.search);
  const fromUrl = params.get('token');
  if (fromUrl) sessionStorage.setItem('lcr.token', fromUrl);
  const token = fromUrl ?? sessionStorage.getItem('lcr.token') ?? '';
  const socket: Socket = io(location.origin + UI_NAMESPACE, { auth: { token } });
  const pushListeners = new Set<(p: Push) => void>();
  const stateListeners = new Set<(s: TransportState) => void>();
  let state: TransportState = 'connecting';
  const setState = (s: TransportState) => {
    state = s;
    for (const l of stateListeners) l(s);
  };
  socket.on('connect', () => setState('open'));
  socket.on('disconnect', (reason) => {
    setState('closed');
    // The server ended this page (its invite link was revoked or expired): one more try tells the
    // page which (the handshake answers "unauthorized"), where Socket.IO would not retry at all.
    if (reason === 'io server disconnect') socket.connect();
  });
  socket.on('connect_error', (e: Error) => setState(e.message === 'unauthorized' ? 'unauthorized' : 'closed'));
  socket.on('push', (p: Push) => {
    for (const l of pushListeners) l(p);
  });
  return {
    async request<N extends RequestName>(name: N, args: RequestArgs<N>): Promise<Reply<RequestResult<N>>> {
      try {
        return (await socket.timeout(SLOW_REQUESTS[name] ?? 15_000).emitWithAck('request', name, args)) as Reply<RequestResult<N>>;
      } catch (e) {
        return { ok: false, error: e instanceof Error ? e.message : String(e) };
      }
    },
    onPush(l) {
      pushListeners.add(l);
      return () => pushListeners.delete(l);
    },
    onState(l) {
      stateListeners.add(l);
      l(state);
      return () => stateListeners.delete(l);
    },
    downloadUrl(path) {
      const name = path.split(/[\\/]/).pop() ?? '';
      return `${location.origin}/exports/${encodeURIComponent(name)}?token=${encodeURIComponent(token)}`;
    },
  };
}
