import { useState } from 'react';
import { useT } from '../../lib/hooks.ts';
import { SOURCE_KINDS, isOfficialKind, type SettingsView, type SourceKind, type SourceTestResult } from '../../../../shared/contract.ts';
import { fill } from '../../../../shared/suggest/reasons.ts';
import type { MessageKey } from '../../../../shared/i18n/messages.ts';
import type { Transport } from '../../lib/transport.ts';

type FeedForm = { feedUrl: string; feedToken: string; rooms: string; scenario: string; speed: string; seed: string; sourceAddress: string; ordersFile: string };

function formOf(v: SettingsView | null): FeedForm {
  const s = v?.saved;
  return {
    feedUrl: s?.feedUrl ?? '',
    feedToken: '',
    rooms: (s?.rooms ?? []).join(','),
    scenario: s?.scenario ?? '',
    speed: s?.speed ? String(s.speed) : '',
    seed: s?.seed ?? '',
    sourceAddress: s?.sourceAddress ?? '',
    ordersFile: s?.ordersFile ?? '',
  };
}

function roomList(rooms: string): string[] | null {
  return rooms.trim() ? rooms.split(',').map((x) => x.trim()).filter(Boolean) : null;
}

interface Props {
  transport: Transport;
  say: (message: string | null) => void;
  /** the saved settings as loaded for this opening (null: not yet — the fields wait) */
  initial: SettingsView | null;
  /** as last saved: which fields the environment sets, the effective speed and seed */
  view: SettingsView | null;
  onSaved: (v: SettingsView) => void;
}

/**
 * The relay or real source the next start follows. Saving tries it for real first (the core
 * connects, then lets go); a failing test is shown, and saving then needs a second, explicit click.
 */
export function SourceSection({ transport, say, initial, view, onSaved }: Props) {
  const t = useT();
  const loaded = initial !== null;
  const [feed, setFeed] = useState<FeedForm>(() => formOf(initial));
  const [sourceKind, setSourceKind] = useState<SourceKind>(initial?.saved.sourceKind ?? 'feed');
  const [test, setTest] = useState<SourceTestResult | null>(null);
  const [testing, setTesting] = useState(false);

  const runTest = async (): Promise<SourceTestResult | null> => {
    const address = (sourceKind === 'feed' ? feed.feedUrl : feed.sourceAddress).trim();
    // The embedded simulator; the official APIs are checked with their accounts at the next start.
    if ((sourceKind === 'feed' && !address) || isOfficialKind(sourceKind)) return { ok: true, checks: [] };
    setTesting(true);
    setTest(null);
    const rooms = roomList(feed.rooms);
    const r = await transport.request('testSource', {
      sourceKind,
      address,
      ...(feed.feedToken ? { feedToken: feed.feedToken } : {}),
      ...(rooms ? { rooms } : {}),
      ...(sourceKind !== 'feed' && feed.ordersFile.trim() ? { ordersFile: feed.ordersFile.trim() } : {}),
    });
    setTesting(false);
    if (!r.ok) {
      say(r.error);
      return null;
    }
    setTest(r.value);
    return r.value;
  };

  const save = async (anyway = false) => {
    if (!anyway) {
      const tested = await runTest();
      if (!tested) return;
      if (!tested.ok) return say(t('sourceTest.failed'));
    }
    const opt = (v: string) => (v.trim() ? v.trim() : null);
    const r = await transport.request('saveSettings', {
      settings: {
        feedUrl: opt(feed.feedUrl),
        ...(feed.feedToken ? { feedToken: feed.feedToken } : {}),
        rooms: roomList(feed.rooms),
        scenario: opt(feed.scenario),
        speed: feed.speed ? Number(feed.speed) : null,
        seed: opt(feed.seed),
        sourceKind,
        sourceAddress: sourceKind === 'feed' ? null : opt(feed.sourceAddress),
        ordersFile: opt(feed.ordersFile),
      },
    });
    if (!r.ok) return say(r.error);
    onSaved(r.value);
    setTest(null);
    say(t('settings.nextStart'));
  };

  return (
    <>
      <SourceFields feed={feed} setFeed={setFeed} sourceKind={sourceKind} setSourceKind={setSourceKind} loaded={loaded} view={view} />
      <div className="button-row">
        <button data-testid="test-source" disabled={!loaded || testing} onClick={() => void runTest()}>
          {t(testing ? 'sourceTest.running' : 'sourceTest.run')}
        </button>
        <button className="primary" data-testid="save-feed" disabled={!loaded || testing} onClick={() => void save()}>
          {t('settings.saveFeed')}
        </button>
        {test && !test.ok ? (
          <button data-testid="save-feed-anyway" onClick={() => void save(true)}>
            {t('sourceTest.saveAnyway')}
          </button>
        ) : null}
      </div>
      {test && test.checks.length ? <SourceTestView result={test} /> : null}
    </>
  );
}

/** The source's fields; one the environment sets is shown as such and not editable. */
function SourceFields({ feed, setFeed, sourceKind, setSourceKind, loaded, view }: { feed: FeedForm; setFeed: (f: FeedForm) => void; sourceKind: SourceKind; setSourceKind: (k: SourceKind) => void; loaded: boolean; view: SettingsView | null }) {
  const t = useT();
  const fromEnv = (k: keyof SettingsView['sources']) => view?.sources[k] === 'env';
  const field = (k: keyof FeedForm, label: MessageKey, type = 'text', placeholder = '') => (
    <label key={k}>
      <span>{t(label)}</span>
      <input type={type} data-testid={`setting-${k}`} value={feed[k]} placeholder={fromEnv(k) ? t('settings.fromEnv') : placeholder} disabled={!loaded || fromEnv(k)} onChange={(e) => setFeed({ ...feed, [k]: e.target.value })} />
    </label>
  );

  return (
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
          {field('feedUrl', 'settings.feedUrl', 'url', 'http://127.0.0.1:7070')}
          {field('feedToken', 'settings.feedToken', 'password', view?.saved.hasToken ? t('settings.tokenSet') : '')}
        </>
      ) : isOfficialKind(sourceKind) ? null : (
        field('sourceAddress', 'settings.sourceAddress', 'text', SOURCE_PLACEHOLDER[sourceKind])
      )}
      {field('rooms', roomsLabel(sourceKind))}
      {sourceKind === 'feed' || sourceKind === 'replay' || isOfficialKind(sourceKind) ? null : field('ordersFile', 'settings.ordersFile', 'text', '/path/to/orders.jsonl')}
      {field('scenario', 'settings.scenario', 'text', 'daily-beauty')}
      {field('speed', 'settings.speed', 'number', String(view?.effective.speed ?? 10))}
      {field('seed', 'settings.seed', 'text', view?.effective.seed ?? '1')}
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

/** What the rooms field holds for a source: TikTok unique ids, Douyin room ids, 抖音号 for 千川. */
function roomsLabel(k: SourceKind): MessageKey {
  if (k === 'tiktok-chat-reader' || k === 'tiktok-shop') return 'settings.rooms.tiktok';
  if (k === 'douyin-ws' || k === 'barragegrab' || k === 'doudian') return 'settings.rooms.douyin';
  if (k === 'qianchuan') return 'settings.rooms.qianchuan';
  return 'settings.rooms';
}

/** What each real source's address looks like (SOURCES.md; docs/real-rooms.md says what to run beside the app). */
const SOURCE_PLACEHOLDER: Record<Exclude<SourceKind, 'feed'>, string> = {
  'tiktok-chat-reader': 'http://127.0.0.1:8081',
  'douyin-ws': 'ws://127.0.0.1:1088',
  barragegrab: 'ws://127.0.0.1:8888',
  replay: 'session:<id> | /path/to/capture.jsonl',
  // The official APIs take no address here: their hosts are the platforms' (LCR_QIANCHUAN_API, LCR_DOUDIAN_API).
  qianchuan: '',
  doudian: '',
  'tiktok-shop': '',
};

