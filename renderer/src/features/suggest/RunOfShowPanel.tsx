import { useEffect, useRef, useState } from 'react';
import { useApp, useAppShallow, useCan, useT } from '../../lib/hooks.ts';
import type { Transport } from '../../lib/transport.ts';
import { fill } from '../../../../shared/suggest/reasons.ts';
import type { RunOfShowView } from '../../../../shared/contract.ts';
import type { PlanItem } from '../../../../shared/suggest/plan.ts';
import type { MessageKey } from '../../../../shared/i18n/messages.ts';
import { fileToBase64, fileTooBig } from '../../lib/files.ts';
import { MAX_PLAN_FILE_BYTES } from '../../../../shared/contract.ts';

/**
 * The room's 排品表 — import (CSV/XLSX), edit, live adherence (on plan / ahead / behind /
 * off plan, skipped items) and, when the show leaves its plan, a re-ordered rest to adopt.
 * The stored plan comes from `getRunOfShow`; adherence comes with the suggestions push.
 */
export function RunOfShowPanel({ transport }: { transport: Transport }) {
  const t = useT();
  const { roomId, live, products } = useAppShallow((s) => ({ roomId: s.selectedRoomId, live: s.suggestions?.runOfShow ?? null, products: s.products }));
  const { view, draft, setDraft, error, busy, save, importFile } = useRunOfShow(transport, roomId);

  if (!roomId) return null;
  const title = (id: string) => products.find((p) => p.productId === id)?.title ?? id;
  const items = draft ?? live?.items ?? view?.items ?? [];
  const a = live?.adherence ?? null;
  const n = items.length;
  const cursorIdx = a && n ? a.cursor % n : -1;
  const nowOnPlan = a && (a.status === 'onPlan' || a.status === 'ahead' || a.status === 'behind');

  const status = a?.status ?? (items.length ? null : 'noPlan');
  const statusText =
    status === null ? '' : fill(t(`plan.status.${status}` as MessageKey), { min: Math.abs(Math.round(a?.driftMin ?? 0)) });
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
      <PlanActions busy={busy} draft={draft} onImport={(f) => void importFile(f)} onSave={() => {
          if (draft) void save(draft);
        }} onCancel={() => setDraft(null)} onEdit={() => setDraft(items.map((i) => ({ ...i })))} />
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
          const isNow = Boolean(!draft && nowOnPlan && i === cursorIdx);
          const isNext = Boolean(!draft && a && i === (cursorIdx + 1) % n && !isNow);
          const skipped = Boolean(!draft && a?.skipped.includes(item.productId) && i !== cursorIdx);
          return <PlanRow key={`${i}-${item.productId}`} item={item} i={i} title={title(item.productId)} draft={draft} setDraft={setDraft} marks={{ isNow, isNext, skipped }} />;
        })}
      </ol>
      {draft ? <PlanAdd products={products} onAdd={(productId) => setDraft([...draft, { productId, minutes: 5 }])} /> : null}
      {!draft && live?.suggestedRest && a ? (
        <ReorderOffer
          live={live}
          title={title}
          busy={busy}
          onApply={() => {
            const current = live.items[cursorIdx];
            void save([...(current && nowOnPlan ? [current] : []), ...live.suggestedRest!]);
          }}
        />
      ) : null}
    </section>
  );
}

/** One item of the plan: its product and minutes, with where the show stands on it — or, while editing, the controls to change it. */
function PlanRow({ item, i, title, draft, setDraft, marks }: { item: PlanItem; i: number; title: string; draft: PlanItem[] | null; setDraft: (d: PlanItem[]) => void; marks: { isNow: boolean; isNext: boolean; skipped: boolean } }) {
  const t = useT();
  const move = (d: -1 | 1) => {
    if (!draft) return;
    const j = i + d;
    if (j < 0 || j >= draft.length) return;
    const next = [...draft];
    [next[i], next[j]] = [next[j]!, next[i]!];
    setDraft(next);
  };
  return (
    <li className={marks.isNow ? 'now' : marks.skipped ? 'skipped' : ''} data-testid={`plan-item-${i}`} data-product={item.productId}>
      <span className="plan-title">{title}</span>
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
          <button className="icon" aria-label={t('plan.up')} onClick={() => move(-1)}>
            ↑
          </button>
          <button className="icon" aria-label={t('plan.down')} onClick={() => move(1)}>
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
          {marks.isNow ? <em className="tag now">{t('plan.now')}</em> : null}
          {marks.isNext ? <em className="tag next">{t('plan.next')}</em> : null}
          {marks.skipped ? <em className="tag skipped">{t('plan.skipped')}</em> : null}
        </span>
      )}
    </li>
  );
}

/** The show has left its plan: why, and the rest re-ordered to adopt in one click. */
function ReorderOffer({ live, title, busy, onApply }: { live: NonNullable<RunOfShowView['live']>; title: (id: string) => string; busy: boolean; onApply: () => void }) {
  const t = useT();
  const locale = useApp((s) => s.locale);
  return (
    <div className="plan-reorder" data-testid="plan-reorder">
      <p>
        <strong>{t('plan.diverged')}</strong>
        {locale === 'zh-CN' ? '：' : ': '}
        {live.divergence.map((d) => t(`plan.divergence.${d}` as MessageKey)).join(locale === 'zh-CN' ? '、' : ', ')}
      </p>
      <p className="muted">{t('plan.reorder')}</p>
      <p className="plan-order">{(live.suggestedRest ?? []).map((i) => title(i.productId)).join(' → ')}</p>
      <button className="pin" data-testid="plan-apply-reorder" disabled={busy} onClick={onApply}>
        {t('plan.applyReorder')}
      </button>
    </div>
  );
}

/** The room's stored plan, the draft being edited, and saving or importing it (read again when the room changes). */
function useRunOfShow(transport: Transport, roomId: string | null) {
  const locale = useApp((s) => s.locale);
  const [view, setView] = useState<RunOfShowView | null>(null);
  const [draft, setDraft] = useState<PlanItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

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

  const save = async (next: PlanItem[]) => {
    if (!roomId) return;
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
    if (!roomId) return;
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

  return { view, draft, setDraft, error, busy, save, importFile };
}

/** Import a table, or edit the plan by hand (save / cancel while editing). */
function PlanActions({ busy, draft, onImport, onSave, onCancel, onEdit }: { busy: boolean; draft: PlanItem[] | null; onImport: (f: File) => void; onSave: () => void; onCancel: () => void; onEdit: () => void }) {
  const t = useT();
  const fileRef = useRef<HTMLInputElement>(null);
  // A role that cannot change the run-of-show reads it only.
  if (!useCan('setRunOfShow')) return null;
  return (
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
          if (f) onImport(f);
        }}
      />
      <button className="pin" disabled={busy} onClick={() => fileRef.current?.click()} title={t('plan.importHelp')}>
        {t('plan.import')}
      </button>
      {draft ? (
        <>
          <button className="pin" data-testid="plan-save" disabled={busy} onClick={onSave}>
            {t('plan.save')}
          </button>
          <button className="pin" onClick={onCancel}>
            {t('plan.cancel')}
          </button>
        </>
      ) : (
        <button className="pin" data-testid="plan-edit" onClick={onEdit}>
          {t('plan.edit')}
        </button>
      )}
    </div>
  );
}

/** While editing: a product of the catalog added at the end, 5 minutes to start with. */
function PlanAdd({ products, onAdd }: { products: Array<{ productId: string; title?: string | null }>; onAdd: (productId: string) => void }) {
  const t = useT();
  return (
    <select
      data-testid="plan-add"
      value=""
      onChange={(e) => {
        if (e.target.value) onAdd(e.target.value);
      }}
    >
      <option value="">＋ {t('plan.add')}</option>
      {products.map((p) => (
        <option key={p.productId} value={p.productId}>
          {p.title ?? p.productId}
        </option>
      ))}
    </select>
  );
}
