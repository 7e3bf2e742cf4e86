import { dayBetween, insertInChunks, rngFor, type Em, type Progress, type SeedCounts, type SyntheticProvince } from '@pcmt/kit';
import { CaseRoute, CaseStatus, CaseSuspect, DrugCase, Hotspot, HotspotKind, ManagementFile, Person } from './entities.js';

const ARTICLES = ['247', '248', '249', '250', '251', '252', '255', '256'];

/** Writes the police part of the synthetic province: the register, files, cases, hotspots. */
export async function seedPolice(em: Em, p: SyntheticProvince, progress: Progress): Promise<SeedCounts> {
  const f = rngFor(p.seed, 'police');
  await insertInChunks(em, Person, p.persons as Partial<Person>[], 500, (d) => progress('persons', d, p.persons.length));

  const files = p.managed.map((m) => ({
    person: m.citizenId as any,
    category: m.category as any,
    communeCode: m.communeCode,
    openedOn: m.openedOn,
    closedOn: m.closedOn,
  }));
  await insertInChunks(em, ManagementFile, files, 500, (d) => progress('management files', d, files.length));

  const cases = p.cases.map((c) => {
    const age = p.year - Number(c.reportedOn.slice(0, 4));
    return {
      id: c.id,
      reportedOn: c.reportedOn,
      communeCode: c.communeCode,
      article: f.helpers.arrayElement(ARTICLES),
      status: age >= 1 ? f.helpers.arrayElement([CaseStatus.TRIED, CaseStatus.CLOSED]) : f.helpers.enumValue(CaseStatus),
      route: f.helpers.weightedArrayElement([
        { value: CaseRoute.INLAND, weight: 50 },
        { value: CaseRoute.LAND_BORDER, weight: 25 },
        { value: CaseRoute.POSTAL_EXPRESS, weight: 10 },
        { value: CaseRoute.SEA, weight: 5 },
        { value: CaseRoute.CYBERSPACE, weight: 8 },
        { value: CaseRoute.AIR, weight: 2 },
      ]),
    };
  });
  await insertInChunks(em, DrugCase, cases, 500, (d) => progress('drug cases', d, cases.length));

  const suspects = p.cases.flatMap((c) =>
    c.suspects.map((s) => ({
      drugCase: c.id as any,
      person: s.citizenId as any,
      role: s.role as any,
      arrestedOn: f.number.float() < 0.85 ? c.reportedOn : null,
    })),
  );
  await insertInChunks(em, CaseSuspect, suspects, 500, (d) => progress('case suspects', d, suspects.length));

  const hotspots = p.communes
    .filter(() => f.number.float() < 0.5)
    .map((c) => {
      const detectedOn = dayBetween(f, `${p.year - 1}-01-01`, `${p.year}-12-31`);
      return {
        kind: f.helpers.enumValue(HotspotKind),
        place: f.helpers.arrayElement(['Quán karaoke', 'Nhà nghỉ', 'Quán bar', 'Nhà riêng', 'Bãi đất trống']) + ` số ${f.number.int({ min: 1, max: 300 })}, ${c.name}`,
        communeCode: c.code,
        detectedOn,
        dismantledOn: f.number.float() < 0.8 ? dayBetween(f, detectedOn, `${p.year}-12-31`) : null,
      };
    });
  await insertInChunks(em, Hotspot, hotspots, 500, (d) => progress('hotspots', d, hotspots.length));

  return { person: p.persons.length, management_file: files.length, drug_case: cases.length, case_suspect: suspects.length, hotspot: hotspots.length };
}
