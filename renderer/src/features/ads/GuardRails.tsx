import { useEffect, useState } from 'react';
import { getDisplayCurrency } from '../../../../shared/format.ts';
import { currencyMark, minorPerMajor } from '../../../../shared/currency.ts';
import { useT } from '../../lib/hooks.ts';
import type { Transport } from '../../lib/transport.ts';
import { DEFAULT_GUARD_RAILS, type GuardRails } from '../../../../shared/ads/plan-changes.ts';
import type { MessageKey } from '../../../../shared/i18n/messages.ts';

type Key = 'maxBudgetStepPct' | 'maxBidStepPct' | 'maxRoiStepPct' | 'cooldownMin' | 'maxChangesPerPlanPerDay' | 'maxDailyBudgetYuan';
const KEYS: Key[] = ['maxBudgetStepPct', 'maxBidStepPct', 'maxRoiStepPct', 'cooldownMin', 'maxChangesPerPlanPerDay', 'maxDailyBudgetYuan'];

function toForm(r: GuardRails): Record<Key, string> {
  const s = (v: number | null) => (v === null ? '' : String(v));
  return {
    maxBudgetStepPct: s(r.maxBudgetStepPct),
    maxBidStepPct: s(r.maxBidStepPct),
    maxRoiStepPct: s(r.maxRoiStepPct),
    cooldownMin: s(r.cooldownMin),
    maxChangesPerPlanPerDay: s(r.maxChangesPerPlanPerDay),
    maxDailyBudgetYuan: r.maxDailyBudgetFen === null ? '' : String(r.maxDailyBudgetFen / minorPerMajor(getDisplayCurrency())),
  };
}

function fromForm(f: Record<Key, string>): GuardRails | null {
  const n = (v: string) => (v.trim() === '' ? null : Number(v));
  const r: GuardRails = {
    maxBudgetStepPct: n(f.maxBudgetStepPct),
    maxBidStepPct: n(f.maxBidStepPct),
    maxRoiStepPct: n(f.maxRoiStepPct),
    cooldownMin: n(f.cooldownMin),
    maxChangesPerPlanPerDay: n(f.maxChangesPerPlanPerDay),
    maxDailyBudgetFen: f.maxDailyBudgetYuan.trim() === '' ? null : Math.round(Number(f.maxDailyBudgetYuan) * minorPerMajor(getDisplayCurrency())),
  };
  return Object.values(r).every((v) => v === null || (Number.isFinite(v) && v >= 0)) ? r : null;
}

/** The team's guard rails for changes on the platform (per room): on by default, each can be widened or switched off. */
export function GuardRailsPanel({ roomId, transport }: { roomId: string; transport: Transport }) {
  const t = useT();
  const [form, setForm] = useState<Record<Key, string>>(toForm(DEFAULT_GUARD_RAILS));
  const [note, setNote] = useState('');
  useEffect(() => {
    void transport.request('getGuardRails', { roomId }).then((r) => {
      if (r.ok) setForm(toForm(r.value));
    });
  }, [roomId, transport]);
  const save = async () => {
    const rails = fromForm(form);
    if (!rails) {
      setNote(t('pc.badValue'));
      return;
    }
    const r = await transport.request('setGuardRails', { roomId, rails });
    setNote(r.ok ? t('rails.saved') : r.error);
    if (r.ok) setForm(toForm(r.value));
  };
  return (
    <section className="panel" data-testid="guard-rails">
      <h2>{t('rails.title')}</h2>
      <div className="rails-grid">
        {KEYS.map((k) => (
          <label key={k}>
            <span className="small">{t(`rails.${k}` as MessageKey, { mark: currencyMark(getDisplayCurrency()).trim() })}</span>
            <input data-testid={`rails-${k}`} inputMode="decimal" value={form[k]} placeholder={t('rails.off')} onChange={(e) => setForm({ ...form, [k]: e.target.value })} />
          </label>
        ))}
      </div>
      <div className="ad-row">
        <button data-testid="rails-save" onClick={() => void save()}>
          {t('rails.save')}
        </button>
        {note ? <span className="small muted" data-testid="rails-note">{note}</span> : null}
      </div>
    </section>
  );
}
