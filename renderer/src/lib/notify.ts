/**
 * Alerts reach the operator even when the window is behind another one: a desktop notification
 * (the Notification API — native notifications in Electron, the browser's in browser mode) and,
 * when the room's settings ask for it, a short tone made with Web Audio (no sound file needed).
 */
import type { Alert, RoomView } from '../../../shared/contract.ts';
import type { Locale } from '../../../shared/format.ts';
import { alertText } from '../../../shared/alerts/text.ts';
import { translate } from '../../../shared/i18n/messages.ts';

let permissionAsked = false;

export function announceAlert(a: Alert, locale: Locale, rooms: RoomView[], sound: boolean): void {
  const room = rooms.find((r) => r.roomId === a.roomId)?.title ?? a.roomId;
  const body = `${room}：${alertText(a, locale)}`;
  if (typeof Notification !== 'undefined') {
    if (Notification.permission === 'granted') {
      new Notification(translate(locale, 'alerts.notifyTitle'), { body, tag: a.id });
    } else if (Notification.permission === 'default' && !permissionAsked) {
      permissionAsked = true;
      void Notification.requestPermission();
    }
  }
  if (sound) beep();
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
