/**
 * Issue 16, point 4, kept: the retrospective and its exports say every word through the localiser
 * (shared/i18n/localiser.ts), so a word lives in one place — the message dictionaries — and the
 * screen, the HTML/PDF, the workbook, the CSVs and `lcr report` follow the chosen language
 * together. A Chinese string in these files, or a branch on the language, is a word said a second
 * way: add a key to shared/i18n/*-messages.ts in both languages instead.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The report's and the exports' code: every file under these, and these files. */
const SCOPE = ['electron/core/retro', 'shared/retro', 'renderer/src/features/retro', 'shared/imports/settlement-view.ts', 'shared/who.ts'];

function files(path: string): string[] {
  const abs = join(ROOT, path);
  if (!statSync(abs).isDirectory()) return [abs];
  return readdirSync(abs).flatMap((f) => files(join(path, f))).filter((f) => /\.tsx?$/.test(f));
}

interface Finding {
  at: string;
  text: string;
}

/** String, template and JSX text with a Han character, and comparisons of anything with 'zh-CN' or 'en'. */
function findings(file: string): { chinese: Finding[]; localeTests: Finding[] } {
  const src = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const at = (n: ts.Node) => `${relative(ROOT, file)}:${src.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
  const chinese: Finding[] = [];
  const localeTests: Finding[] = [];
  const isLocale = (n: ts.Node) => ts.isStringLiteralLike(n) && (n.text === 'zh-CN' || n.text === 'en');
  const visit = (n: ts.Node): void => {
    const text = ts.isStringLiteralLike(n) || ts.isTemplateLiteralToken(n) || ts.isJsxText(n) ? n.text : null;
    if (text !== null && /\p{Script=Han}/u.test(text)) chinese.push({ at: at(n), text });
    if (ts.isBinaryExpression(n) && [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken].includes(n.operatorToken.kind) && (isLocale(n.left) || isLocale(n.right))) localeTests.push({ at: at(n), text: n.getText(src) });
    ts.forEachChild(n, visit);
  };
  visit(src);
  return { chinese, localeTests };
}

describe('the retrospective says a word one way', () => {
  const all = SCOPE.flatMap(files);
  const found = all.map(findings);

  it('covers the report, its exports and its screen', () => {
    const names = all.map((f) => relative(ROOT, f));
    for (const f of ['electron/core/retro/export/xlsx.ts', 'electron/core/retro/export/html.ts', 'electron/core/retro/export/text.ts', 'shared/retro/review-view.ts', 'shared/retro/csv-tables.ts', 'renderer/src/features/retro/ReportSummary.tsx']) expect(names).toContain(f);
  });

  it('has no Chinese string in the code: the words are in the message dictionaries', () => {
    expect(found.flatMap((f) => f.chinese)).toEqual([]);
  });

  it('never picks words by testing the language: the localiser knows it', () => {
    expect(found.flatMap((f) => f.localeTests)).toEqual([]);
  });
});
