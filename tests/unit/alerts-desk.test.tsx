/**
 * The alerts at the desk, rendered from a given store state (react-dom/server): the list names the
 * minute as people count it, the room by its title (a room not in this run by its show's title,
 * never its id) and who acknowledged; the top bar counts the open ones of every room; the
 * notifications of alerts that land together come one per room; a minute has one name everywhere.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { appStore } from '../../renderer/src/lib/store.ts';
import { AlertList } from '../../renderer/src/features/alerts/AlertList.tsx';
import { AlertsPanel } from '../../renderer/src/features/alerts/AlertsPanel.tsx';
import { AlertsButton } from '../../renderer/src/features/alerts/AlertsButton.tsx';
import { canOpen } from '../../renderer/src/features/alerts/alert-actions.ts';
import { notices } from '../../renderer/src/lib/notify.ts';
import { alertRoomName } from '../../shared/alerts/text.ts';
import { minuteColumn, minuteFromNumber, minuteLabel, minuteNumber, minuteRangeLabel } from '../../shared/minutes.ts';
import { whoText } from '../../shared/who.ts';
import type { Transport } from '../../renderer/src/lib/transport.ts';
import type { Alert, RoomView } from '../../shared/contract.ts';

const initial = appStore.getState();
appStore.getInitialState = () => appStore.getState();
beforeEach(() => appStore.setState(initial, true));

const T0 = 1_700_000_000_000;
const transport = {} as Transport;

function alert(roomId: string, minute: number, over: Partial<Alert> = {}): Alert {
  return {
    id: `${roomId}@1:onlineDrop::${minute}`, roomId, sessionId: `${roomId}@1`, kind: 'onlineDrop', ts: T0 + minute * 60_000, minute,
    params: { from: 3000, to: 1500, windowMin: 2 }, acknowledgedAt: null, acknowledgedBy: null, acknowledgedRole: null, ...over,
  };
}

function room(roomId: string, title: string): RoomView {
  return { roomId, platform: 'sim', title, status: 'live', session: { sessionId: `${roomId}@1`, roomId, platform: 'sim', title, startedAt: T0, endedAt: null }, kpis: null, windowEnd: T0 } as unknown as RoomView;
}

describe('one minute numbering (shared/minutes.ts)', () => {
  it('names index m as 第m+1分钟 / minute m+1, and reads a person’s number back', () => {
    expect(minuteLabel(10, 'zh-CN')).toBe('第11分钟');
    expect(minuteLabel(10, 'en')).toBe('minute 11');
    expect(minuteNumber(0)).toBe(1);
    expect(minuteFromNumber(17)).toBe(16);
    expect(minuteRangeLabel(10, 12, 'zh-CN')).toBe('第11–13分钟');
    expect(minuteRangeLabel(4, 4, 'en')).toBe('minute 5');
    expect(minuteColumn('zh-CN')).toBe('第几分钟');
  });
});

describe('the alert list', () => {
  it('names the minute 第m+1分钟, the room by its title and who acknowledged it', () => {
    appStore.setState({ rooms: [room('a', '大号直播间A'), room('b', '大号直播间B')], selectedRoomId: 'a', view: 'room' });
    const acked = alert('b', 6, { acknowledgedAt: T0 + 9 * 60_000, acknowledgedBy: '阿杰', acknowledgedRole: 'controller' });
    const html = renderToStaticMarkup(<AlertList alerts={[alert('a', 10), acked]} transport={transport} />);
    expect(html).toContain('<span class="alert-minute" data-testid="alert-minute">第11分钟</span>');
    expect(html).toContain('第7分钟');
    expect(html).not.toContain('10′');
    // The room on screen is not repeated; another room is named by its title.
    expect(html).toContain('data-testid="alert-room">大号直播间B<');
    expect(html).not.toContain('>大号直播间A<');
    expect(html).toMatch(/data-testid="alert-acked-by">阿杰（场控） 已确认 · \d{2}:\d{2}</);
    expect(html.match(/data-testid="alert-ack"/g)).toHaveLength(1);
    // Both rooms run this show: both open where they happened.
    expect(html.match(/data-openable="1"/g)).toHaveLength(2);
  });

  it('names a room not in this run by its show’s title, never its raw id, and does not offer to open it', () => {
    appStore.setState({ rooms: [room('a', '大号直播间A')], selectedRoomId: 'a', view: 'room' });
    const gone = alert('7390012345678', 3, { sessionId: '7390012345678@1', showTitle: '双11美妆专场' });
    const html = renderToStaticMarkup(<AlertList alerts={[gone]} transport={transport} />);
    expect(html).toContain('data-testid="alert-room">双11美妆专场<');
    expect(html).not.toContain('>7390012345678<');
    expect(html).not.toContain('data-openable');
    expect(alertRoomName({ roomId: '7390012345678' }, [], 'zh-CN')).toBe('另一场直播');
  });

  it('opens an alert only on the show it was raised in', () => {
    const rooms = [room('a', 'A')];
    expect(canOpen(alert('a', 3), rooms)).toBe(true);
    expect(canOpen(alert('a', 3, { sessionId: 'a@0' }), rooms)).toBe(false);
    expect(canOpen(alert('z', 3), rooms)).toBe(false);
  });

  it('offers to acknowledge all of the room on screen only when it has open alerts', () => {
    appStore.setState({ rooms: [room('a', 'A'), room('b', 'B')], selectedRoomId: 'a', alerts: [alert('b', 4)] });
    expect(renderToStaticMarkup(<AlertsPanel transport={transport} />)).not.toContain('alerts-ack-room');
    appStore.setState({ alerts: [alert('a', 5), alert('b', 4)] });
    expect(renderToStaticMarkup(<AlertsPanel transport={transport} />)).toContain('确认本直播间全部');
  });
});

describe('the top bar', () => {
  it('counts the open alerts of every room and lists them with 全部确认', () => {
    const acked = alert('a', 2, { acknowledgedAt: T0, acknowledgedBy: null, acknowledgedRole: null });
    appStore.setState({ rooms: [room('a', 'A'), room('b', 'B')], selectedRoomId: 'a', alerts: [alert('a', 9), alert('b', 4), acked] });
    const closed = renderToStaticMarkup(<AlertsButton transport={transport} />);
    expect(closed).toContain('data-open="2"');
    expect(closed).toContain('<b data-testid="topbar-alerts-count">2</b>');
    expect(closed).not.toContain('alerts-drawer');
    appStore.setState({ alertsOpen: true });
    const open = renderToStaticMarkup(<AlertsButton transport={transport} />);
    expect(open).toContain('2 条未确认');
    expect(open).toContain('全部确认');
    expect(open.match(/data-alert-id=/g)).toHaveLength(2);
  });

  it('shows 0 and no 全部确认 when nothing is open', () => {
    appStore.setState({ alerts: [], alertsOpen: true });
    const html = renderToStaticMarkup(<AlertsButton transport={transport} />);
    expect(html).toContain('data-open="0"');
    expect(html).not.toContain('alerts-ack-all');
  });
});

describe('notifications', () => {
  it('announce alerts that land together once per room, naming the room and how many more came', () => {
    const rooms = [room('a', '大号直播间A')];
    const list = notices([alert('a', 8), alert('a', 9, { id: 'a2', kind: 'ctr', params: { value: 0.02, target: 0.04 } }), alert('gone', 3, { showTitle: '昨晚专场' })], 'zh-CN', rooms);
    expect(list).toEqual([
      { title: '直播中控室预警 · 另有 1 条新预警', body: '大号直播间A：商品点击率 2.0% 低于目标 4.0%', tag: 'lcr-alert-a' },
      { title: '直播中控室预警', body: '昨晚专场：在线人数 2 分钟内从 3,000 降到 1,500', tag: 'lcr-alert-gone' },
    ]);
  });
});

describe('who', () => {
  it('words who did something from the settings’ name and role', () => {
    expect(whoText('阿杰', 'controller', 'zh-CN')).toBe('阿杰（场控）');
    expect(whoText('Ajie', 'controller', 'en')).toMatch(/^Ajie \(.+\)$/);
    expect(whoText(null, null, 'zh-CN')).toBe('未设置操作人');
  });
});
