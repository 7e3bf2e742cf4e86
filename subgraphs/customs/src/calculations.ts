import { QuantityUnit } from './entities.js';

// Pure customs calculations, shared by the writes and the seed: no database, no input checks.

/** Kilograms per tablet: yaba (methamphetamine) tablets weigh about 0.1 g, others the UNODC default 0.3 g. */
const TABLET_KG: Record<string, number> = { METHAMPHETAMINE: 0.0001 };
const DEFAULT_TABLET_KG = 0.0003;

/** Quantity in kilograms as UNODC aggregates seizures: tablets by typical weight, 1 ml ≈ 1 g. */
export function kgEquivalent(substanceCode: string, quantity: number, unit: QuantityUnit): number {
  const kg =
    unit === QuantityUnit.KILOGRAM ? quantity
    : unit === QuantityUnit.TABLET ? quantity * (TABLET_KG[substanceCode] ?? DEFAULT_TABLET_KG)
    : quantity / 1000; // GRAM and MILLILITRE
  return Math.round(kg * 1e6) / 1e6;
}

/**
 * Largest quantity one item may record, per unit: ten tonnes, or 100 million tablets. The largest
 * seizures on record in the region stay well below; anything above is a typing error (a weight in
 * grams typed into the kilogram column).
 */
export const MAX_QUANTITY: Record<QuantityUnit, number> = {
  GRAM: 10_000_000,
  KILOGRAM: 10_000,
  TABLET: 100_000_000,
  MILLILITRE: 10_000_000,
};
