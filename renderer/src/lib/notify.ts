/**
 * Alerts reach the operator even when the window is behind another one: a desktop notification
 * (the Notification API — native notifications in Electron, the browser's in browser mode) and,
 * when the room's settings ask for it, a short tone made with Web Audio (no sound file needed).
 *
 * Only what the core raised under the alert rules (shared/alerts/evaluate.ts: warm-up, minimum
 * duration, hysteresis, scaled thresholds, re-raise only when worse) reaches here, and only when
 * it is new and open — never a list loaded at start or after a reconnect. Alerts that land
 * together (a core catching up, several rooms at a minute's end) make one notification per room
 * and one tone, not a burst.
 */
import type { Alert } from '../../../shared/contract.ts';
import type { Locale } from '../../../shared/format.ts';
import { alertRoomName, alertText } from '../../../shared/alerts/text.ts';
import { translate } from '../../../shared/i18n/messages.ts';

/** Alerts arriving within this long of the first are announced together. */
export const NOTIFY_BATCH_MS = 1500;

export interface Notice {
  title: string;
  body: string;
  /** One per room: a newer notice of the room replaces the older one. */
  tag: string;
}

/** The notices for alerts that arrived together: per room its newest alert, the title saying how many more came with it. */
export function notices(batch: readonly Alert[], locale: Locale, rooms: ReadonlyArray<{ roomId: string; title: string }>): Notice[] {
  const byRoom = new Map<string, Alert[]>();
  for (const a of batch) byRoom.set(a.roomId, [...(byRoom.get(a.roomId) ?? []), a]);
  return [...byRoom.entries()].map(([roomId, list]) => {
    const newest = list.reduce((x, y) => (y.ts > x.ts ? y : x));
    const title = translate(locale, 'alerts.notifyTitle');
    const more = list.length > 1 ? ` · ${translate(locale, 'alerts.notifyMore').replace('{n}', String(list.length - 1))}` : '';
    const sep = locale === 'zh-CN' ? '：' : ': ';
    return { title: `${title}${more}`, body: `${alertRoomName(newest, rooms, locale)}${sep}${alertText(newest, locale)}`, tag: `lcr-alert-${roomId}` };
  });
}

interface NotifyState {
  locale: Locale;
  rooms: ReadonlyArray<{ roomId: string; title: string }>;
  targets: { sound: boolean };
}

let permissionAsked = false;
let pending: Alert[] = [];
let timer: ReturnType<typeof setTimeout> | null = null;

/** Queues a new open alert; the batch is announced NOTIFY_BATCH_MS after its first alert, with the state then. */
export function announceAlert(a: Alert, state: () => NotifyState): void {
  pending.push(a);
  if (timer) return;
  timer = setTimeout(() => {
    const batch = pending;
    pending = [];
    timer = null;
    const st = state();
    show(notices(batch, st.locale, st.rooms));
    if (st.targets.sound) beep();
  }, NOTIFY_BATCH_MS);
}

function show(list: readonly Notice[]): void {
  if (typeof Notification === 'undefined') return;
  if (Notification.permission === 'granted') {
    for (const n of list) new Notification(n.title, { body: n.body, tag: n.tag });
  } else if (Notification.permission === 'default' && !permissionAsked) {
    permissionAsked = true;
    void Notification.requestPermission();
  }
}

function beep(): void {
  try {
    const ctx = new AudioContext();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = 880;
    gain.gain.setValueAtTime(0.15, ctx.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + 0.4);
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.4);
    osc.onended = () => void ctx.close();
  } catch {
    // No audio device: the visual alert and the notification still stand.
  }
}
