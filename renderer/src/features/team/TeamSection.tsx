/**
 * 管理's team section of the settings (PRODUCT.md T1): invite a teammate with a role, hand them
 * the link (or its QR code, for a phone at the host's side), see which links are open now, revoke
 * one. The link's token is shown once — the core keeps only its hash.
 */
import { useEffect, useState } from 'react';
import QRCode from 'qrcode';
import { appStore } from '../../lib/store.ts';
import { useApp, useT } from '../../lib/hooks.ts';
import type { Transport } from '../../lib/transport.ts';
import { TeamRoles, type TeamRole } from '../../../../shared/team/roles.ts';
import type { NewInviteView, TeamView } from '../../../../shared/team/contract.ts';
import type { MessageKey } from '../../../../shared/i18n/messages.ts';

const HOURS = [8, 24, 168, 0] as const;

export function TeamSection({ transport }: { transport: Transport }) {
  const t = useT();
  const locale = useApp((s) => s.locale);
  const team = useApp((s) => s.team);
  const [role, setRole] = useState<TeamRole>('operator');
  const [name, setName] = useState('');
  const [hours, setHours] = useState<(typeof HOURS)[number]>(8);
  const [made, setMade] = useState<NewInviteView | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void transport.request('getTeam', {}).then((r) => (r.ok ? appStore.setState({ team: r.value }) : setError(r.error)));
  }, [transport]);

  const create = async () => {
    const r = await transport.request('createInvite', { role, ...(name.trim() ? { name: name.trim() } : {}), ...(hours ? { hours } : {}) });
    if (!r.ok) return setError(r.error);
    setError(null);
    setMade(r.value);
    setName('');
  };
  const revoke = async (id: string) => {
    const r = await transport.request('revokeInvite', { id });
    setError(r.ok ? null : r.error);
    if (made?.invite.id === id) setMade(null);
  };
  const time = (at: number) => new Date(at).toLocaleString(locale, { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  const serving = team?.serving ?? null;

  return (
    <div className="team" data-testid="team">
      {!serving ? <p className="muted small">{t('team.noServing')}</p> : serving.reachable ? <p className="conn-warn small" data-testid="team-lan">{t('team.lanWarning')}</p> : <p className="muted small" data-testid="team-local">{t('team.localOnly')}</p>}
      <div className="form-grid">
        <label>
          <span>{t('team.role')}</span>
          <select data-testid="invite-role" value={role} onChange={(e) => setRole(e.target.value as TeamRole)}>
            {TeamRoles.map((r) => (
              <option key={r} value={r}>
                {t(`team.role.${r}` as MessageKey)} — {t(`team.roleHint.${r}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('team.name')}</span>
          <input type="text" data-testid="invite-name" value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          <span>{t('team.hours')}</span>
          <select data-testid="invite-hours" value={hours} onChange={(e) => setHours(Number(e.target.value) as (typeof HOURS)[number])}>
            {HOURS.map((h) => (
              <option key={h} value={h}>
                {t(`team.hours.${h || 'none'}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <button className="primary" data-testid="invite-create" disabled={!serving} onClick={() => void create()}>
        {t('team.create')}
      </button>
      {made?.url ? <NewLink made={made} /> : null}
      {error ? <p className="conn-error small">{error}</p> : null}
      <h4>{t('team.connected')}</h4>
      <Connected team={team} time={time} />
      <h4>{t('team.invites')}</h4>
      {team?.invites.length ? (
        <ul className="team-list" data-testid="invite-list">
          {team.invites.map((i) => {
            const state = i.revokedAt ? 'revoked' : i.expiresAt !== null && i.expiresAt <= Date.now() ? 'expired' : 'active';
            return (
              <li key={i.id} data-testid="invite-item" data-id={i.id} data-state={state}>
                <strong>{t(`team.role.${i.role}` as MessageKey)}</strong>
                <span>{i.name ?? ''}</span>
                <span className="muted small">{state === 'active' ? (i.expiresAt ? t('team.expires', { time: time(i.expiresAt) }) : t('team.forever')) : t(`team.${state}` as MessageKey)}</span>
                {i.connected ? <span className="good small">{t('team.connectedCount', { n: i.connected })}</span> : null}
                {state === 'active' ? (
                  <button className="zoom" data-testid="invite-revoke" onClick={() => void revoke(i.id)}>
                    {t('team.revoke')}
                  </button>
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : (
        <p className="muted small">{t('team.none')}</p>
      )}
    </div>
  );
}

/** The new link, once: as text to copy and as a QR code to scan. */
function NewLink({ made }: { made: NewInviteView }) {
  const t = useT();
  const [svg, setSvg] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const url = made.url!;
  useEffect(() => {
    let live = true;
    void QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }).then((s) => live && setSvg(s));
    return () => {
      live = false;
    };
  }, [url]);
  return (
    <div className="invite-link" data-testid="invite-link" data-role={made.invite.role}>
      {/* The library's own SVG of our own link: no page content reaches it. */}
      {svg ? <div className="qr" data-testid="invite-qr" dangerouslySetInnerHTML={{ __html: svg }} /> : null}
      <div>
        <p className="small">{t('team.linkOnce')}</p>
        <code className="path" data-testid="invite-url">
          {url}
        </code>
        <button
          className="zoom"
          onClick={() =>
            void navigator.clipboard?.writeText(url).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {copied ? t('team.copied') : t('team.copy')}
        </button>
      </div>
    </div>
  );
}

function Connected({ team, time }: { team: TeamView | null; time: (at: number) => string }) {
  const t = useT();
  if (!team?.connected.length) return <p className="muted small">{t('team.nobodyConnected')}</p>;
  return (
    <ul className="team-list" data-testid="team-connected">
      {team.connected.map((c, i) => (
        <li key={i} data-testid="team-connection" data-role={c.role}>
          <strong>{t(`team.role.${c.role}` as MessageKey)}</strong>
          <span>{c.inviteId === null ? t('team.owner') : (c.name ?? '')}</span>
          <span className="muted small">
            {c.address} · {t('team.since', { time: time(c.since) })}
          </span>
        </li>
      ))}
    </ul>
  );
}
