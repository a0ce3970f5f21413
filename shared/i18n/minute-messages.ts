/** How a minute of a show is named to people (shared/minutes.ts): 第N分钟 counts from 1. */
export const minuteZh = {
  'minute.label': '第{n}分钟',
  'minute.range': '第{a}–{b}分钟',
  /** the column of a table or sheet that names the minute */
  'minute.column': '第几分钟',
};

export const minuteEn: Record<keyof typeof minuteZh, string> = {
  'minute.label': 'minute {n}',
  'minute.range': 'minutes {a}–{b}',
  'minute.column': 'Minute',
};
