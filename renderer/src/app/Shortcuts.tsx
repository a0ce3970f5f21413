import { useEffect } from 'react';
import { appStore, selectRoom, setLocale } from '../lib/store.ts';
import { useApp, useT } from '../lib/hooks.ts';
import type { Transport } from '../lib/transport.ts';
import type { MessageKey } from '../../../shared/i18n/messages.ts';
import { acceptSuggestion, cancelDismiss, focusNext, startDismiss } from '../features/suggest/suggest-actions.ts';

const KEYS: Array<[string, MessageKey]> = [
  ['?', 'keys.help'],
  ['G', 'keys.grid'],
  ['1 … 9', 'keys.room'],
  ['B', 'keys.big'],
  ['L', 'keys.lang'],
  ['Z', 'keys.zoom'],
  ['S', 'keys.settings'],
  ['T', 'keys.ads'],
  ['R', 'keys.retro'],
  ['A', 'keys.accept'],
  ['D', 'keys.dismiss'],
  ['N', 'keys.nextSuggestion'],
  ['Esc', 'keys.esc'],
];

/** One-key operation for a busy night, and the `?` help that lists the keys. */
export function useShortcuts(transport: Transport): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || target.isContentEditable)) return;
      const st = appStore.getState();
      if (e.key === '?') appStore.setState({ helpOpen: !st.helpOpen });
      else if (e.key === 'Escape') {
        appStore.setState({ helpOpen: false, bigScreen: false, settingsOpen: false });
        cancelDismiss();
      } else if ((e.key === 'a' || e.key === 'A') && st.view === 'room' && st.roomTab === 'live' && !st.settingsOpen) void acceptSuggestion(transport);
      else if ((e.key === 'd' || e.key === 'D') && st.view === 'room' && st.roomTab === 'live' && !st.settingsOpen) startDismiss();
      else if ((e.key === 'n' || e.key === 'N') && st.view === 'room' && st.roomTab === 'live') focusNext();
      else if ((e.key === 't' || e.key === 'T') && !st.settingsOpen) appStore.setState({ view: 'room', roomTab: st.roomTab === 'ads' ? 'live' : 'ads' });
      else if ((e.key === 'r' || e.key === 'R') && !st.settingsOpen) appStore.setState({ view: st.view === 'retro' ? 'room' : 'retro' });
      else if (e.key === 's' || e.key === 'S') appStore.setState({ settingsOpen: true });
      else if (e.key === 'g' || e.key === 'G') appStore.setState({ view: st.view === 'grid' ? 'room' : 'grid' });
      else if (e.key === 'b' || e.key === 'B') appStore.setState({ bigScreen: !st.bigScreen });
      else if (e.key === 'l' || e.key === 'L') setLocale(st.locale === 'zh-CN' ? 'en' : 'zh-CN');
      else if (e.key === 'z' || e.key === 'Z') {
        const order = [10, 30, 60, 0] as const;
        appStore.setState({ zoom: order[(order.indexOf(st.zoom) + 1) % order.length]! });
      } else if (/^[1-9]$/.test(e.key)) {
        const room = st.rooms[Number(e.key) - 1];
        if (room) {
          appStore.setState({ view: 'room' });
          void selectRoom(transport, room.roomId);
        }
      } else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [transport]);
}

export function ShortcutHelp() {
  const t = useT();
  const open = useApp((s) => s.helpOpen);
  if (!open) return null;
  return (
    <div className="overlay" role="dialog" aria-label={t('keys.title')} data-testid="shortcut-help" onClick={() => appStore.setState({ helpOpen: false })}>
      <div className="dialog" onClick={(e) => e.stopPropagation()}>
        <h2>{t('keys.title')}</h2>
        <table>
          <tbody>
            {KEYS.map(([k, label]) => (
              <tr key={k}>
                <td>
                  <kbd>{k}</kbd>
                </td>
                <td>{t(label)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
