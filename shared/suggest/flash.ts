/**
 * The 秒杀 a "hold viewers" play proposes: a fifth off the price the board shows, rounded to
 * the nearest 角 (¥39.90 × 80 % = ¥31.92 → ¥31.90, not the ¥31 a floor to whole yuan gave), for
 * a tenth of the stock left. The offer keeps its basis — the list price and the share — so the
 * card can say "¥31.90（原价 ¥39.90 的 8 折）" and the operator can check it.
 */

/** The flash price as a share of the list price. */
export const FLASH_PRICE_SHARE = 0.8;
/** A tenth of the stock left, between 1 and FLASH_MAX_UNITS units (FLASH_UNITS_NO_STOCK without a stock figure). */
export const FLASH_STOCK_SHARE = 0.1;
export const FLASH_MAX_UNITS = 200;
export const FLASH_UNITS_NO_STOCK = 50;
/** Prices are rounded to whole 角 (10 fen): how shops price. */
const ROUND_TO_FEN = 10;

export interface FlashOffer {
  priceFen: number;
  stock: number;
  /** what the price is a share of: the product's price when offered */
  listPriceFen: number;
  share: number;
}

export function flashOffer(p: { priceFen: number; stock: number | null; soldOut: boolean }): FlashOffer | null {
  if (p.soldOut || !(p.priceFen > 0)) return null;
  const exact = p.priceFen * FLASH_PRICE_SHARE;
  // Below a 角 the rounding would reach 0 or the full price: keep the exact fen then.
  const rounded = Math.round(exact / ROUND_TO_FEN) * ROUND_TO_FEN;
  const priceFen = rounded > 0 && rounded < p.priceFen ? rounded : Math.max(1, Math.round(exact));
  const stock = p.stock === null ? FLASH_UNITS_NO_STOCK : Math.min(p.stock, FLASH_MAX_UNITS, Math.max(1, Math.round(p.stock * FLASH_STOCK_SHARE)));
  return stock > 0 ? { priceFen, stock, listPriceFen: p.priceFen, share: FLASH_PRICE_SHARE } : null;
}
