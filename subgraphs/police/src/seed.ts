import { addDays, dayBetween, insertInChunks, rngFor, type Em, type Progress, type SeedCounts, type SyntheticCase, type SyntheticProvince } from '@pcmt/kit';
import { caseKgEquivalent } from './calculations.js';
import {
  CaseQuantityUnit,
  CaseRoute,
  CaseSeizedItem,
  CaseStatus,
  CaseSuspect,
  CommuneDrugSituation,
  CultivationSite,
  DrugCase,
  DrugSituationClass,
  Hotspot,
  HotspotKind,
  ManagementFile,
  Person,
  PlantKind,
  RetailDealer,
  RetailDealerStatus,
  VenueType,
  WantedPerson,
} from './entities.js';

type Weighted<T> = Array<{ value: T; weight: number }>;
type Faker = ReturnType<typeof rngFor>;

const minDay = (a: string, b: string) => (a < b ? a : b);

/** A day `min`–`max` days after `from`, never after `last` (the end of the seeded data). */
function daysAfter(f: Faker, from: string, min: number, max: number, last: string): string {
  const lo = minDay(addDays(from, min), last);
  return dayBetween(f, lo, minDay(addDays(from, max), last));
}

// Possession and trading make up most drug cases; the rest are rare.
const ARTICLE_WEIGHTS: Weighted<string> = [
  { value: '249', weight: 34 },
  { value: '251', weight: 34 },
  { value: '250', weight: 10 },
  { value: '255', weight: 8 },
  { value: '256', weight: 6 },
  { value: '248', weight: 2 },
  { value: '252', weight: 1 },
  { value: '253', weight: 1 },
  { value: '254', weight: 1 },
  { value: '257', weight: 1 },
  { value: '258', weight: 1 },
  { value: '259', weight: 1 },
];

/** Route weights per year: the later year is a little richer in sea, express and online cases (indicator d). */
function routeWeights(later: boolean, where: SyntheticProvince['profile']): Weighted<CaseRoute> {
  // A province without a land border, coast or airport has no cases on that route.
  const absent = new Set([...(where.landBorder ? [] : [CaseRoute.LAND_BORDER]), ...(where.coastal ? [] : [CaseRoute.SEA]), ...(where.airport ? [] : [CaseRoute.AIR])]);
  return ([
    { value: CaseRoute.INLAND, weight: 52 },
    { value: CaseRoute.LAND_BORDER, weight: 22 },
    { value: CaseRoute.POSTAL_EXPRESS, weight: later ? 11.5 : 10 },
    { value: CaseRoute.SEA, weight: later ? 6 : 5 },
    { value: CaseRoute.CYBERSPACE, weight: later ? 9.5 : 8 },
    { value: CaseRoute.AIR, weight: 3 },
  ] as Weighted<CaseRoute>).filter((w) => !absent.has(w.value));
}

/** One seized quantity for a substance, in the unit police usually weigh or count it in. */
function seizedQuantity(f: Faker, substance: string, article: string, big: boolean): { quantity: number; unit: CaseQuantityUnit } {
  const grams = (min: number, max: number) => {
    const q = Math.round(f.number.float({ min, max }) * (big ? 20 : 1) * 100) / 100;
    return q >= 1000 ? { quantity: Math.round(q) / 1000, unit: CaseQuantityUnit.KILOGRAM } : { quantity: q, unit: CaseQuantityUnit.GRAM };
  };
  const count = (unit: CaseQuantityUnit, min: number, max: number) => ({ quantity: f.number.int({ min, max: big ? max * 10 : max }), unit });
  switch (substance) {
    case 'METHAMPHETAMINE':
      return f.number.float() < 0.4 ? count(CaseQuantityUnit.TABLET, 10, 20000) : grams(0.5, 800);
    case 'MDMA':
      return count(CaseQuantityUnit.TABLET, 5, 2000);
    case 'CANNABIS':
      return article === '247' ? count(CaseQuantityUnit.PLANT, 20, 2000) : grams(5, 3000);
    case 'OPIUM':
      return article === '247' ? count(CaseQuantityUnit.PLANT, 100, 20000) : grams(10, 2000);
    case 'NPS':
      return f.number.float() < 0.5 ? count(CaseQuantityUnit.MILLILITRE, 50, 5000) : grams(1, 200);
    case 'N2O':
      return { quantity: f.number.int({ min: 1, max: 60 }), unit: CaseQuantityUnit.KILOGRAM };
    default: // HEROIN, KETAMINE, COCAINE
      return grams(0.5, 500);
  }
}

const VENUES: Record<HotspotKind, Weighted<VenueType>> = {
  USE_POINT: [
    { value: VenueType.PRIVATE_HOUSE, weight: 50 },
    { value: VenueType.PUBLIC_PLACE, weight: 35 },
    { value: VenueType.OTHER, weight: 15 },
  ],
  DEALING_POINT: [
    { value: VenueType.PRIVATE_HOUSE, weight: 55 },
    { value: VenueType.PUBLIC_PLACE, weight: 30 },
    { value: VenueType.OTHER, weight: 15 },
  ],
  HARBOURING_VENUE: [
    { value: VenueType.KARAOKE, weight: 45 },
    { value: VenueType.HOTEL_GUESTHOUSE, weight: 35 },
    { value: VenueType.BAR, weight: 20 },
  ],
};

const PLACE_NAMES: Record<VenueType, string[]> = {
  KARAOKE: ['Quán karaoke'],
  BAR: ['Quán bar', 'Vũ trường'],
  HOTEL_GUESTHOUSE: ['Nhà nghỉ', 'Khách sạn', 'Nhà trọ'],
  PRIVATE_HOUSE: ['Nhà riêng'],
  PUBLIC_PLACE: ['Bãi đất trống', 'Gầm cầu', 'Khu vực bờ sông'],
  OTHER: ['Lán trại', 'Nhà hoang'],
};

/**
 * Writes the police part of the synthetic province. Rows that come from the backbone are one to
 * one with it (a file per `p.managed`, a case per `p.cases`, a suspect per case suspect, seized items
 * per case substance); hotspots, dealers, cultivation and wanted notices are police detail drawn
 * from the police random stream, consistent with each commune's classification.
 */
export async function seedPolice(em: Em, p: SyntheticProvince, progress: Progress): Promise<SeedCounts> {
  const f = rngFor(p.seed, 'police');
  const years = [p.year - 1, p.year];
  const lastDay = `${p.year}-12-31`;
  await insertInChunks(em, Person, p.persons as Partial<Person>[], 500, (d) => progress('persons', d, p.persons.length));

  const files = p.managed.map((m) => ({
    person: m.citizenId as any,
    category: m.category as any,
    communeCode: m.communeCode,
    openedOn: m.openedOn,
    closedOn: m.closedOn,
    // 'Ngáo đá' comes with methamphetamine, so mostly among users who are not on opioids.
    psychosisRisk: (m.category === 'ADDICT' || m.category === 'ILLEGAL_USER') && f.number.float() < (m.opioid ? 0.04 : 0.25),
  }));
  await insertInChunks(em, ManagementFile, files, 500, (d) => progress('management files', d, files.length));

  // ------------------------------------------------------------------ cases, items, suspects
  const cases: Partial<DrugCase>[] = [];
  const items: Partial<CaseSeizedItem>[] = [];
  for (const c of p.cases) {
    const year = Number(c.reportedOn.slice(0, 4));
    const later = year === p.year;
    const route = f.helpers.weightedArrayElement(routeWeights(later, p.profile));
    const crossesBorder = route === CaseRoute.LAND_BORDER || route === CaseRoute.SEA || route === CaseRoute.AIR;
    const plants = c.substanceCodes.some((s) => s === 'CANNABIS' || s === 'OPIUM') && f.number.float() < 0.15;
    const article = plants ? '247' : crossesBorder && f.number.float() < 0.4 ? '250' : f.helpers.weightedArrayElement(ARTICLE_WEIGHTS);
    const growth = later ? 1.12 : 1;
    const transnational = f.number.float() < (crossesBorder ? 0.45 : route === CaseRoute.POSTAL_EXPRESS ? 0.25 : 0.03) * growth;
    const organised = f.number.float() < (transnational ? 0.5 : c.suspects.length > 1 ? 0.25 : 0.08) * growth;
    const cyberspace = route === CaseRoute.CYBERSPACE || f.number.float() < 0.06 * growth;
    const age = p.year - year;
    cases.push({
      id: c.id,
      reportedOn: c.reportedOn,
      communeCode: c.communeCode,
      article,
      status:
        age >= 1
          ? f.helpers.arrayElement([CaseStatus.TRIED, CaseStatus.CLOSED])
          : f.helpers.weightedArrayElement([
              { value: CaseStatus.REPORTED, weight: 10 },
              { value: CaseStatus.INVESTIGATING, weight: 40 },
              { value: CaseStatus.PROSECUTED, weight: 25 },
              { value: CaseStatus.TRIED, weight: 15 },
              { value: CaseStatus.CLOSED, weight: 10 },
            ]),
      route,
      transnational,
      organised,
      cyberspace,
      assetsRecoveredVnd: f.number.float() < (organised ? 0.6 : 0.25) ? f.number.int({ min: 50, max: organised ? 50000 : 5000 }) * 100_000 : null,
    });
    for (const substanceCode of c.substanceCodes) {
      const { quantity, unit } = seizedQuantity(f, substanceCode, article, transnational || organised);
      items.push({ drugCase: c.id as any, communeCode: c.communeCode, reportedOn: c.reportedOn, substanceCode, quantity, unit, kgEquivalent: caseKgEquivalent(substanceCode, quantity, unit) });
    }
  }
  await insertInChunks(em, DrugCase, cases, 500, (d) => progress('drug cases', d, cases.length));
  await insertInChunks(em, CaseSeizedItem, items, 500, (d) => progress('case seized items', d, items.length));

  // Suspects not arrested with the case are mostly put on the wanted list; some are caught later.
  const suspects: Partial<CaseSuspect>[] = [];
  const wanted: Partial<WantedPerson>[] = [];
  for (const c of p.cases) {
    for (const s of c.suspects) {
      let arrestedOn: string | null = f.number.float() < 0.85 ? c.reportedOn : null;
      if (!arrestedOn && f.number.float() < 0.6) {
        const wantedSince = daysAfter(f, c.reportedOn, 10, 90, lastDay);
        const caughtOn = f.number.float() < 0.45 && wantedSince < lastDay ? daysAfter(f, wantedSince, 10, 300, lastDay) : null;
        wanted.push({ person: s.citizenId as any, drugCase: c.id as any, wantedSince, caughtOn });
        arrestedOn = caughtOn;
      }
      suspects.push({ drugCase: c.id as any, person: s.citizenId as any, role: s.role as any, arrestedOn });
    }
  }
  await insertInChunks(em, CaseSuspect, suspects, 500, (d) => progress('case suspects', d, suspects.length));
  await insertInChunks(em, WantedPerson, wanted, 500, (d) => progress('wanted persons', d, wanted.length));

  // ------------------------------------------------------------------ commune classification
  const situations = classifyCommunes(p);
  await insertInChunks(em, CommuneDrugSituation, situations, 500, (d) => progress('commune drug situations', d, situations.length));
  const classOf = new Map(situations.map((s) => [`${s.communeCode}:${s.year}`, s.classification!]));

  // ------------------------------------------------------------------ hotspots
  const hotspots: Partial<Hotspot>[] = [];
  const communeName = new Map(p.communes.map((c) => [c.code, c.name]));
  for (const y of years) {
    for (const c of p.communes) {
      const cls = classOf.get(`${c.code}:${y}`);
      const n =
        cls === DrugSituationClass.KEY_HOTSPOT ? f.number.int({ min: 2, max: 4 })
        : cls === DrugSituationClass.HAS_DRUG_PROBLEMS ? f.helpers.weightedArrayElement([{ value: 0, weight: 30 }, { value: 1, weight: 60 }, { value: 2, weight: 10 }])
        : 0;
      for (let i = 0; i < n; i++) {
        const kind = f.helpers.weightedArrayElement([
          { value: HotspotKind.USE_POINT, weight: 45 },
          { value: HotspotKind.DEALING_POINT, weight: 30 },
          { value: HotspotKind.HARBOURING_VENUE, weight: 25 },
        ]);
        const venueType = f.helpers.weightedArrayElement(VENUES[kind]);
        const detectedOn = dayBetween(f, `${y}-01-01`, `${y}-12-31`);
        let dismantledOn = f.number.float() < 0.85 && detectedOn < lastDay ? daysAfter(f, detectedOn, 5, 120, lastDay) : null;
        let recurredOn: string | null = null;
        let recurrenceCount = 0;
        if (dismantledOn && dismantledOn < lastDay && f.number.float() < 0.12) {
          recurredOn = daysAfter(f, dismantledOn, 30, 200, lastDay);
          recurrenceCount = 1;
          // Half of the reappeared hotspots are dismantled again; the date kept is the latest.
          if (recurredOn < lastDay && f.number.float() < 0.5) dismantledOn = daysAfter(f, recurredOn, 5, 60, lastDay);
        }
        hotspots.push({
          kind,
          venueType,
          place: `${f.helpers.arrayElement(PLACE_NAMES[venueType])} số ${f.number.int({ min: 1, max: 300 })}, ${communeName.get(c.code)}`,
          communeCode: c.code,
          detectedOn,
          dismantledOn,
          recurredOn,
          recurrenceCount,
        });
      }
    }
  }
  await insertInChunks(em, Hotspot, hotspots, 500, (d) => progress('hotspots', d, hotspots.length));

  // ------------------------------------------------------------------ retail dealers
  // Dealers are backbone persons living in the commune, suspects and managed persons first.
  const candidates = new Map<string, string[]>();
  const known = new Set([...p.cases.flatMap((c) => c.suspects.map((s) => s.citizenId)), ...p.managed.map((m) => m.citizenId)]);
  for (const person of p.persons) {
    if (!candidates.has(person.communeCode)) candidates.set(person.communeCode, []);
    candidates.get(person.communeCode)!.push(person.citizenId);
  }
  for (const list of candidates.values()) list.sort((a, b) => Number(known.has(b)) - Number(known.has(a)));
  const taken = new Set<string>();
  const dealers: Partial<RetailDealer>[] = [];
  for (const y of years) {
    for (const c of p.communes) {
      const cls = classOf.get(`${c.code}:${y}`);
      const n =
        cls === DrugSituationClass.KEY_HOTSPOT ? f.number.int({ min: 2, max: 3 })
        : cls === DrugSituationClass.HAS_DRUG_PROBLEMS ? f.helpers.weightedArrayElement([{ value: 0, weight: 15 }, { value: 1, weight: 70 }, { value: 2, weight: 15 }])
        : 0;
      const pool = (candidates.get(c.code) ?? []).filter((id) => !taken.has(id));
      for (let i = 0; i < n && i < pool.length; i++) {
        taken.add(pool[i]);
        const detectedOn = dayBetween(f, `${y}-01-01`, `${y}-12-31`);
        const dealt = f.number.float() < 0.75 && detectedOn < lastDay;
        dealers.push({
          person: pool[i] as any,
          communeCode: c.code,
          detectedOn,
          dealtWithOn: dealt ? daysAfter(f, detectedOn, 3, 150, lastDay) : null,
          status: dealt
            ? f.helpers.weightedArrayElement([
                { value: RetailDealerStatus.ARRESTED, weight: 60 },
                { value: RetailDealerStatus.ADMINISTRATIVELY_SANCTIONED, weight: 30 },
                { value: RetailDealerStatus.CEASED, weight: 10 },
              ])
            : RetailDealerStatus.ACTIVE,
        });
      }
    }
  }
  await insertInChunks(em, RetailDealer, dealers, 500, (d) => progress('retail dealers', d, dealers.length));

  // ------------------------------------------------------------------ illegal cultivation
  // Poppy and cannabis are grown in the upland border communes; none where the commune is drug-free that year.
  const border = p.communes.filter((c) => c.border);
  const uplands = border.length ? border : p.communes;
  let eligible = years.flatMap((y) => uplands.filter((c) => classOf.get(`${c.code}:${y}`) !== DrugSituationClass.DRUG_FREE).map((c) => ({ code: c.code, y })));
  if (!eligible.length) eligible = years.flatMap((y) => uplands.map((c) => ({ code: c.code, y })));
  const sites: Partial<CultivationSite>[] = [];
  const siteCount = Math.max(3, Math.round(30 * p.scale));
  for (let i = 0; i < siteCount; i++) {
    const { code, y } = f.helpers.arrayElement(eligible);
    const plant = f.helpers.weightedArrayElement([
      { value: PlantKind.OPIUM_POPPY, weight: 60 },
      { value: PlantKind.CANNABIS, weight: 35 },
      { value: PlantKind.OTHER, weight: 5 },
    ]);
    // Poppy is sown after the harvest and found around Tết (January–April).
    const detectedOn = plant === PlantKind.OPIUM_POPPY ? dayBetween(f, `${y}-01-05`, `${y}-04-30`) : dayBetween(f, `${y}-01-01`, `${y}-12-31`);
    sites.push({
      communeCode: code,
      plant,
      areaM2: plant === PlantKind.OPIUM_POPPY ? f.number.int({ min: 200, max: 5000 }) : f.number.int({ min: 20, max: 800 }),
      detectedOn,
      destroyedOn: f.number.float() < 0.9 ? daysAfter(f, detectedOn, 0, 10, lastDay) : null,
    });
  }
  await insertInChunks(em, CultivationSite, sites, 500, (d) => progress('cultivation sites', d, sites.length));

  return {
    person: p.persons.length,
    management_file: files.length,
    drug_case: cases.length,
    case_seized_item: items.length,
    case_suspect: suspects.length,
    wanted_person: wanted.length,
    commune_drug_situation: situations.length,
    hotspot: hotspots.length,
    retail_dealer: dealers.length,
    cultivation_site: sites.length,
  };
}

/** Share of communes classified drug-free / key hotspot, per year: the later year improves. */
const DRUG_FREE_SHARE = [0.37, 0.42];
const KEY_HOTSPOT_SHARE = [0.12, 0.1];

/**
 * The commune police's yearly assessment, derived from the backbone: communes are ranked by their
 * drug burden that year (cases reported, against the province average, plus persons under
 * management per 1,000 inhabitants at year end, against the average); the lightest ~40 % are
 * drug-free, the heaviest ~10 % key hotspots, the rest have drug problems.
 */
export function classifyCommunes(p: SyntheticProvince): Partial<CommuneDrugSituation>[] {
  const rows: Partial<CommuneDrugSituation>[] = [];
  [p.year - 1, p.year].forEach((y, yi) => {
    const end = `${y}-12-31`;
    const casesIn = new Map<string, number>();
    for (const c of p.cases as SyntheticCase[]) if (c.reportedOn.startsWith(String(y))) casesIn.set(c.communeCode, (casesIn.get(c.communeCode) ?? 0) + 1);
    const managed = new Map<string, number>();
    for (const m of p.managed) if (m.openedOn <= end && (!m.closedOn || m.closedOn > end)) managed.set(m.communeCode, (managed.get(m.communeCode) ?? 0) + 1);
    const rate = (code: string, population: number) => ((managed.get(code) ?? 0) * 1000) / population;
    const avgCases = Math.max(1e-9, p.communes.reduce((s, c) => s + (casesIn.get(c.code) ?? 0), 0) / p.communes.length);
    const avgRate = Math.max(1e-9, p.communes.reduce((s, c) => s + rate(c.code, c.population), 0) / p.communes.length);
    const ranked = p.communes
      .map((c) => ({ code: c.code, burden: (casesIn.get(c.code) ?? 0) / avgCases + rate(c.code, c.population) / avgRate }))
      .sort((a, b) => a.burden - b.burden || a.code.localeCompare(b.code));
    // A named province's own situation where its document states it (kit PROVINCE_PROFILES).
    const shares = p.profile?.drugSituation;
    const free = Math.round(ranked.length * (shares?.drugFree ?? DRUG_FREE_SHARE)[yi]);
    const key = Math.max(1, Math.round(ranked.length * (shares?.keyHotspot ?? KEY_HOTSPOT_SHARE)[yi]));
    ranked.forEach((c, i) => {
      const classification = i < free ? DrugSituationClass.DRUG_FREE : i >= ranked.length - key ? DrugSituationClass.KEY_HOTSPOT : DrugSituationClass.HAS_DRUG_PROBLEMS;
      rows.push({ communeCode: c.code, year: y, classification });
    });
  });
  return rows;
}
