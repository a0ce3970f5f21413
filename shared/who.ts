/** Who did something — an ad action, an acknowledgement — as the settings of their desk name them. */
import type { Locale } from './format.ts';
import { messages, translate, type MessageKey } from './i18n/messages.ts';

/** "阿杰（投手）" / "Ajie (Ad buyer)"; the role alone, the name alone, or that nobody set either. */
export function whoText(byName: string | null, byRole: string | null, locale: Locale): string {
  const key = `role.op.${byRole ?? ''}`;
  const role = byRole ? (key in messages[locale] ? translate(locale, key as MessageKey) : byRole) : null;
  const name = byName ?? (role ? '' : translate(locale, 'who.unknown'));
  return role ? (locale === 'zh-CN' ? `${name}（${role}）` : `${name} (${role})`).trim() : name;
}
