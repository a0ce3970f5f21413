/**
 * The settings dialog's requests: what this run was started with (redacted), what is saved for
 * the next start, a probe of a source before it is saved, and saving — refused when the next
 * start could not run on it. The feed token never leaves the core.
 */
import { readSavedSettings, writeSavedSettings, settingSources } from './saved.ts';
import { savedSettingsProblem } from '../config.ts';
import { redact } from '../feed/client.ts';
import { probeSource } from '../sources/probe.ts';
import type { CoreOptions } from '../options.ts';
import type { RequestHandlers, SettingsView } from '../../../shared/contract.ts';

export class SettingsDesk {
  constructor(
    private readonly opts: CoreOptions,
    /** the embedded simulator's speed, when it runs */
    private readonly simSpeed: () => number | null,
  ) {}

  view(): SettingsView {
    const o = this.opts;
    const saved = readSavedSettings(o.dataDir);
    const { feedToken, ...rest } = saved;
    return {
      effective: {
        feedUrl: o.feedUrl ? redact(o.feedUrl) : null,
        hasToken: Boolean(o.feedToken),
        rooms: o.rooms ?? null,
        dataDir: o.dataDir,
        scenario: (o.scenarioFiles ?? []).map((f) => f.split(/[\\/]/).pop() ?? f),
        speed: this.simSpeed() ?? o.speed ?? 10,
        seed: o.seed ?? '1',
        sourceKind: o.source?.kind ?? 'feed',
        sourceAddress: o.source ? (o.source.kind === 'replay' ? o.source.address : redact(o.source.address)) : null,
        ordersFile: o.source?.ordersFile ?? null,
      },
      saved: { ...rest, hasToken: Boolean(feedToken) },
      sources: settingSources(saved),
    };
  }

  /** Who acts, as the settings name them (decisions, ad actions, notes and acknowledgements carry it). */
  operator(): { byName: string | null; byRole: string | null } {
    const saved = readSavedSettings(this.opts.dataDir);
    return { byName: saved.operatorName ?? null, byRole: saved.operatorRole ?? null };
  }

  handlers(): RequestHandlers<'getSettings' | 'testSource' | 'saveSettings'> {
    const dataDir = this.opts.dataDir;
    return {
      getSettings: () => this.view(),
      testSource: (a) => {
        const saved = readSavedSettings(dataDir);
        return probeSource({ kind: a.sourceKind, address: a.address, token: a.feedToken ?? saved.feedToken ?? undefined, rooms: a.rooms, ordersFile: a.ordersFile, dataDir });
      },
      saveSettings: (a) => {
        const given = a.settings;
        const saved = readSavedSettings(dataDir);
        // The page never sees the token: leaving it out keeps the saved one; null clears it.
        // A form saves its own fields: what it leaves out (the operator, when saving the feed) stays.
        const next = { ...saved, ...given, feedToken: given.feedToken === undefined ? saved.feedToken : given.feedToken };
        // Settings the next start could not run on are refused here, not found out at that start.
        const problem = savedSettingsProblem(next, dataDir, Object.keys(given));
        if (problem) throw new Error(`not saved: ${problem}`);
        writeSavedSettings(dataDir, next);
        return this.view();
      },
    };
  }
}
