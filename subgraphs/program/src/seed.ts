import { insertInChunks, SUBSTANCE_CODES, type Em, type Progress, type SeedCounts, type SyntheticProvince } from '@pcmt/kit';
import { Commune, CommuneKind, Province, Substance, SubstanceGroup, Indicator } from './entities.js';
import { catalogueRow, INDICATORS } from './indicators.js';
import { seedPlans } from './plans.js';
import { seedReporting } from './reporting.js';

type CatalogueRow = Pick<Substance, 'code' | 'name' | 'nameVi' | 'group' | 'precursor'>;

const drug = (code: (typeof SUBSTANCE_CODES)[number], name: string, nameVi: string, group: SubstanceGroup): CatalogueRow => ({ code, name, nameVi, group, precursor: false });
const precursor = (code: string, name: string, nameVi: string): CatalogueRow => ({ code, name, nameVi, group: SubstanceGroup.PRECURSOR, precursor: true });

/** The substance catalogue: the same in every province, so constant rather than random. */
export const SUBSTANCE_CATALOGUE: CatalogueRow[] = [
  drug('HEROIN', 'Heroin', 'Heroin', SubstanceGroup.OPIOID),
  drug('OPIUM', 'Opium', 'Thuốc phiện', SubstanceGroup.OPIOID),
  drug('METHAMPHETAMINE', 'Methamphetamine', 'Ma túy đá', SubstanceGroup.STIMULANT),
  drug('MDMA', 'MDMA (ecstasy)', 'Thuốc lắc', SubstanceGroup.STIMULANT),
  drug('COCAINE', 'Cocaine', 'Cocain', SubstanceGroup.STIMULANT),
  drug('KETAMINE', 'Ketamine', 'Ketamin', SubstanceGroup.DISSOCIATIVE),
  drug('CANNABIS', 'Cannabis', 'Cần sa', SubstanceGroup.CANNABINOID),
  drug('NPS', 'New psychoactive substances (synthetic cathinones, synthetic cannabinoids)', 'Chất hướng thần mới (ma túy tổng hợp mới)', SubstanceGroup.NEW_PSYCHOACTIVE),
  drug('N2O', 'Nitrous oxide', 'Bóng cười (khí N2O)', SubstanceGroup.INHALANT),
  precursor('EPHEDRINE', 'Ephedrine', 'Ephedrin'),
  precursor('PSEUDOEPHEDRINE', 'Pseudoephedrine', 'Pseudoephedrin'),
  precursor('ACETIC_ANHYDRIDE', 'Acetic anhydride', 'Anhydrid axetic'),
  precursor('SAFROLE', 'Safrole', 'Safrol'),
];

/** Writes the reference data: the province, its communes (official codes) and the substance catalogue. */
export async function seedProgram(em: Em, p: SyntheticProvince, progress: Progress): Promise<SeedCounts> {
  await insertInChunks(em, Province, [{ code: p.province.code, name: p.province.name }]);
  progress('province', 1, 1);

  const communes = p.communes.map((c) => ({
    code: c.code,
    name: c.name,
    kind: c.kind as CommuneKind,
    province: p.province.code as any,
    population: c.population,
    border: c.border,
  }));
  await insertInChunks(em, Commune, communes, 500, (d) => progress('communes', d, communes.length));

  // The catalogues are the same in every province: written with the first province seeded.
  const first = (await em.count(Substance, {})) === 0;
  if (first) await insertInChunks(em, Substance, SUBSTANCE_CATALOGUE, 500, (d) => progress('substances', d, SUBSTANCE_CATALOGUE.length));

  const indicators = first ? INDICATORS.map(catalogueRow) : [];
  if (first) await insertInChunks(em, Indicator, indicators);
  progress('indicators', indicators.length, indicators.length);

  // The province's own plans from the seed documents, and the national programme once.
  const plans = await seedPlans(em, p.province.code, new Set(INDICATORS.map((d) => d.id)));
  progress('plans', plans.plan, plans.plan);
  const closures = await seedReporting(em, p);
  progress('reporting period closures', closures, closures);

  return { province: 1, commune: communes.length, substance: first ? SUBSTANCE_CATALOGUE.length : 0, indicator: indicators.length, ...plans, reporting_period_closure: closures };
}
