/**
 * The 场控's line to the host's prompt screen: a short message (or one of the usual ones) and
 * whether the host has acknowledged it. Shown to the roles that may send (shared/team/roles.ts).
 */
import { useState } from 'react';
import { useApp, useAppShallow, useT } from '../../lib/hooks.ts';
import type { Transport } from '../../lib/transport.ts';
import { MAX_PROMPT_CHARS } from '../../../../shared/team/contract.ts';
import type { MessageKey } from '../../../../shared/i18n/messages.ts';

const QUICK: MessageKey[] = ['prompt.quick.size', 'prompt.quick.giveaway', 'prompt.quick.price', 'prompt.quick.stock'];

export function PromptSender({ transport }: { transport: Transport }) {
  const t = useT();
  const { roomId, live, prompts } = useAppShallow((s) => ({ roomId: s.selectedRoomId, live: s.room?.status === 'live', prompts: s.prompts }));
  const locale = useApp((s) => s.locale);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (!roomId || !live) return null;
  const send = async (message: string) => {
    if (!message.trim()) return;
    const r = await transport.request('sendPrompt', { roomId, text: message.trim().slice(0, MAX_PROMPT_CHARS) });
    setError(r.ok ? null : r.error);
    if (r.ok) setText('');
  };
  return (
    <section className="panel prompt-sender" data-testid="prompt-sender">
      <h2>{t('prompt.send')}</h2>
      <div className="prompt-quick">
        {QUICK.map((k) => (
          <button key={k} className="zoom" onClick={() => void send(t(k))}>
            {t(k)}
          </button>
        ))}
      </div>
      <form
        className="prompt-form"
        onSubmit={(e) => {
          e.preventDefault();
          void send(text);
        }}
      >
        <input data-testid="prompt-text" value={text} maxLength={MAX_PROMPT_CHARS} placeholder={t('prompt.placeholder')} onChange={(e) => setText(e.target.value)} />
        <button className="primary" type="submit" data-testid="prompt-send">
          {t('prompt.send')}
        </button>
      </form>
      {error ? <p className="conn-error small">{error}</p> : null}
      <ul className="prompt-sent" data-testid="prompt-sent">
        {prompts.slice(0, 3).map((p) => (
          <li key={p.id} data-testid="prompt-sent-item" data-acked={p.ackedAt === null ? '0' : '1'}>
            <span>{p.text}</span>
            <span className={p.ackedAt === null ? 'muted small' : 'good small'}>
              {p.ackedAt === null ? t('prompt.sent') : `${t('prompt.sentAcked')} · ${new Date(p.ackedAt).toLocaleTimeString(locale)}`}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
