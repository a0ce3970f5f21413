import { useEffect, useState } from 'react';
import { useAppShallow, useT } from '../lib/hooks.ts';
import { appStore, setLocale } from '../lib/store.ts';
import { SOURCE_KINDS, type RoomTargets, type SettingsView, type SourceKind, type SourceTestResult } from '../../../shared/contract.ts';
import { fill } from '../../../shared/suggest/reasons.ts';
import type { MessageKey } from '../../../shared/i18n/messages.ts';
import type { Transport } from '../lib/transport.ts';

type TargetField = { key: keyof RoomTargets; label: MessageKey; percent: boolean; step: number };
const TARGET_FIELDS: TargetField[] = [
  { key: 'ctr', label: 'settings.ctr', percent: true, step: 0.1 },
  { key: 'clickToOrder', label: 'settings.clickToOrder', percent: true, step: 0.1 },
  { key: 'roi', label: 'settings.roi', percent: false, step: 0.1 },
  { key: 'tolerance', label: 'settings.tolerance', percent: true, step: 1 },
  { key: 'onlineDropPct', label: 'settings.onlineDropPct', percent: true, step: 1 },
  { key: 'onlineDropWindowMin', label: 'settings.onlineDropWindowMin', percent: false, step: 1 },
  { key: 'lowStockPct', label: 'settings.lowStockPct', percent: true, step: 1 },
];

/** L7: targets per room (applied at once), the data source (at the next start), language, data folder. */
export function SettingsDialog({ transport }: { transport: Transport }) {
  const t = useT();
  const { open, roomId, targets, locale, roomTitle } = useAppShallow((s) => ({
    open: s.settingsOpen,
    roomId: s.selectedRoomId,
    targets: s.targets,
    locale: s.locale,
    roomTitle: s.room?.title ?? '',
  }));
  const [draft, setDraft] = useState<RoomTargets>(targets);
  const [view, setView] = useState<SettingsView | null>(null);
  const [feed, setFeed] = useState({ feedUrl: '', feedToken: '', rooms: '', scenario: '', speed: '', seed: '', sourceAddress: '', ordersFile: '' });
  const [sourceKind, setSourceKind] = useState<SourceKind>('feed');
  const [message, setMessage] = useState<string | null>(null);
  const [operator, setOperator] = useState({ name: '', role: 'controller' });
  /**
   * The saved settings have arrived for this opening. Until then the operator and source fields
   * are disabled: the reply fills them, and would wipe whatever was typed before it came.
   */
  const [loaded, setLoaded] = useState(false);
  const [test, setTest] = useState<SourceTestResult | null>(null);
  const [testing, setTesting] = useState(false);

  useEffect(() => {
    if (!open) return;
    // Loaded once per opening: saving updates the store's targets, which must not reset the form.
    setDraft(appStore.getState().targets);
    setMessage(null);
    setTest(null);
    setLoaded(false);
    void transport.request('getSettings', {}).then((r) => {
      if (!r.ok) {
        setMessage(r.error);
        return;
      }
      setView(r.value);
      const s = r.value.saved;
      setFeed({
        feedUrl: s.feedUrl ?? '',
        feedToken: '',
        rooms: (s.rooms ?? []).join(','),
        scenario: s.scenario ?? '',
        speed: s.speed ? String(s.speed) : '',
        seed: s.seed ?? '',
        sourceAddress: s.sourceAddress ?? '',
        ordersFile: s.ordersFile ?? '',
      });
      setSourceKind(s.sourceKind ?? 'feed');
      setOperator({ name: s.operatorName ?? '', role: s.operatorRole ?? 'controller' });
      setLoaded(true);
    });
  }, [open, roomId, transport]);

  if (!open) return null;
  const close = () => appStore.setState({ settingsOpen: false });

  const saveTargets = async () => {
    if (!roomId) return;
    const r = await transport.request('setTargets', { roomId, targets: draft });
    if (r.ok) {
      appStore.setState({ targets: r.value });
      setMessage(t('settings.saved'));
    } else setMessage(r.error);
  };

  /** The relay or source as typed, tried for real (the core connects, then lets go). */
  const runTest = async (): Promise<SourceTestResult | null> => {
    const address = (sourceKind === 'feed' ? feed.feedUrl : feed.sourceAddress).trim();
    if (sourceKind === 'feed' && !address) return { ok: true, checks: [] }; // the embedded simulator
    setTesting(true);
    setTest(null);
    const rooms = feed.rooms.trim() ? feed.rooms.split(',').map((x) => x.trim()).filter(Boolean) : undefined;
    const r = await transport.request('testSource', {
      sourceKind,
      address,
      ...(feed.feedToken ? { feedToken: feed.feedToken } : {}),
      ...(rooms ? { rooms } : {}),
      ...(sourceKind !== 'feed' && feed.ordersFile.trim() ? { ordersFile: feed.ordersFile.trim() } : {}),
    });
    setTesting(false);
    if (!r.ok) {
      setMessage(r.error);
      return null;
    }
    setTest(r.value);
    return r.value;
  };

  /** Saved after a passing test; a failing one is shown and saving then needs a second, explicit click. */
  const saveFeed = async (anyway = false) => {
    if (!anyway) {
      const tested = await runTest();
      if (!tested) return;
      if (!tested.ok) {
        setMessage(t('sourceTest.failed'));
        return;
      }
    }
    const opt = (v: string) => (v.trim() ? v.trim() : null);
    const r = await transport.request('saveSettings', {
      settings: {
        feedUrl: opt(feed.feedUrl),
        ...(feed.feedToken ? { feedToken: feed.feedToken } : {}),
        rooms: feed.rooms.trim() ? feed.rooms.split(',').map((x) => x.trim()).filter(Boolean) : null,
        scenario: opt(feed.scenario),
        speed: feed.speed ? Number(feed.speed) : null,
        seed: opt(feed.seed),
        sourceKind,
        sourceAddress: sourceKind === 'feed' ? null : opt(feed.sourceAddress),
        ordersFile: opt(feed.ordersFile),
      },
    });
    if (r.ok) {
      setView(r.value);
      setTest(null);
      setMessage(t('settings.nextStart'));
    } else setMessage(r.error);
  };

  const saveOperator = async () => {
    const r = await transport.request('saveSettings', { settings: { operatorName: operator.name.trim() || null, operatorRole: operator.role } });
    if (r.ok) {
      setView(r.value);
      setMessage(t('settings.saved'));
    } else setMessage(r.error);
  };

  const fromEnv = (k: keyof SettingsView['sources']) => view?.sources[k] === 'env';
  const feedField = (k: keyof typeof feed, label: MessageKey, type = 'text', placeholder = '') => (
    <label key={k}>
      <span>{t(label)}</span>
      <input
        type={type}
        data-testid={`setting-${k}`}
        value={feed[k]}
        placeholder={fromEnv(k) ? t('settings.fromEnv') : placeholder}
        disabled={!loaded || fromEnv(k)}
        onChange={(e) => setFeed({ ...feed, [k]: e.target.value })}
      />
    </label>
  );

  return (
    <div className="overlay" role="dialog" aria-label={t('settings.title')} data-testid="settings" onClick={close}>
      <div className="dialog settings" onClick={(e) => e.stopPropagation()}>
        <h2>{t('settings.title')}</h2>
        <h3>
          {t('settings.targets')} · <span className="gold">{roomTitle}</span>
        </h3>
        <div className="form-grid">
          {TARGET_FIELDS.map((f) => (
            <label key={f.key}>
              <span>{t(f.label)}</span>
              <input
                type="number"
                step={f.step}
                min={0}
                data-testid={`target-${f.key}`}
                value={f.percent ? round((draft[f.key] as number) * 100) : (draft[f.key] as number)}
                onChange={(e) => {
                  const v = Number(e.target.value);
                  if (Number.isFinite(v)) setDraft({ ...draft, [f.key]: f.percent ? v / 100 : v });
                }}
              />
            </label>
          ))}
          <label className="check">
            <input type="checkbox" data-testid="target-sound" checked={draft.sound} onChange={(e) => setDraft({ ...draft, sound: e.target.checked })} />
            <span>{t('settings.sound')}</span>
          </label>
        </div>
        <button className="primary" data-testid="save-targets" onClick={() => void saveTargets()}>
          {t('settings.saveTargets')}
        </button>

        <h3>{t('settings.operator')}</h3>
        <div className="form-grid">
          <label>
            <span>{t('settings.operatorName')}</span>
            <input type="text" data-testid="setting-operatorName" maxLength={100} value={operator.name} disabled={!loaded} onChange={(e) => setOperator({ ...operator, name: e.target.value })} />
          </label>
          <label>
            <span>{t('settings.operatorRole')}</span>
            <select data-testid="setting-operatorRole" value={operator.role} disabled={!loaded} onChange={(e) => setOperator({ ...operator, role: e.target.value })}>
              {OPERATOR_ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`role.op.${r}` as MessageKey)}
                </option>
              ))}
            </select>
          </label>
        </div>
        <button className="primary" data-testid="save-operator" disabled={!loaded} onClick={() => void saveOperator()}>
          {t('settings.saveOperator')}
        </button>

        <h3>{t('settings.feed')}</h3>
        <div className="form-grid">
          <label>
            <span>{t('settings.sourceKind')}</span>
            <select data-testid="setting-sourceKind" value={sourceKind} disabled={!loaded || fromEnv('sourceKind')} onChange={(e) => setSourceKind(e.target.value as SourceKind)}>
              {SOURCE_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`source.kind.${k}` as MessageKey)}
                </option>
              ))}
            </select>
          </label>
          {sourceKind === 'feed' ? (
            <>
              {feedField('feedUrl', 'settings.feedUrl', 'url', 'http://127.0.0.1:7070')}
              {feedField('feedToken', 'settings.feedToken', 'password', view?.saved.hasToken ? t('settings.tokenSet') : '')}
            </>
          ) : (
            feedField('sourceAddress', 'settings.sourceAddress', 'text', SOURCE_PLACEHOLDER[sourceKind])
          )}
          {feedField('rooms', sourceKind === 'tiktok-chat-reader' ? 'settings.rooms.tiktok' : sourceKind === 'douyin-ws' || sourceKind === 'barragegrab' ? 'settings.rooms.douyin' : 'settings.rooms')}
          {sourceKind === 'feed' || sourceKind === 'replay' ? null : feedField('ordersFile', 'settings.ordersFile', 'text', '/path/to/orders.jsonl')}
          {feedField('scenario', 'settings.scenario', 'text', 'daily-beauty')}
          {feedField('speed', 'settings.speed', 'number', String(view?.effective.speed ?? 10))}
          {feedField('seed', 'settings.seed', 'text', view?.effective.seed ?? '1')}
        </div>
        <div className="button-row">
          <button data-testid="test-source" disabled={!loaded || testing} onClick={() => void runTest()}>
            {t(testing ? 'sourceTest.running' : 'sourceTest.run')}
          </button>
          <button className="primary" data-testid="save-feed" disabled={!loaded || testing} onClick={() => void saveFeed()}>
            {t('settings.saveFeed')}
          </button>
          {test && !test.ok ? (
            <button data-testid="save-feed-anyway" onClick={() => void saveFeed(true)}>
              {t('sourceTest.saveAnyway')}
            </button>
          ) : null}
        </div>
        {test && test.checks.length ? <SourceTestView result={test} /> : null}

        <h3>{t('settings.language')}</h3>
        <div className="radio-row">
          {(['zh-CN', 'en'] as const).map((l) => (
            <label key={l} className="check">
              <input type="radio" name="locale" checked={locale === l} onChange={() => setLocale(l)} />
              <span>{l === 'zh-CN' ? '中文（简体）' : 'English'}</span>
            </label>
          ))}
        </div>

        <h3>{t('settings.dataDir')}</h3>
        <code className="path" data-testid="data-dir">
          {view?.effective.dataDir ?? '…'}
        </code>
        <p className="muted small">{t('settings.dataDirNote')}</p>

        <div className="dialog-foot">
          {message ? (
            <span className="gold" data-testid="settings-message">
              {message}
            </span>
          ) : (
            <span />
          )}
          <button onClick={close}>{t('settings.close')}</button>
        </div>
      </div>
    </div>
  );
}

/** A source test's findings, each in plain words with what to do. */
function SourceTestView({ result }: { result: SourceTestResult }) {
  const t = useT();
  return (
    <div className={result.ok ? 'source-test good' : 'source-test bad'} data-testid="source-test" data-ok={result.ok ? '1' : '0'}>
      <strong>{t(result.ok ? 'sourceTest.ok' : 'sourceTest.failed')}</strong>
      <ul>
        {result.checks.map((c, i) => (
          <li key={i} className={c.ok ? 'good' : 'bad'} data-code={c.code}>
            {c.ok ? '✓ ' : '✗ '}
            {fill(t(`sourceTest.${c.code}` as MessageKey), c.params)}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** What each real source's address looks like (SOURCES.md; the README says what to run beside the app). */
const SOURCE_PLACEHOLDER: Record<Exclude<SourceKind, 'feed'>, string> = {
  'tiktok-chat-reader': 'http://127.0.0.1:8081',
  'douyin-ws': 'ws://127.0.0.1:1088',
  barragegrab: 'ws://127.0.0.1:8888',
  replay: 'session:<id> | /path/to/capture.jsonl',
};

/** Who acts on a suggestion (the decision log's "who"); stored as the code, worded per language. */
const OPERATOR_ROLES = ['controller', 'host', 'assistant', 'operations', 'adBuyer', 'other'] as const;

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
