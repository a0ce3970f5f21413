import { useEffect, useState } from 'react';
import { useT } from '../../lib/hooks.ts';
import { ACCOUNT_PLATFORMS, OFFICIAL_KINDS, type AccountPlatform, type AccountView, type OfficialKind, type SettingsView } from '../../../../shared/contract.ts';
import { formatDateTime } from '../../../../shared/format.ts';
import type { Transport } from '../../lib/transport.ts';

interface Props {
  transport: Transport;
  say: (message: string | null) => void;
  initial: SettingsView | null;
  view: SettingsView | null;
  onSaved: (v: SettingsView) => void;
}

const ACCOUNT_SHORT: Record<string, 'qianchuan' | 'doudian' | 'tiktokShop' | 'gmvMax'> = { qianchuan: 'qianchuan', doudian: 'doudian', 'tiktok-shop': 'tiktokShop', 'tiktok-ads': 'gmvMax' };

const ids = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);

/**
 * The official platforms a room also reads (千川, 抖店), their account ids (saved in settings.json:
 * ids are not secrets), and connecting an account — its app secret and token go straight into the
 * encrypted vault and are never shown again.
 */
export function PlatformAccounts({ transport, say, initial, view, onSaved }: Props) {
  const t = useT();
  const saved = initial?.saved;
  const fromEnv = (k: keyof SettingsView['sources']) => view?.sources[k] === 'env';
  const [also, setAlso] = useState<OfficialKind[]>(saved?.alsoSources ?? []);
  const [f, setF] = useState({
    qcAppId: saved?.platforms?.qianchuan?.appId ?? '',
    qcAdvertiser: saved?.platforms?.qianchuan?.advertiserId ?? '',
    qcAweme: (saved?.platforms?.qianchuan?.awemeIds ?? []).join(','),
    ddAppKey: saved?.platforms?.doudian?.appKey ?? '',
    ddShop: saved?.platforms?.doudian?.shopId ?? '',
    ddPushPort: saved?.platforms?.doudian?.pushPort !== undefined ? String(saved.platforms.doudian.pushPort) : '',
    ttAppKey: saved?.platforms?.tiktokShop?.appKey ?? '',
    ttShop: saved?.platforms?.tiktokShop?.shopId ?? '',
    ttWebhookPort: saved?.platforms?.tiktokShop?.webhookPort !== undefined ? String(saved.platforms.tiktokShop.webhookPort) : '',
    adsAppId: saved?.platforms?.tiktokAds?.appId ?? '',
    adsAdvertiser: saved?.platforms?.tiktokAds?.advertiserId ?? '',
    adsStore: saved?.platforms?.tiktokAds?.storeId ?? '',
  });
  const input = (k: keyof typeof f, label: Parameters<typeof t>[0], placeholder = '') => (
    <label key={k}>
      <span>{t(label)}</span>
      <input type="text" data-testid={`setting-${k}`} value={f[k]} placeholder={placeholder} disabled={!initial || fromEnv('platforms')} onChange={(e) => setF({ ...f, [k]: e.target.value })} />
    </label>
  );
  const save = async () => {
    const qc = f.qcAppId.trim() || f.qcAdvertiser.trim() ? { appId: f.qcAppId.trim(), advertiserId: f.qcAdvertiser.trim(), ...(ids(f.qcAweme).length ? { awemeIds: ids(f.qcAweme) } : {}) } : null;
    const dd = f.ddAppKey.trim() || f.ddShop.trim() ? { appKey: f.ddAppKey.trim(), shopId: f.ddShop.trim(), ...(f.ddPushPort.trim() ? { pushPort: Number(f.ddPushPort) } : {}) } : null;
    const tt = f.ttAppKey.trim() || f.ttShop.trim() ? { appKey: f.ttAppKey.trim(), shopId: f.ttShop.trim(), ...(f.ttWebhookPort.trim() ? { webhookPort: Number(f.ttWebhookPort) } : {}) } : null;
    const ads = f.adsAppId.trim() || f.adsAdvertiser.trim() || f.adsStore.trim() ? { appId: f.adsAppId.trim(), advertiserId: f.adsAdvertiser.trim(), storeId: f.adsStore.trim() } : null;
    const r = await transport.request('saveSettings', { settings: { alsoSources: also, platforms: { qianchuan: qc, doudian: dd, tiktokShop: tt, tiktokAds: ads } } });
    if (!r.ok) return say(r.error);
    onSaved(r.value);
    say(t('settings.nextStart'));
  };
  return (
    <div data-testid="platform-accounts">
      <div className="form-grid">
        <div className="also">
          <span>{t('settings.also')}</span>
          {OFFICIAL_KINDS.map((k) => (
            <label key={k} className="inline">
              <input
                type="checkbox"
                data-testid={`also-${k}`}
                checked={also.includes(k)}
                disabled={!initial || fromEnv('alsoSources')}
                onChange={(e) => setAlso(e.target.checked ? [...also, k] : also.filter((x) => x !== k))}
              />
              {t(`source.kind.${k}`)}
            </label>
          ))}
        </div>
        {input('qcAppId', 'settings.qcAppId', '1712000000000001')}
        {input('qcAdvertiser', 'settings.qcAdvertiser')}
        {input('qcAweme', 'settings.qcAweme')}
        {input('ddAppKey', 'settings.ddAppKey')}
        {input('ddShop', 'settings.ddShop')}
        {input('ddPushPort', 'settings.ddPushPort', '8790')}
        {input('ttAppKey', 'settings.ttAppKey')}
        {input('ttShop', 'settings.ttShop')}
        {input('ttWebhookPort', 'settings.ttWebhookPort', '8791')}
        {input('adsAppId', 'settings.adsAppId')}
        {input('adsAdvertiser', 'settings.adsAdvertiser')}
        {input('adsStore', 'settings.adsStore')}
      </div>
      <div className="button-row">
        <button data-testid="save-platforms" disabled={!initial} onClick={() => void save()}>
          {t('settings.savePlatforms')}
        </button>
      </div>
      <ConnectAccount transport={transport} say={say} />
    </div>
  );
}

function ConnectAccount({ transport, say }: { transport: Transport; say: (m: string | null) => void }) {
  const t = useT();
  const [accounts, setAccounts] = useState<{ where: string; accounts: AccountView[] } | null>(null);
  const [c, setC] = useState({ platform: 'qianchuan' as AccountPlatform, appId: '', account: '', secret: '', refreshToken: '', authCode: '' });
  const [busy, setBusy] = useState(false);
  const load = () =>
    void transport.request('getAccounts', {}).then((r) => {
      if (r.ok) setAccounts(r.value);
    });
  useEffect(load, [transport]);
  const connect = async () => {
    setBusy(true);
    const r = await transport.request('connectAccount', {
      platform: c.platform,
      appId: c.appId.trim(),
      account: c.account.trim(),
      secret: c.secret,
      ...(c.authCode.trim() ? { authCode: c.authCode.trim() } : { refreshToken: c.refreshToken.trim() }),
    });
    setBusy(false);
    // The secret and tokens leave the form whatever happened: they are not kept in the page.
    setC({ ...c, secret: '', refreshToken: '', authCode: '' });
    if (!r.ok) return say(r.error);
    say(null);
    load();
  };
  const field = (k: 'appId' | 'account' | 'secret' | 'refreshToken' | 'authCode', label: Parameters<typeof t>[0], secret = false) => (
    <label key={k}>
      <span>{t(label)}</span>
      <input data-testid={`connect-${k}`} type={secret ? 'password' : 'text'} autoComplete="off" value={c[k]} onChange={(e) => setC({ ...c, [k]: e.target.value })} />
    </label>
  );
  return (
    <div className="connect-account">
      <h4>{t('settings.connect')}</h4>
      <div className="form-grid">
        <label>
          <span>{t('settings.connect.platform')}</span>
          <select data-testid="connect-platform" value={c.platform} onChange={(e) => setC({ ...c, platform: e.target.value as AccountPlatform })}>
            {ACCOUNT_PLATFORMS.map((k) => (
              <option key={k} value={k}>
                {t(`source.kind.${k}`)}
              </option>
            ))}
          </select>
        </label>
        {field('appId', 'settings.connect.appId')}
        {field('account', 'settings.connect.account')}
        {field('secret', 'settings.connect.secret', true)}
        {field('refreshToken', 'settings.connect.refresh', true)}
        {field('authCode', 'settings.connect.code', true)}
      </div>
      <div className="button-row">
        <button className="primary" data-testid="connect-go" disabled={busy || !c.appId || !c.account || !c.secret || (!c.refreshToken && !c.authCode)} onClick={() => void connect()}>
          {t('settings.connect.go')}
        </button>
      </div>
      <h4>{t('settings.accounts')}</h4>
      {accounts && accounts.accounts.length ? (
        <ul className="points" data-testid="accounts">
          {accounts.accounts.map((a) => (
            <li key={`${a.platform}/${a.account}`} data-testid={`account-${a.platform}-${a.account}`}>
              <b>{t(`origin.short.${ACCOUNT_SHORT[a.platform] ?? 'qianchuan'}`)}</b> {a.account} · App {a.appId} ·{' '}
              {a.accessExpiresAt ? t('settings.accounts.expires', { time: formatDateTime(a.accessExpiresAt, t.locale, { dateStyle: 'short', timeStyle: 'short' }) }) : t('settings.accounts.refreshFirst')}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small">{t('settings.accounts.none')}</p>
      )}
      {accounts?.where ? <p className="muted small">{t('settings.accounts.where', { where: accounts.where })}</p> : null}
    </div>
  );
}
