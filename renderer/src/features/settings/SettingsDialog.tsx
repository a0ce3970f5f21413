import { useEffect, useState } from 'react';
import { useApp, useAppShallow, useT } from '../../lib/hooks.ts';
import { appStore, setLocale } from '../../lib/store.ts';
import type { RoomTargets, SettingsView } from '../../../../shared/contract.ts';
import type { MessageKey } from '../../../../shared/i18n/messages.ts';
import type { Transport } from '../../lib/transport.ts';
import { gmvTargetInput, parseGmvTarget } from '../../../../shared/retro/gmv-target.ts';
import { SourceSection } from './SettingsSource.tsx';
import { PlatformAccounts } from './PlatformAccounts.tsx';
import { TeamSection } from '../team/TeamSection.tsx';
import { mayRequest } from '../../../../shared/team/roles.ts';

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

/** What a section of the dialog reports back: a line at the dialog's foot, and the settings as saved. */
interface SectionProps {
  transport: Transport;
  say: (message: string | null) => void;
}

/**
 * Targets per room (applied at once), who operates, the data source (at the next start),
 * language, data folder. Each section keeps what is typed in it; the saved settings are read once
 * per opening, and the operator and source sections wait for them (their reply would wipe what was
 * typed before it came).
 */
export function SettingsDialog({ transport }: { transport: Transport }) {
  const t = useT();
  const { open, roomId, roomTitle, me } = useAppShallow((s) => ({ open: s.settingsOpen, roomId: s.selectedRoomId, roomTitle: s.room?.title ?? '', me: s.me }));
  // A teammate's page shows what their role may change; the server refuses the rest anyway.
  const admin = !me || me.role === 'admin';
  /** as loaded for this opening (the sections start from it) */
  const [initial, setInitial] = useState<SettingsView | null>(null);
  /** as last saved */
  const [view, setView] = useState<SettingsView | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => {
    if (!open) return;
    setMessage(null);
    setInitial(null);
    if (!admin) return;
    void transport.request('getSettings', {}).then((r) => {
      if (!r.ok) return setMessage(r.error);
      setView(r.value);
      setInitial(r.value);
    });
  }, [open, roomId, transport, admin]);

  if (!open) return null;
  const close = () => appStore.setState({ settingsOpen: false });
  const loadKey = initial ? 'loaded' : 'loading';
  return (
    <div className="overlay" role="dialog" aria-label={t('settings.title')} data-testid="settings" onClick={close}>
      <div className="dialog settings" onClick={(e) => e.stopPropagation()}>
        <h2>{t('settings.title')}</h2>
        {me && !admin ? (
          <p className="gold" data-testid="settings-me" data-role={me.role}>
            {t('team.you', { role: t(`team.role.${me.role}` as MessageKey), name: me.name ? ` · ${me.name}` : '' })}
          </p>
        ) : null}
        {!me || mayRequest(me.role, 'setTargets') ? (
          <>
            <h3>
              {t('settings.targets')} · <span className="gold">{roomTitle}</span>
            </h3>
            <TargetsSection key={roomId ?? ''} transport={transport} say={setMessage} roomId={roomId} />
          </>
        ) : null}
        {admin ? (
          <>
            <h3>{t('team.title')}</h3>
            <TeamSection transport={transport} />
            <h3>{t('settings.operator')}</h3>
            <OperatorSection key={`operator-${loadKey}`} transport={transport} say={setMessage} initial={initial} onSaved={setView} />
            <h3>{t('settings.feed')}</h3>
            <SourceSection key={`source-${loadKey}`} transport={transport} say={setMessage} initial={initial} view={view} onSaved={setView} />
            <h3>{t('settings.platforms')}</h3>
            <PlatformAccounts key={`platforms-${loadKey}`} transport={transport} say={setMessage} initial={initial} view={view} onSaved={setView} />
          </>
        ) : null}
        <h3>{t('settings.language')}</h3>
        <LanguagePicker />
        {admin ? (
          <>
            <h3>{t('settings.dataDir')}</h3>
            <code className="path" data-testid="data-dir">
              {view?.effective.dataDir ?? '…'}
            </code>
            <p className="muted small">{t('settings.dataDirNote')}</p>
          </>
        ) : null}
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

/** The room's targets as the alert rules and the ad console judge them; applied at once. */
function TargetsSection({ transport, say, roomId }: SectionProps & { roomId: string | null }) {
  const t = useT();
  const [draft, setDraft] = useState<RoomTargets>(() => appStore.getState().targets);
  /** The GMV target as typed (yuan, 万 allowed): read on save, so a half-typed amount is not a target. */
  const [gmvText, setGmvText] = useState(() => gmvTargetInput(appStore.getState().targets.gmvFen));

  const save = async () => {
    if (!roomId) return;
    const gmvFen = parseGmvTarget(gmvText);
    if (gmvFen === undefined) return say(t('retro.target.invalid'));
    const r = await transport.request('setTargets', { roomId, targets: { ...draft, gmvFen } });
    if (!r.ok) return say(r.error);
    appStore.setState({ targets: r.value });
    say(t('settings.saved'));
  };

  return (
    <>
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
        <label>
          <span>{t('settings.gmvTarget')}</span>
          <input type="text" inputMode="decimal" data-testid="target-gmvFen" value={gmvText} placeholder="80000" onChange={(e) => setGmvText(e.target.value)} />
        </label>
        <label className="check">
          <input type="checkbox" data-testid="target-sound" checked={draft.sound} onChange={(e) => setDraft({ ...draft, sound: e.target.checked })} />
          <span>{t('settings.sound')}</span>
        </label>
      </div>
      <button className="primary" data-testid="save-targets" onClick={() => void save()}>
        {t('settings.saveTargets')}
      </button>
    </>
  );
}

/** Who operates here: the name and role the decision log, ad actions and acknowledgements carry. */
function OperatorSection({ transport, say, initial, onSaved }: SectionProps & { initial: SettingsView | null; onSaved: (v: SettingsView) => void }) {
  const t = useT();
  const loaded = initial !== null;
  const [operator, setOperator] = useState({ name: initial?.saved.operatorName ?? '', role: initial?.saved.operatorRole ?? 'controller' });

  const save = async () => {
    const r = await transport.request('saveSettings', { settings: { operatorName: operator.name.trim() || null, operatorRole: operator.role } });
    if (!r.ok) return say(r.error);
    onSaved(r.value);
    say(t('settings.saved'));
  };

  return (
    <>
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
      <button className="primary" data-testid="save-operator" disabled={!loaded} onClick={() => void save()}>
        {t('settings.saveOperator')}
      </button>
    </>
  );
}

function LanguagePicker() {
  const locale = useApp((s) => s.locale);
  return (
    <div className="radio-row">
      {(['zh-CN', 'en'] as const).map((l) => (
        <label key={l} className="check">
          <input type="radio" name="locale" checked={locale === l} onChange={() => setLocale(l)} />
          <span>{l === 'zh-CN' ? '中文（简体）' : 'English'}</span>
        </label>
      ))}
    </div>
  );
}

/** Who acts on a suggestion (the decision log's "who"); stored as the code, worded per language. */
const OPERATOR_ROLES = ['controller', 'host', 'assistant', 'operations', 'adBuyer', 'other'] as const;

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
