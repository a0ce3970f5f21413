/** Who did something — an ad action, an acknowledgement — as the settings of their desk name them. */
import type { Locale } from './format.ts';
import { isMessageKey, localiser } from './i18n/localiser.ts';

/** "阿杰（投手）" / "Ajie (Ad buyer)"; the role alone, the name alone, or that nobody set either. */
export function whoText(byName: string | null, byRole: string | null, locale: Locale): string {
  const t = localiser(locale);
  const key = `role.op.${byRole ?? ''}`;
  const role = byRole ? (isMessageKey(key) ? t(key) : byRole) : null;
  const name = byName ?? (role ? '' : t('who.unknown'));
  return role ? t('who.withRole', { name, role }).trim() : name;
}
