import type { EntityManager } from '@mikro-orm/core';
import { ALL_AREAS, checkCommune, idempotentWrite, InputErrors } from '@pcmt/kit';
import { isCountryCode } from './countries.js';
import {
  BorderGate,
  BorderGateKind,
  Conveyance,
  PRECURSOR_CODES,
  PrecursorDirection,
  PrecursorLicence,
  PrecursorViolation,
  PrecursorViolationKind,
  QuantityUnit,
  SeizedItem,
  Seizure,
  SeizureSuspect,
  SeizingAgency,
  SmuggleRoute,
} from './entities.js';
import { kgEquivalent, MAX_QUANTITY } from './calculations.js';
import type { RegisterSeizureInput, HandOverSeizureInput, RegisterPrecursorLicenceInput, RecordPrecursorViolationInput } from './inputs.js';

/** Số vụ bắt giữ: TG-<year>-<5-digit number within the year>. */
export const SEIZURE_ID = /^TG-(\d{4})-(\d{5})$/;
/** Số vụ án of a police case: VA-<year>-<5 digits>. */
export const DRUG_CASE_ID = /^VA-(\d{4})-(\d{5})$/;
/** Catalogue codes are upper-case words (HEROIN, NPS, ACETIC_ANHYDRIDE); the catalogue itself lives in `program`. */
export const SUBSTANCE_CODE = /^[A-Z][A-Z0-9_]{1,15}$/;

export const MAX_ITEMS = 50;
const MAX_SUSPECTS = 100;
export const MAX_PRECURSOR_KG = 1_000_000;
/** Records older than this are archive material, not day-to-day writes. */
const EARLIEST = '2000-01-01';

/** Gate kinds a route can pass through. */
export const ROUTE_GATES: Record<SmuggleRoute, readonly BorderGateKind[]> = {
  LAND_BORDER: [BorderGateKind.LAND_GATE, BorderGateKind.TRAIL],
  SEA: [BorderGateKind.SEAPORT],
  AIR: [BorderGateKind.AIRPORT],
  POSTAL_EXPRESS: [BorderGateKind.POSTAL_HUB],
};

/** How drugs travel on each route; boats also cross the border rivers, trucks leave seaports with containers. */
export const ROUTE_CONVEYANCES: Record<SmuggleRoute, readonly Conveyance[]> = {
  LAND_BORDER: [Conveyance.ON_FOOT, Conveyance.MOTORBIKE, Conveyance.CAR, Conveyance.TRUCK, Conveyance.BOAT],
  SEA: [Conveyance.BOAT, Conveyance.TRUCK],
  AIR: [Conveyance.AIRCRAFT],
  POSTAL_EXPRESS: [Conveyance.PARCEL],
};

const isOneOf = <E extends string>(e: Record<string, E>, v: unknown): v is E => typeof v === 'string' && (Object.values(e) as string[]).includes(v);

/**
 * One spreadsheet row of a seizure report: the seizure's own columns (needed on its first row,
 * blank or equal on the next ones), one item, and optionally suspects and the hand-over.
 */
export interface AddSeizedItemInput {
  seizureId: string;
  seizedOn?: string | null;
  communeCode?: string | null;
  agency?: SeizingAgency | null;
  gateCode?: string | null;
  route?: SmuggleRoute | null;
  conveyance?: Conveyance | null;
  concealment?: string | null;
  originCountry?: string | null;
  transitCountry?: string | null;
  destinationCountry?: string | null;
  substanceCode: string;
  quantity: number;
  unit: QuantityUnit;
  suspects?: string[];
  drugCaseId?: string | null;
  handedOverOn?: string | null;
}

// ---------------------------------------------------------------------------------------------
// Checks shared by the mutation and the importer

interface SeizureFields {
  seizedOn?: string | null;
  communeCode?: string | null;
  agency?: SeizingAgency | null;
  gateCode?: string | null;
  route?: SmuggleRoute | null;
  conveyance?: Conveyance | null;
  concealment?: string | null;
  originCountry?: string | null;
  transitCountry?: string | null;
  destinationCountry?: string | null;
}

async function checkSeizureId(em: EntityManager, errs: InputErrors, field: string, id: unknown, seizedOn: unknown, mustBeNew: boolean): Promise<void> {
  const m = typeof id === 'string' ? SEIZURE_ID.exec(id) : null;
  if (!errs.check(m !== null, field, 'must be a seizure number TG-YYYY-NNNNN')) return;
  // Seizures are numbered within the year they are made in.
  if (typeof seizedOn === 'string' && /^\d{4}-/.test(seizedOn)) errs.check(m![1] === seizedOn.slice(0, 4), field, `year ${m![1]} does not match seizedOn ${seizedOn}`);
  if (mustBeNew) errs.check((await em.count(Seizure, { id: id as string }, ALL_AREAS)) === 0, field, `seizure ${id} already exists`);
}

/** Every seizure-level field of a new seizure; returns the gate when one was named and found. */
async function checkNewSeizure(em: EntityManager, errs: InputErrors, s: SeizureFields): Promise<BorderGate | null> {
  const required = (field: keyof SeizureFields) => errs.check(s[field] != null && s[field] !== '', field, 'is required');
  if (required('seizedOn')) errs.date('seizedOn', s.seizedOn, { notFuture: true, notBefore: EARLIEST });
  if (required('communeCode')) await checkCommune(em, errs, 'communeCode', s.communeCode);
  const agencyOk = required('agency') && errs.check(isOneOf(SeizingAgency, s.agency), 'agency', 'unknown seizing agency');
  const routeOk = required('route') && errs.check(isOneOf(SmuggleRoute, s.route), 'route', 'unknown route');
  const route = s.route as SmuggleRoute;
  if (agencyOk && routeOk) errs.check(s.agency !== SeizingAgency.COAST_GUARD || route === SmuggleRoute.SEA, 'agency', 'the coast guard seizes on the sea route only');
  if (required('conveyance') && errs.check(isOneOf(Conveyance, s.conveyance), 'conveyance', 'unknown conveyance') && routeOk) {
    errs.check(ROUTE_CONVEYANCES[route].includes(s.conveyance!), 'conveyance', `${s.conveyance} does not travel on route ${route} (allowed: ${ROUTE_CONVEYANCES[route].join(', ')})`);
  }
  let gate: BorderGate | null = null;
  if (s.gateCode != null && s.gateCode !== '') {
    gate = await em.findOne(BorderGate, { code: s.gateCode });
    if (errs.check(gate !== null, 'gateCode', `unknown border gate ${s.gateCode}`) && routeOk) {
      errs.check(ROUTE_GATES[route].includes(gate!.kind), 'gateCode', `${gate!.code} is a ${gate!.kind}, not on route ${route}`);
    }
  }
  errs.text('concealment', s.concealment, { required: true });
  checkCountries(errs, s);
  return gate;
}

function checkCountries(errs: InputErrors, s: SeizureFields): void {
  const country = (field: 'originCountry' | 'transitCountry' | 'destinationCountry', required: boolean) => {
    const v = s[field];
    if (v == null || v === '') return errs.check(!required, field, 'is required') && false;
    return errs.check(isCountryCode(v), field, `${v} is not a known ISO 3166-1 alpha-2 country code`);
  };
  const origin = country('originCountry', true);
  const transit = country('transitCountry', false);
  const destination = country('destinationCountry', true);
  if (transit) {
    if (origin) errs.check(s.transitCountry !== s.originCountry, 'transitCountry', 'must differ from the origin country');
    if (destination) errs.check(s.transitCountry !== s.destinationCountry, 'transitCountry', 'must differ from the destination country');
  }
}

function checkItem(errs: InputErrors, item: { substanceCode?: unknown; quantity?: unknown; unit?: unknown }, path: (field: string) => string): void {
  errs.check(typeof item.substanceCode === 'string' && SUBSTANCE_CODE.test(item.substanceCode), path('substanceCode'), 'must be a substance code of the catalogue (e.g. HEROIN)');
  const unitOk = errs.oneOf(path('unit'), item.unit, QuantityUnit);
  const q = item.quantity;
  if (typeof q !== 'number' || !Number.isFinite(q) || q <= 0) {
    errs.add(path('quantity'), 'must be more than 0');
  } else if (unitOk) {
    const unit = item.unit as QuantityUnit;
    errs.check(q <= MAX_QUANTITY[unit], path('quantity'), `must be at most ${MAX_QUANTITY[unit]} ${unit}`);
    if (unit === QuantityUnit.TABLET) errs.check(Number.isInteger(q), path('quantity'), 'tablets are counted in whole numbers');
  }
}

function checkSuspects(errs: InputErrors, ids: unknown[], field: (i: number) => string): void {
  const seen = new Set<unknown>();
  ids.forEach((id, i) => {
    if (errs.citizenId(field(i), id)) errs.check(!seen.has(id), field(i), `${id} is listed twice`);
    seen.add(id);
  });
}

/** The hand-over rules, against the seizure as stored (or about to be stored). */
function checkHandOver(
  errs: InputErrors,
  seizure: { id: string; seizedOn: string; drugCaseId?: string | null; handedOverOn?: string | null } | null,
  drugCaseId: unknown,
  handedOverOn: unknown,
): 'hand-over' | 'unchanged' | 'invalid' {
  const before = errs.errors.length;
  const m = typeof drugCaseId === 'string' ? DRUG_CASE_ID.exec(drugCaseId) : null;
  errs.check(m !== null, 'drugCaseId', 'must be a police case number VA-YYYY-NNNNN');
  const dateOk = errs.date('handedOverOn', handedOverOn, { notFuture: true, notBefore: seizure?.seizedOn });
  // A case is numbered in the year it is opened, which cannot be after the hand-over.
  if (m && dateOk) errs.check(m[1] <= (handedOverOn as string).slice(0, 4), 'drugCaseId', `case ${drugCaseId} was opened after ${handedOverOn}`);
  // HANDED_OVER is final. Hand-overs recorded before the day was kept may have it filled in.
  const on = seizure?.handedOverOn ? ` on ${seizure.handedOverOn}` : '';
  if (seizure?.drugCaseId) {
    if (errs.check(seizure.drugCaseId === drugCaseId, 'drugCaseId', `seizure ${seizure.id} was already handed over to ${seizure.drugCaseId}${on}`) && seizure.handedOverOn) {
      errs.check(seizure.handedOverOn === handedOverOn, 'handedOverOn', `seizure ${seizure.id} was handed over to ${seizure.drugCaseId}${on}`);
    }
  }
  if (errs.errors.length > before) return 'invalid';
  return seizure?.drugCaseId && seizure.handedOverOn ? 'unchanged' : 'hand-over';
}

function createItem(tx: EntityManager, seizure: Seizure, item: { substanceCode: string; quantity: number; unit: QuantityUnit }): SeizedItem {
  return tx.create(SeizedItem, {
    seizure,
    substanceCode: item.substanceCode,
    quantity: item.quantity,
    unit: item.unit,
    kgEquivalent: kgEquivalent(item.substanceCode, item.quantity, item.unit),
  });
}

function createSeizure(tx: EntityManager, id: string, s: SeizureFields, gate: BorderGate | null): Seizure {
  return tx.create(Seizure, {
    id,
    seizedOn: s.seizedOn!,
    communeCode: s.communeCode!,
    agency: s.agency!,
    gate,
    route: s.route!,
    conveyance: s.conveyance!,
    concealment: s.concealment!.trim(),
    originCountry: s.originCountry!,
    transitCountry: s.transitCountry || null,
    destinationCountry: s.destinationCountry!,
    drugCaseId: null,
    handedOverOn: null,
  });
}

// ---------------------------------------------------------------------------------------------
// Writes

/** Ghi nhận vụ bắt giữ: the seizure, its items and its suspects in one transaction. */
export async function registerSeizure(em: EntityManager, input: RegisterSeizureInput): Promise<{ result: Seizure; replayed: boolean }> {
  return idempotentWrite(em, Seizure, { key: input.idempotencyKey, operation: 'registerSeizure', input }, async (tx) => {
    const errs = new InputErrors();
    await checkSeizureId(tx, errs, 'id', input.id, input.seizedOn, true);
    const fields = { ...input, destinationCountry: input.destinationCountry ?? 'VN' };
    const gate = await checkNewSeizure(tx, errs, fields);
    const items = input.items ?? [];
    if (errs.check(items.length >= 1 && items.length <= MAX_ITEMS, 'items', `must list 1–${MAX_ITEMS} seized items`)) {
      const seen = new Map<string, number>();
      items.forEach((item, i) => {
        checkItem(errs, item, (f) => `items[${i}].${f}`);
        const key = `${item.substanceCode}/${item.unit}`;
        const first = seen.get(key);
        if (first !== undefined) errs.add(`items[${i}].substanceCode`, `${item.substanceCode} in ${item.unit} is already items[${first}]: add the quantities up`);
        else seen.set(key, i);
      });
    }
    const suspects = input.suspects ?? [];
    if (errs.check(suspects.length <= MAX_SUSPECTS, 'suspects', `at most ${MAX_SUSPECTS} persons`)) checkSuspects(errs, suspects, (i) => `suspects[${i}]`);
    errs.throwIfAny();

    const seizure = createSeizure(tx, input.id, fields, gate);
    for (const item of items) createItem(tx, seizure, item);
    for (const citizenId of suspects) tx.create(SeizureSuspect, { seizure, citizenId });
    return seizure;
  });
}

/** Bàn giao vụ bắt giữ cho cơ quan điều tra: links the seizure to the police case. */
export async function handOverSeizure(em: EntityManager, input: HandOverSeizureInput): Promise<{ result: Seizure; replayed: boolean }> {
  return idempotentWrite(em, Seizure, { key: input.idempotencyKey, operation: 'handOverSeizure', input }, async (tx) => {
    const errs = new InputErrors();
    const seizure = typeof input.seizureId === 'string' && SEIZURE_ID.test(input.seizureId) ? await tx.findOne(Seizure, { id: input.seizureId }) : null;
    errs.check(seizure !== null, 'seizureId', `unknown seizure ${input.seizureId}`);
    const outcome = checkHandOver(errs, seizure, input.drugCaseId, input.handedOverOn);
    errs.throwIfAny();
    if (outcome === 'hand-over') Object.assign(seizure!, { drugCaseId: input.drugCaseId, handedOverOn: input.handedOverOn });
    return seizure!;
  });
}

/**
 * One spreadsheet row: creates the seizure with its first item, or adds the item to the seizure
 * an earlier row created. One transaction either way, so a refused row leaves nothing behind and
 * a seizure never exists without an item.
 */
export async function addSeizedItem(em: EntityManager, input: AddSeizedItemInput, idempotencyKey?: string | null): Promise<{ result: SeizedItem; replayed: boolean }> {
  return idempotentWrite(em, SeizedItem, { key: idempotencyKey, operation: 'addSeizedItem', input }, async (tx) => {
    const errs = new InputErrors();
    const existing = SEIZURE_ID.test(input.seizureId ?? '') ? await tx.findOne(Seizure, { id: input.seizureId }) : null;
    let gate: BorderGate | null = null;
    if (existing) {
      await checkSameSeizure(tx, errs, existing, input);
      errs.check(
        (await tx.count(SeizedItem, { seizure: existing, substanceCode: input.substanceCode, unit: input.unit })) === 0,
        'substanceCode',
        `seizure ${existing.id} already has ${input.substanceCode} in ${input.unit}`,
      );
    } else {
      await checkSeizureId(tx, errs, 'seizureId', input.seizureId, input.seizedOn, false);
      gate = await checkNewSeizure(tx, errs, { ...input, destinationCountry: input.destinationCountry || 'VN' });
    }
    checkItem(errs, input, (f) => f);
    const suspects = input.suspects ?? [];
    checkSuspects(errs, suspects, () => 'suspects');
    const handOver = input.drugCaseId || input.handedOverOn
      ? checkHandOver(errs, existing ?? (input.seizedOn ? { id: input.seizureId, seizedOn: input.seizedOn } : null), input.drugCaseId, input.handedOverOn)
      : 'unchanged';
    errs.throwIfAny();

    const seizure = existing ?? createSeizure(tx, input.seizureId, { ...input, destinationCountry: input.destinationCountry || 'VN' }, gate);
    const item = createItem(tx, seizure, input);
    const held = existing ? new Set((await tx.find(SeizureSuspect, { seizure: existing })).map((s) => s.citizenId)) : new Set<string>();
    for (const citizenId of suspects) if (!held.has(citizenId)) tx.create(SeizureSuspect, { seizure, citizenId });
    if (handOver === 'hand-over') Object.assign(seizure, { drugCaseId: input.drugCaseId, handedOverOn: input.handedOverOn });
    return item;
  });
}

/** Later rows of a seizure may leave its columns blank; what they do fill in must agree with the first row. */
async function checkSameSeizure(em: EntityManager, errs: InputErrors, s: Seizure, row: AddSeizedItemInput): Promise<void> {
  const gateCode = s.gate ? (await em.findOne(BorderGate, { id: s.gate.id }))?.code ?? null : null;
  const stored: Record<keyof SeizureFields, string | null | undefined> = {
    seizedOn: s.seizedOn,
    communeCode: s.communeCode,
    agency: s.agency,
    gateCode,
    route: s.route,
    conveyance: s.conveyance,
    concealment: s.concealment,
    originCountry: s.originCountry,
    transitCountry: s.transitCountry,
    destinationCountry: s.destinationCountry,
  };
  for (const [field, value] of Object.entries(stored) as Array<[keyof SeizureFields, string | null | undefined]>) {
    const given = row[field];
    if (given == null || given === '') continue;
    const same = field === 'concealment' ? String(given).trim() === (value ?? '').trim() : given === value;
    errs.check(same, field, `differs from seizure ${s.id}, recorded with ${value ?? 'none'}`);
  }
}

/** Cấp giấy phép xuất/nhập khẩu tiền chất. */
export async function registerPrecursorLicence(em: EntityManager, input: RegisterPrecursorLicenceInput): Promise<{ result: PrecursorLicence; replayed: boolean }> {
  return idempotentWrite(em, PrecursorLicence, { key: input.idempotencyKey, operation: 'registerPrecursorLicence', input }, async (tx) => {
    const errs = new InputErrors();
    if (errs.text('licenceNo', input.licenceNo, { required: true, max: 32 })) {
      errs.check((await tx.count(PrecursorLicence, { licenceNo: input.licenceNo.trim() })) === 0, 'licenceNo', `licence ${input.licenceNo} is already registered`);
    }
    errs.text('company', input.company, { required: true });
    errs.check(isOneOf(PrecursorDirection, input.direction), 'direction', 'must be IMPORT or EXPORT');
    checkPrecursor(errs, input.substanceCode);
    checkPrecursorKg(errs, input.quantityKg);
    const from = errs.date('validFrom', input.validFrom, { notBefore: EARLIEST });
    if (errs.date('validTo', input.validTo) && from) errs.check(input.validFrom <= input.validTo, 'validTo', 'must not be before validFrom');
    errs.throwIfAny();
    return tx.create(PrecursorLicence, {
      licenceNo: input.licenceNo.trim(),
      company: input.company.trim(),
      direction: input.direction,
      substanceCode: input.substanceCode,
      quantityKg: input.quantityKg,
      validFrom: input.validFrom,
      validTo: input.validTo,
    });
  });
}

/** Ghi nhận vi phạm về tiền chất found at a gate or port. */
export async function recordPrecursorViolation(em: EntityManager, input: RecordPrecursorViolationInput): Promise<{ result: PrecursorViolation; replayed: boolean }> {
  return idempotentWrite(em, PrecursorViolation, { key: input.idempotencyKey, operation: 'recordPrecursorViolation', input }, async (tx) => {
    const errs = new InputErrors();
    const kindOk = errs.oneOf('kind', input.kind, PrecursorViolationKind);
    let licence: PrecursorLicence | null = null;
    if (input.licenceNo != null && input.licenceNo !== '') {
      licence = await tx.findOne(PrecursorLicence, { licenceNo: input.licenceNo.trim() });
      errs.check(licence !== null, 'licenceNo', `unknown licence ${input.licenceNo}`);
      if (kindOk) errs.check(input.kind !== PrecursorViolationKind.NO_LICENCE, 'licenceNo', 'must be empty for a NO_LICENCE violation');
    } else if (kindOk) {
      errs.check(input.kind === PrecursorViolationKind.NO_LICENCE, 'licenceNo', `is required for a ${input.kind} violation`);
    }
    // An unknown licence is the one error; its holder is not asked for on top.
    if (licence || !input.licenceNo) errs.text('company', input.company ?? licence?.company, { required: true });
    const substanceOk = checkPrecursor(errs, input.substanceCode);
    checkPrecursorKg(errs, input.quantityKg);
    const dateOk = errs.date('detectedOn', input.detectedOn, { notFuture: true, notBefore: EARLIEST });
    await checkCommune(tx, errs, 'communeCode', input.communeCode);
    if (licence && kindOk) {
      // A falsely declared shipment may name another substance; the others are about the licensed one.
      if (substanceOk && input.kind !== PrecursorViolationKind.FALSE_DECLARATION) {
        errs.check(input.substanceCode === licence.substanceCode, 'substanceCode', `licence ${licence.licenceNo} is for ${licence.substanceCode}`);
      }
      if (dateOk && input.kind === PrecursorViolationKind.EXPIRED_LICENCE) {
        errs.check(input.detectedOn > licence.validTo, 'kind', `licence ${licence.licenceNo} was still valid on ${input.detectedOn} (until ${licence.validTo})`);
      }
    }
    errs.throwIfAny();
    return tx.create(PrecursorViolation, {
      licence,
      company: (input.company ?? licence!.company).trim(),
      substanceCode: input.substanceCode,
      quantityKg: input.quantityKg,
      detectedOn: input.detectedOn,
      communeCode: input.communeCode,
      kind: input.kind,
    });
  });
}

function checkPrecursor(errs: InputErrors, code: unknown): boolean {
  return errs.check((PRECURSOR_CODES as readonly unknown[]).includes(code), 'substanceCode', `must be a licensed precursor: ${PRECURSOR_CODES.join(', ')}`);
}

function checkPrecursorKg(errs: InputErrors, kg: unknown): boolean {
  return errs.check(typeof kg === 'number' && Number.isFinite(kg) && kg > 0 && kg <= MAX_PRECURSOR_KG, 'quantityKg', `must be more than 0 and at most ${MAX_PRECURSOR_KG} kg`);
}
