import { useEffect, useRef, useState } from 'react';
import { useApp, useAppShallow, useT } from '../lib/hooks.ts';
import type { Transport } from '../lib/transport.ts';
import { fill } from '../../../shared/suggest/reasons.ts';
import type { RunOfShowView } from '../../../shared/contract.ts';
import type { PlanItem } from '../../../shared/suggest/plan.ts';
import type { MessageKey } from '../../../shared/i18n/messages.ts';
import { fileToBase64, fileTooBig } from '../lib/files.ts';
import { MAX_PLAN_FILE_BYTES } from '../../../shared/contract.ts';

/**
 * S4: the room's 排品表 — import (CSV/XLSX), edit, live adherence (on plan / ahead / behind /
 * off plan, skipped items) and, when the show leaves its plan, a re-ordered rest to adopt.
 * The stored plan comes from `getRunOfShow`; adherence comes with the suggestions push.
 */
export function RunOfShowPanel({ transport }: { transport: Transport }) {
  const t = useT();
  const locale = useApp((s) => s.locale);
  const { roomId, live, products } = useAppShallow((s) => ({ roomId: s.selectedRoomId, live: s.suggestions?.runOfShow ?? null, products: s.products }));
  const [view, setView] = useState<RunOfShowView | null>(null);
  const [draft, setDraft] = useState<PlanItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    setView(null);
    setDraft(null);
    setError(null);
    if (!roomId) return;
    let gone = false;
    void transport.request('getRunOfShow', { roomId }).then((r) => {
      if (!gone && r.ok) setView(r.value);
    });
    return () => {
      gone = true;
    };
  }, [transport, roomId]);

  if (!roomId) return null;
  const title = (id: string) => products.find((p) => p.productId === id)?.title ?? id;
  const items = draft ?? live?.items ?? view?.items ?? [];
  const a = live?.adherence ?? null;
  const n = items.length;
  const cursorIdx = a && n ? a.cursor % n : -1;
  const nowOnPlan = a && (a.status === 'onPlan' || a.status === 'ahead' || a.status === 'behind');

  const save = async (next: PlanItem[]) => {
    setBusy(true);
    const r = await transport.request('setRunOfShow', { roomId, items: next });
    setBusy(false);
    if (r.ok) {
      setView(r.value);
      setDraft(null);
      setError(null);
    } else setError(r.error);
  };

  const importFile = async (file: File) => {
    const tooBig = fileTooBig(file, MAX_PLAN_FILE_BYTES, locale);
    if (tooBig) {
      setError(tooBig);
      return;
    }
    setBusy(true);
    setError(null);
    const r = await transport.request('importRunOfShow', { roomId, fileName: file.name, dataBase64: await fileToBase64(file), locale });
    setBusy(false);
    if (r.ok) {
      setView(r.value);
      setDraft(null);
    } else setError(r.error);
  };

  const status = a?.status ?? (items.length ? null : 'noPlan');
  const statusText =
    status === null ? '' : fill(t(`plan.status.${status}` as MessageKey), { min: Math.abs(Math.round(a?.driftMin ?? 0)) });
  const move = (i: number, d: -1 | 1) => {
    if (!draft) return;
    const j = i + d;
    if (j < 0 || j >= draft.length) return;
    const next = [...draft];
    [next[i], next[j]] = [next[j]!, next[i]!];
    setDraft(next);
  };

  return (
    <section className="panel run-of-show" data-testid="run-of-show">
      <h2>
        {t('plan.title')}
        {status ? (
          <span className={`plan-status ${status}`} data-testid="plan-status" data-status={status}>
            {statusText}
          </span>
        ) : null}
      </h2>
      <div className="plan-actions">
        <input
          ref={fileRef}
          type="file"
          accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          data-testid="plan-file"
          hidden
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void importFile(f);
          }}
        />
        <button className="pin" disabled={busy} onClick={() => fileRef.current?.click()} title={t('plan.importHelp')}>
          {t('plan.import')}
        </button>
        {draft ? (
          <>
            <button className="pin" data-testid="plan-save" disabled={busy} onClick={() => void save(draft)}>
              {t('plan.save')}
            </button>
            <button className="pin" onClick={() => setDraft(null)}>
              {t('plan.cancel')}
            </button>
          </>
        ) : (
          <button className="pin" data-testid="plan-edit" onClick={() => setDraft(items.map((i) => ({ ...i })))}>
            {t('plan.edit')}
          </button>
        )}
      </div>
      {error ? (
        <p className="plan-error" data-testid="plan-error" role="alert">
          {error}
        </p>
      ) : null}
      {items.length === 0 && !draft ? <p className="muted">{t('plan.none')}</p> : null}
      {a && a.plannedProductId && a.status !== 'onPlan' ? (
        <p className="muted" data-testid="plan-planned-now">
          {fill(t('plan.plannedNow'), { title: title(a.plannedProductId) })}
        </p>
      ) : null}
      <ol className="plan-items" data-testid="plan-items">
        {items.map((item, i) => {
          const isNow = !draft && nowOnPlan && i === cursorIdx;
          const isNext = !draft && a && i === (cursorIdx + 1) % n && !isNow;
          const skipped = !draft && a?.skipped.includes(item.productId) && i !== cursorIdx;
          return (
            <li key={`${i}-${item.productId}`} className={isNow ? 'now' : skipped ? 'skipped' : ''} data-testid={`plan-item-${i}`} data-product={item.productId}>
              <span className="plan-title">{title(item.productId)}</span>
              {draft ? (
                <span className="plan-edit">
                  <input
                    type="number"
                    min={1}
                    max={1440}
                    step={1}
                    value={item.minutes}
                    aria-label={t('plan.minutes')}
                    data-testid={`plan-minutes-${i}`}
                    onChange={(e) => setDraft(draft.map((d, k) => (k === i ? { ...d, minutes: Math.max(1, Number(e.target.value) || 1) } : d)))}
                  />
                  <button className="icon" aria-label={t('plan.up')} onClick={() => move(i, -1)}>
                    ↑
                  </button>
                  <button className="icon" aria-label={t('plan.down')} onClick={() => move(i, 1)}>
                    ↓
                  </button>
                  <button className="icon" aria-label={t('plan.remove')} onClick={() => setDraft(draft.filter((_, k) => k !== i))}>
                    ✕
                  </button>
                </span>
              ) : (
                <span className="plan-min">
                  {item.minutes}
                  {t('plan.minutes')}
                  {isNow ? <em className="tag now">{t('plan.now')}</em> : null}
                  {isNext ? <em className="tag next">{t('plan.next')}</em> : null}
                  {skipped ? <em className="tag skipped">{t('plan.skipped')}</em> : null}
                </span>
              )}
            </li>
          );
        })}
      </ol>
      {draft ? (
        <select
          data-testid="plan-add"
          value=""
          onChange={(e) => {
            if (e.target.value) setDraft([...draft, { productId: e.target.value, minutes: 5 }]);
          }}
        >
          <option value="">＋ {t('plan.add')}</option>
          {products.map((p) => (
            <option key={p.productId} value={p.productId}>
              {p.title ?? p.productId}
            </option>
          ))}
        </select>
      ) : null}
      {!draft && live?.suggestedRest && a ? (
        <div className="plan-reorder" data-testid="plan-reorder">
          <p>
            <strong>{t('plan.diverged')}</strong>
            {locale === 'zh-CN' ? '：' : ': '}
            {live.divergence.map((d) => t(`plan.divergence.${d}` as MessageKey)).join(locale === 'zh-CN' ? '、' : ', ')}
          </p>
          <p className="muted">{t('plan.reorder')}</p>
          <p className="plan-order">{live.suggestedRest.map((i) => title(i.productId)).join(' → ')}</p>
          <button
            className="pin"
            data-testid="plan-apply-reorder"
            disabled={busy}
            onClick={() => {
              const current = live.items[cursorIdx];
              void save([...(current && nowOnPlan ? [current] : []), ...live.suggestedRest!]);
            }}
          >
            {t('plan.applyReorder')}
          </button>
        </div>
      ) : null}
    </section>
  );
}
