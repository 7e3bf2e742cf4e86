import type { EntityManager } from '@mikro-orm/core';
import { ALL_AREAS, areaOfEm, checkCommune, findById, idempotentWrite, InputErrors, SUBSTANCE_CODES, todayInVietnam } from '@pcmt/kit';
import { caseKgEquivalent, hotspotActive, MAX_CASE_QUANTITY } from './calculations.js';
import {
  CASE_LIFECYCLE,
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
  ManagedCategory,
  ManagementFile,
  PENAL_ARTICLES,
  Person,
  PlantKind,
  RetailDealer,
  RetailDealerStatus,
  Sex,
  SuspectRole,
  VenueType,
  WantedPerson,
} from './entities.js';
import type {
  AddCaseSuspectInput,
  CaseSeizedItemInput,
  ChangeDrugCaseStatusInput,
  ClassifyCommuneInput,
  CloseManagementFileInput,
  DealWithRetailDealerInput,
  DestroyCultivationSiteInput,
  DismantleHotspotInput,
  OpenDrugCaseInput,
  OpenManagementFileInput,
  RecordCultivationSiteInput,
  RecordHotspotInput,
  RecordHotspotRecurrenceInput,
  RecordRetailDealerInput,
  RecordWantedPersonCaughtInput,
  RecordWantedPersonInput,
  RegisterPersonInput,
} from './inputs.js';

// Every write below validates inside its idempotent transaction: a retry of a write that
// succeeded must be answered from the record, not refused because the row now exists.

export interface Written<T> {
  result: T;
  replayed: boolean;
}

export const CASE_ID_PATTERN = /^VA-(\d{4})-(\d{5})$/;
const MAX_ASSETS_VND = 1e13;
const MAX_AREA_M2 = 10_000_000; // 1,000 ha: more than any one field on record

const currentYear = () => Number(todayInVietnam().slice(0, 4));

/** Format first, then whether the police register knows the person. */
async function checkPerson(em: EntityManager, errs: InputErrors, field: string, citizenId: unknown): Promise<Person | null> {
  if (!errs.citizenId(field, citizenId)) return null;
  const person = await em.findOne(Person, { citizenId: citizenId as string });
  errs.check(person !== null, field, `no person with citizen ID ${citizenId} in the register`);
  return person;
}

/**
 * A person whose own record (management file, wanted notice) is written here: it belongs to the
 * commune they live in, so a person living outside the caller's area is refused exactly as an
 * unknown one is — the answer must not tell where somebody lives.
 */
async function checkResidentInArea(em: EntityManager, errs: InputErrors, field: string, citizenId: unknown): Promise<Person | null> {
  const person = await checkPerson(em, errs, field, citizenId);
  const area = areaOfEm(em);
  if (!person || !area) return person;
  await area.ready;
  if (area.covers(person.communeCode)) return person;
  errs.check(false, field, `no person with citizen ID ${citizenId} in the register`);
  return null;
}

/**
 * The last step of a record's life (file closed, site destroyed, wanted person caught): once
 * only, on a day not in the future and not before `after`.
 */
async function endOnce<T extends { id: number }, K extends keyof T & string>(
  em: EntityManager,
  entity: new (...args: any[]) => T,
  operation: string,
  input: { id: string; idempotencyKey?: string } & Record<K, string>,
  end: { field: K; after: keyof T & string; label: string; verb: string },
): Promise<Written<T>> {
  return idempotentWrite(em, entity, { key: input.idempotencyKey, operation, input }, async (tx) => {
    const errs = new InputErrors();
    const row = await findById(tx, errs, entity, 'id', input.id, end.label);
    if (row) errs.check(!row[end.field], 'id', `${end.label} ${row.id} was already ${end.verb} on ${row[end.field]}`);
    errs.date(end.field, input[end.field], { notFuture: true, notBefore: row?.[end.after] as string | undefined });
    errs.throwIfAny();
    (row as Record<string, unknown>)[end.field] = input[end.field];
    return row!;
  });
}

// ---------------------------------------------------------------- persons

export async function registerPerson(em: EntityManager, input: RegisterPersonInput): Promise<Written<Person>> {
  return idempotentWrite(em, Person, { key: input.idempotencyKey, operation: 'registerPerson', input }, async (tx) => {
    const errs = new InputErrors();
    if (errs.citizenId('citizenId', input.citizenId)) {
      errs.check((await tx.findOne(Person, { citizenId: input.citizenId })) === null, 'citizenId', `citizen ID ${input.citizenId} is already registered`);
    }
    errs.text('fullName', input.fullName, { required: true, max: 255 });
    errs.check(Object.values(Sex).includes(input.sex), 'sex', 'must be MALE or FEMALE');
    errs.range('birthYear', input.birthYear, 1900, currentYear());
    await checkCommune(tx, errs, 'communeCode', input.communeCode);
    errs.throwIfAny();
    return tx.create(Person, { citizenId: input.citizenId, fullName: input.fullName.trim(), sex: input.sex, birthYear: input.birthYear, communeCode: input.communeCode });
  });
}

// ---------------------------------------------------------------- drug cases

function checkSeizedItem(errs: InputErrors, field: string, item: CaseSeizedItemInput): void {
  errs.check((SUBSTANCE_CODES as readonly string[]).includes(item.substanceCode), `${field}.substanceCode`, `unknown substance code ${item.substanceCode}; one of ${SUBSTANCE_CODES.join(', ')}`);
  const unitOk = errs.oneOf(`${field}.unit`, item.unit, CaseQuantityUnit);
  const max = unitOk ? MAX_CASE_QUANTITY[item.unit] : Infinity;
  errs.check(typeof item.quantity === 'number' && Number.isFinite(item.quantity) && item.quantity > 0 && item.quantity <= max, `${field}.quantity`, `must be more than 0 and at most ${max}${unitOk ? ' ' + item.unit : ''}`);
  if (item.kgEquivalent != null) errs.range(`${field}.kgEquivalent`, item.kgEquivalent, 0, MAX_CASE_QUANTITY.KILOGRAM, 'kg');
}

export async function openDrugCase(em: EntityManager, input: OpenDrugCaseInput): Promise<Written<DrugCase>> {
  return idempotentWrite(em, DrugCase, { key: input.idempotencyKey, operation: 'openDrugCase', input }, async (tx) => {
    const errs = new InputErrors();
    const idMatch = typeof input.id === 'string' ? CASE_ID_PATTERN.exec(input.id) : null;
    if (errs.check(idMatch !== null, 'id', 'must be a case number VA-YYYY-NNNNN')) {
      errs.check((await tx.findOne(DrugCase, { id: input.id }, ALL_AREAS)) === null, 'id', `case ${input.id} already exists`);
    }
    if (errs.date('reportedOn', input.reportedOn, { notFuture: true }) && idMatch) {
      errs.check(idMatch[1] === input.reportedOn.slice(0, 4), 'id', `the year in the case number must be the year it was reported (${input.reportedOn.slice(0, 4)})`);
    }
    await checkCommune(tx, errs, 'communeCode', input.communeCode);
    errs.check(Object.hasOwn(PENAL_ARTICLES, input.article), 'article', "must be an article of the Penal Code drug chapter, '247'…'259'");
    errs.oneOf('route', input.route, CaseRoute);
    if (input.assetsRecoveredVnd != null) errs.range('assetsRecoveredVnd', input.assetsRecoveredVnd, 0, MAX_ASSETS_VND, 'VND');

    const items = input.seizedItems ?? [];
    items.forEach((item, i) => checkSeizedItem(errs, `seizedItems[${i}]`, item));

    const suspects = input.suspects ?? [];
    const ids = suspects.map((s) => s.citizenId).filter((id) => typeof id === 'string' && /^\d{12}$/.test(id));
    const known = new Set((ids.length ? await tx.find(Person, { citizenId: { $in: ids } }) : []).map((p) => p.citizenId));
    const seen = new Set<string>();
    suspects.forEach((s, i) => {
      const field = `suspects[${i}]`;
      if (errs.citizenId(`${field}.citizenId`, s.citizenId)) {
        if (errs.check(known.has(s.citizenId), `${field}.citizenId`, `no person with citizen ID ${s.citizenId} in the register`)) {
          errs.check(!seen.has(s.citizenId), `${field}.citizenId`, 'is listed twice');
        }
        seen.add(s.citizenId);
      }
      errs.oneOf(`${field}.role`, s.role, SuspectRole);
      if (s.arrestedOn != null) errs.date(`${field}.arrestedOn`, s.arrestedOn, { notFuture: true, notBefore: input.reportedOn });
    });
    errs.throwIfAny();

    const drugCase = tx.create(DrugCase, {
      id: input.id,
      reportedOn: input.reportedOn,
      communeCode: input.communeCode,
      article: input.article,
      status: CaseStatus.REPORTED,
      route: input.route,
      transnational: input.transnational ?? false,
      organised: input.organised ?? false,
      cyberspace: (input.cyberspace ?? false) || input.route === CaseRoute.CYBERSPACE,
      assetsRecoveredVnd: input.assetsRecoveredVnd ?? null,
    });
    for (const item of items) {
      tx.create(CaseSeizedItem, {
        drugCase,
        communeCode: input.communeCode,
        reportedOn: input.reportedOn,
        substanceCode: item.substanceCode,
        quantity: item.quantity,
        unit: item.unit,
        kgEquivalent: item.kgEquivalent ?? caseKgEquivalent(item.substanceCode, item.quantity, item.unit),
      });
    }
    for (const s of suspects) {
      tx.create(CaseSuspect, { drugCase, person: s.citizenId, role: s.role, arrestedOn: s.arrestedOn ?? null });
    }
    return drugCase;
  });
}

export async function changeDrugCaseStatus(em: EntityManager, input: ChangeDrugCaseStatusInput): Promise<Written<DrugCase>> {
  return idempotentWrite(em, DrugCase, { key: input.idempotencyKey, operation: 'changeDrugCaseStatus', input }, async (tx) => {
    const errs = new InputErrors();
    const drugCase = await tx.findOne(DrugCase, { id: String(input.id) });
    errs.check(drugCase !== null, 'id', `unknown case ${input.id}`);
    const statusOk = errs.oneOf('status', input.status, CaseStatus);
    if (drugCase && statusOk) errs.transition('status', CASE_LIFECYCLE, drugCase.status, input.status);
    errs.throwIfAny();
    drugCase!.status = input.status;
    return drugCase!;
  });
}

export async function addCaseSuspect(em: EntityManager, input: AddCaseSuspectInput): Promise<Written<CaseSuspect>> {
  return idempotentWrite(em, CaseSuspect, { key: input.idempotencyKey, operation: 'addCaseSuspect', input }, async (tx) => {
    const errs = new InputErrors();
    const drugCase = await tx.findOne(DrugCase, { id: String(input.drugCaseId) });
    if (errs.check(drugCase !== null, 'drugCaseId', `unknown case ${input.drugCaseId}`)) {
      errs.check(drugCase!.status !== CaseStatus.CLOSED, 'drugCaseId', `case ${input.drugCaseId} is closed`);
    }
    const person = await checkPerson(tx, errs, 'citizenId', input.citizenId);
    if (drugCase && person) {
      const already = await tx.findOne(CaseSuspect, { drugCase, person });
      errs.check(already === null, 'citizenId', `is already a suspect in case ${drugCase.id}`);
    }
    errs.oneOf('role', input.role, SuspectRole);
    if (input.arrestedOn != null) errs.date('arrestedOn', input.arrestedOn, { notFuture: true, notBefore: drugCase?.reportedOn });
    errs.throwIfAny();
    return tx.create(CaseSuspect, { drugCase: drugCase!, person: person!, role: input.role, arrestedOn: input.arrestedOn ?? null });
  });
}

// ---------------------------------------------------------------- hotspots

export async function recordHotspot(em: EntityManager, input: RecordHotspotInput): Promise<Written<Hotspot>> {
  return idempotentWrite(em, Hotspot, { key: input.idempotencyKey, operation: 'recordHotspot', input }, async (tx) => {
    const errs = new InputErrors();
    errs.oneOf('kind', input.kind, HotspotKind);
    errs.oneOf('venueType', input.venueType ?? VenueType.OTHER, VenueType);
    errs.text('place', input.place, { required: true, max: 255 });
    await checkCommune(tx, errs, 'communeCode', input.communeCode);
    const detectedOk = errs.date('detectedOn', input.detectedOn, { notFuture: true });
    if (input.dismantledOn != null) errs.date('dismantledOn', input.dismantledOn, { notFuture: true, notBefore: detectedOk ? input.detectedOn : undefined });
    errs.throwIfAny();
    return tx.create(Hotspot, {
      kind: input.kind,
      venueType: input.venueType ?? VenueType.OTHER,
      place: input.place.trim(),
      communeCode: input.communeCode,
      detectedOn: input.detectedOn,
      dismantledOn: input.dismantledOn ?? null,
      recurredOn: null,
      recurrenceCount: 0,
    });
  });
}

export async function dismantleHotspot(em: EntityManager, input: DismantleHotspotInput): Promise<Written<Hotspot>> {
  return idempotentWrite(em, Hotspot, { key: input.idempotencyKey, operation: 'dismantleHotspot', input }, async (tx) => {
    const errs = new InputErrors();
    const hotspot = await findById(tx, errs, Hotspot, 'id', input.id, 'hotspot');
    if (hotspot) errs.check(hotspotActive(hotspot), 'id', `hotspot ${hotspot.id} is already dismantled (${hotspot.dismantledOn})`);
    const since = hotspot ? (hotspot.recurredOn && hotspot.recurredOn > hotspot.detectedOn ? hotspot.recurredOn : hotspot.detectedOn) : undefined;
    errs.date('dismantledOn', input.dismantledOn, { notFuture: true, notBefore: since });
    errs.throwIfAny();
    hotspot!.dismantledOn = input.dismantledOn;
    return hotspot!;
  });
}

export async function recordHotspotRecurrence(em: EntityManager, input: RecordHotspotRecurrenceInput): Promise<Written<Hotspot>> {
  return idempotentWrite(em, Hotspot, { key: input.idempotencyKey, operation: 'recordHotspotRecurrence', input }, async (tx) => {
    const errs = new InputErrors();
    const hotspot = await findById(tx, errs, Hotspot, 'id', input.id, 'hotspot');
    if (hotspot) errs.check(!hotspotActive(hotspot), 'id', `hotspot ${hotspot.id} has not been dismantled, so it cannot reappear`);
    if (errs.date('recurredOn', input.recurredOn, { notFuture: true }) && hotspot?.dismantledOn) {
      errs.check(input.recurredOn > hotspot.dismantledOn, 'recurredOn', `must be after the hotspot was dismantled (${hotspot.dismantledOn})`);
    }
    errs.throwIfAny();
    hotspot!.recurredOn = input.recurredOn;
    hotspot!.recurrenceCount += 1;
    return hotspot!;
  });
}

// ---------------------------------------------------------------- management files

export async function openManagementFile(em: EntityManager, input: OpenManagementFileInput): Promise<Written<ManagementFile>> {
  return idempotentWrite(em, ManagementFile, { key: input.idempotencyKey, operation: 'openManagementFile', input }, async (tx) => {
    const errs = new InputErrors();
    // Without a commune the file goes to where the person lives, which must then be in the caller's area.
    const person = input.communeCode == null ? await checkResidentInArea(tx, errs, 'citizenId', input.citizenId) : await checkPerson(tx, errs, 'citizenId', input.citizenId);
    if (person) {
      // One open file per person: a change of category closes the old file and opens a new one.
      // Counted in every area, told without its number or category (the same wording in any area):
      // where and why someone is managed is not the caller's to learn from a refusal.
      const open = await tx.findOne(ManagementFile, { person, closedOn: null }, ALL_AREAS);
      errs.check(open === null, 'citizenId', 'a management file cannot be opened for this person here: contact the provincial police (Công an tỉnh)');
    }
    errs.oneOf('category', input.category, ManagedCategory);
    errs.date('openedOn', input.openedOn, { notFuture: true });
    if (input.communeCode != null) await checkCommune(tx, errs, 'communeCode', input.communeCode);
    errs.throwIfAny();
    return tx.create(ManagementFile, {
      person: person!,
      category: input.category,
      communeCode: input.communeCode ?? person!.communeCode,
      openedOn: input.openedOn,
      closedOn: null,
      psychosisRisk: input.psychosisRisk ?? false,
    });
  });
}

export function closeManagementFile(em: EntityManager, input: CloseManagementFileInput): Promise<Written<ManagementFile>> {
  return endOnce(em, ManagementFile, 'closeManagementFile', input, { field: 'closedOn', after: 'openedOn', label: 'management file', verb: 'closed' });
}

// ---------------------------------------------------------------- retail dealers

function checkDealing(errs: InputErrors, status: RetailDealerStatus, dealtWithOn: string | null | undefined, detectedOn: string | undefined): void {
  if (!errs.oneOf('status', status, RetailDealerStatus)) return;
  if (status === RetailDealerStatus.ACTIVE) {
    errs.check(dealtWithOn == null, 'dealtWithOn', 'must be empty while the dealer is ACTIVE');
  } else if (errs.check(dealtWithOn != null, 'dealtWithOn', `is required when the status is ${status}`)) {
    errs.date('dealtWithOn', dealtWithOn, { notFuture: true, notBefore: detectedOn });
  }
}

export async function recordRetailDealer(em: EntityManager, input: RecordRetailDealerInput): Promise<Written<RetailDealer>> {
  return idempotentWrite(em, RetailDealer, { key: input.idempotencyKey, operation: 'recordRetailDealer', input }, async (tx) => {
    const errs = new InputErrors();
    const person = await checkPerson(tx, errs, 'citizenId', input.citizenId);
    await checkCommune(tx, errs, 'communeCode', input.communeCode);
    const detectedOk = errs.date('detectedOn', input.detectedOn, { notFuture: true });
    const status = input.status ?? RetailDealerStatus.ACTIVE;
    checkDealing(errs, status, input.dealtWithOn, detectedOk ? input.detectedOn : undefined);
    errs.throwIfAny();
    return tx.create(RetailDealer, { person: person!, communeCode: input.communeCode, detectedOn: input.detectedOn, status, dealtWithOn: input.dealtWithOn ?? null });
  });
}

export async function dealWithRetailDealer(em: EntityManager, input: DealWithRetailDealerInput): Promise<Written<RetailDealer>> {
  return idempotentWrite(em, RetailDealer, { key: input.idempotencyKey, operation: 'dealWithRetailDealer', input }, async (tx) => {
    const errs = new InputErrors();
    const dealer = await findById(tx, errs, RetailDealer, 'id', input.id, 'retail dealer');
    if (dealer) errs.check(dealer.status === RetailDealerStatus.ACTIVE, 'id', `retail dealer ${dealer.id} was already dealt with (${dealer.status}, ${dealer.dealtWithOn})`);
    errs.check(input.status !== RetailDealerStatus.ACTIVE, 'status', 'must say how the dealer was dealt with, not ACTIVE');
    if (input.status !== RetailDealerStatus.ACTIVE) checkDealing(errs, input.status, input.dealtWithOn, dealer?.detectedOn);
    errs.throwIfAny();
    dealer!.status = input.status;
    dealer!.dealtWithOn = input.dealtWithOn;
    return dealer!;
  });
}

// ---------------------------------------------------------------- cultivation

export async function recordCultivationSite(em: EntityManager, input: RecordCultivationSiteInput): Promise<Written<CultivationSite>> {
  return idempotentWrite(em, CultivationSite, { key: input.idempotencyKey, operation: 'recordCultivationSite', input }, async (tx) => {
    const errs = new InputErrors();
    await checkCommune(tx, errs, 'communeCode', input.communeCode);
    errs.oneOf('plant', input.plant, PlantKind);
    errs.check(typeof input.areaM2 === 'number' && Number.isFinite(input.areaM2) && input.areaM2 > 0 && input.areaM2 <= MAX_AREA_M2, 'areaM2', `must be more than 0 and at most ${MAX_AREA_M2} m²`);
    const detectedOk = errs.date('detectedOn', input.detectedOn, { notFuture: true });
    if (input.destroyedOn != null) errs.date('destroyedOn', input.destroyedOn, { notFuture: true, notBefore: detectedOk ? input.detectedOn : undefined });
    errs.throwIfAny();
    return tx.create(CultivationSite, { communeCode: input.communeCode, plant: input.plant, areaM2: input.areaM2, detectedOn: input.detectedOn, destroyedOn: input.destroyedOn ?? null });
  });
}

export function destroyCultivationSite(em: EntityManager, input: DestroyCultivationSiteInput): Promise<Written<CultivationSite>> {
  return endOnce(em, CultivationSite, 'destroyCultivationSite', input, { field: 'destroyedOn', after: 'detectedOn', label: 'cultivation site', verb: 'destroyed' });
}

// ---------------------------------------------------------------- wanted persons

export async function recordWantedPerson(em: EntityManager, input: RecordWantedPersonInput): Promise<Written<WantedPerson>> {
  return idempotentWrite(em, WantedPerson, { key: input.idempotencyKey, operation: 'recordWantedPerson', input }, async (tx) => {
    const errs = new InputErrors();
    const person = await checkResidentInArea(tx, errs, 'citizenId', input.citizenId);
    let drugCase: DrugCase | null = null;
    if (input.drugCaseId != null) {
      drugCase = await tx.findOne(DrugCase, { id: String(input.drugCaseId) });
      errs.check(drugCase !== null, 'drugCaseId', `unknown case ${input.drugCaseId}`);
    }
    const sinceOk = errs.date('wantedSince', input.wantedSince, { notFuture: true, notBefore: drugCase?.reportedOn });
    if (input.caughtOn != null) errs.date('caughtOn', input.caughtOn, { notFuture: true, notBefore: sinceOk ? input.wantedSince : undefined });
    errs.throwIfAny();
    return tx.create(WantedPerson, { person: person!, drugCase, wantedSince: input.wantedSince, caughtOn: input.caughtOn ?? null });
  });
}

export function recordWantedPersonCaught(em: EntityManager, input: RecordWantedPersonCaughtInput): Promise<Written<WantedPerson>> {
  return endOnce(em, WantedPerson, 'recordWantedPersonCaught', input, { field: 'caughtOn', after: 'wantedSince', label: 'wanted person', verb: 'caught' });
}

// ---------------------------------------------------------------- commune classification

export async function classifyCommune(em: EntityManager, input: ClassifyCommuneInput): Promise<Written<CommuneDrugSituation>> {
  return idempotentWrite(em, CommuneDrugSituation, { key: input.idempotencyKey, operation: 'classifyCommune', input }, async (tx) => {
    const errs = new InputErrors();
    await checkCommune(tx, errs, 'communeCode', input.communeCode);
    const yearOk = errs.range('year', input.year, 2000, currentYear());
    if (yearOk) errs.check(Number.isInteger(input.year), 'year', 'must be a whole year');
    errs.oneOf('classification', input.classification, DrugSituationClass);
    errs.throwIfAny();
    const existing = await tx.findOne(CommuneDrugSituation, { communeCode: input.communeCode, year: input.year });
    if (existing) {
      existing.classification = input.classification;
      return existing;
    }
    return tx.create(CommuneDrugSituation, { communeCode: input.communeCode, year: input.year, classification: input.classification });
  });
}
