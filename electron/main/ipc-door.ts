/**
 * The Electron IPC door: every request the window sends passes here before main acts on it or
 * relays it to the core — the sender must be our own page (not a frame, not a navigated-away
 * page), the name a request of the contract, the arguments what its zod schema accepts. Anything
 * else is answered `{ ok: false, error }`, never thrown. Plain TypeScript (no Electron) so the
 * property suite drives it directly.
 */
import { RequestSchemas, isRequestName, type Reply, type RequestName } from '../../shared/contract.ts';

export function checkIpcRequest(senderUrl: unknown, rendererUrl: string, name: unknown, args: unknown): Reply<{ name: RequestName; args: unknown }> {
  // The page's own URL, whatever its #fragment (the UI keeps its view there).
  if (typeof senderUrl !== 'string' || senderUrl.split('#')[0] !== rendererUrl) return { ok: false, error: 'forbidden sender' };
  if (!isRequestName(name)) return { ok: false, error: 'unknown request' };
  let parsed;
  try {
    parsed = RequestSchemas[name].safeParse(args ?? {});
  } catch (e) {
    // A getter that throws, a proxy: structured clone forbids them, but the door does not rely on it.
    return { ok: false, error: `bad arguments: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (!parsed.success) return { ok: false, error: `bad arguments: ${parsed.error.issues[0]?.message ?? ''}` };
  return { ok: true, value: { name, args: parsed.data } };
}
