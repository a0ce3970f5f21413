/**
 * Exports in browser mode (react-dom/server): every file an export wrote can be downloaded from the
 * page — a CSV export's four tables each with its own link — and the desktop app shows the folder.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { retroStore } from '../../renderer/src/features/retro/retro-store.ts';
import { ExportBar } from '../../renderer/src/features/retro/ExportBar.tsx';
import type { Transport } from '../../renderer/src/lib/transport.ts';

const initial = retroStore.getState();
retroStore.getInitialState = () => retroStore.getState();
beforeEach(() => retroStore.setState(initial, true));

const browser = { request: () => new Promise(() => undefined), downloadUrl: (p: string) => `http://127.0.0.1:1/exports/${encodeURIComponent(p.split('/').pop()!)}?token=t` } as unknown as Transport;
const desktop = { ...browser, downloadUrl: () => null } as unknown as Transport;
const dir = '/data/exports/';
const csv = ['复盘-r-20241111-2000.csv', '复盘-r-20241111-2000.kpis.csv', '复盘-r-20241111-2000.products.csv', '复盘-r-20241111-2000.segments.csv'].map((f) => dir + f);

describe('the export bar', () => {
  it('offers each file of a CSV export for download, named for its table', () => {
    retroStore.setState({ exports: [{ format: 'csv', status: 'done', path: csv[0]!, files: csv, error: null }] });
    const html = renderToStaticMarkup(<ExportBar transport={browser} locale="zh-CN" />);
    const links = [...html.matchAll(/<a [^>]*href="([^"]+)"[^>]*>([^<]*)<\/a>/g)].map((m) => [decodeURIComponent(m[1]!.split('/exports/')[1]!.split('?')[0]!), m[2]]);
    expect(links).toEqual([
      ['复盘-r-20241111-2000.csv', '下载 分钟表'],
      ['复盘-r-20241111-2000.kpis.csv', '下载 指标表'],
      ['复盘-r-20241111-2000.products.csv', '下载 商品表'],
      ['复盘-r-20241111-2000.segments.csv', '下载 讲解段表'],
    ]);
    expect(html).toContain('data-files="4"');
  });

  it('offers one link for a one-file export, and the folder in the desktop app', () => {
    retroStore.setState({ exports: [{ format: 'xlsx', status: 'done', path: `${dir}r.xlsx`, files: [`${dir}r.xlsx`], error: null }] });
    expect([...renderToStaticMarkup(<ExportBar transport={browser} locale="zh-CN" />).matchAll(/<a /g)]).toHaveLength(1);
    const app = renderToStaticMarkup(<ExportBar transport={desktop} locale="zh-CN" />);
    expect(app).not.toContain('<a ');
    expect(app).toContain('在文件夹中显示');
  });
});
