/**
 * A room's run-of-show (排品表) as the store keeps it: read once, replaced whole, with who replaced
 * it. The app and `lcr plan` save through this one class, so a plan imported from the command line
 * is checked and stored exactly as one set on the screen.
 */
import type { StoreReader } from '../store/reader.ts';
import type { WriteBatch } from '../store/writer.ts';
import type { PlanItem } from '../../../shared/suggest/plan.ts';

export interface StoredRunOfShow {
  items: PlanItem[];
  updatedAt: number;
  updatedBy: string | null;
}

export interface RunOfShowDeps {
  reader: StoreReader;
  write: (part: Partial<WriteBatch>) => void;
}

export class RunOfShowBook {
  private readonly cache = new Map<string, StoredRunOfShow | null>();

  constructor(private readonly d: RunOfShowDeps) {}

  get(roomId: string): StoredRunOfShow | null {
    if (!this.cache.has(roomId)) this.cache.set(roomId, this.d.reader.runOfShow(roomId) ?? null);
    return this.cache.get(roomId) ?? null;
  }

  /**
   * Replaces the room's plan. With a catalog (a show is running, or the room's newest show's
   * products) every item must be one of its products: a plan naming a product the room does not
   * sell is refused whole.
   */
  save(roomId: string, items: readonly PlanItem[], by: string | null, catalog: readonly { id: string }[] | null): StoredRunOfShow {
    if (catalog) {
      const known = new Set(catalog.map((c) => c.id));
      const bad = items.findIndex((i) => !known.has(i.productId));
      if (bad >= 0) throw new Error(`item ${bad + 1}: unknown product "${items[bad]?.productId}" (not in the room's catalog)`);
    }
    const row: StoredRunOfShow = { items: items.map((i) => ({ productId: i.productId, minutes: i.minutes })), updatedAt: Date.now(), updatedBy: by };
    this.cache.set(roomId, row);
    this.d.write({ runOfShow: [{ roomId, ...row }] });
    return row;
  }
}
