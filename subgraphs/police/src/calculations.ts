import { CaseQuantityUnit, type Hotspot } from './entities.js';

// Pure police calculations, shared by the writes, the resolvers and the seed: no database, no input checks.

/** Kilograms per tablet: yaba (methamphetamine) tablets weigh about 0.1 g, other tablets about 0.3 g. */
const TABLET_KG: Record<string, number> = { METHAMPHETAMINE: 0.0001 };
const DEFAULT_TABLET_KG = 0.0003;

/**
 * A seized quantity in kilograms, the way seizures are added up province-wide: tablets by typical
 * weight, 1 ml ≈ 1 g, plants count 0 (they are counted as plants and as cultivation area, not by weight).
 */
export function caseKgEquivalent(substanceCode: string, quantity: number, unit: CaseQuantityUnit): number {
  const kg =
    unit === CaseQuantityUnit.KILOGRAM ? quantity
    : unit === CaseQuantityUnit.TABLET ? quantity * (TABLET_KG[substanceCode] ?? DEFAULT_TABLET_KG)
    : unit === CaseQuantityUnit.PLANT ? 0
    : quantity / 1000; // GRAM, MILLILITRE
  return Math.round(kg * 1e6) / 1e6;
}

/** Largest quantity one item may record: anything above is a typing error (grams typed as kilograms). */
export const MAX_CASE_QUANTITY: Record<CaseQuantityUnit, number> = {
  GRAM: 10_000_000,
  KILOGRAM: 10_000,
  TABLET: 100_000_000,
  MILLILITRE: 10_000_000,
  PLANT: 10_000_000,
};

/** Active: never dismantled, or back after its latest dismantling. */
export const hotspotActive = (h: Hotspot): boolean => !h.dismantledOn || (h.recurredOn != null && h.recurredOn > h.dismantledOn);
