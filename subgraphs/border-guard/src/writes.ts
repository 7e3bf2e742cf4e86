import type { EntityManager } from '@mikro-orm/core';
import { ALL_AREAS, checkCommune, idempotentWrite, InputErrors } from '@pcmt/kit';
import {
  AntiDrugOfficer,
  AntiDrugTeam,
  BorderGuardSeizedItem,
  BorderGuardSeizure,
  BorderGuardSuspect,
  BorderPost,
  BorderRoute,
  JointOperation,
  PostSector,
} from './entities.js';
import type {
  RegisterBorderGuardSeizureInput,
  HandOverBorderGuardSeizureInput,
  RecordEquipmentInput,
  RegisterJointOperationInput,
} from './inputs.js';

/**
 * The border guard's day-to-day writes: a seizure with its items and suspects, its hand-over to a
 * police case, equipment of units and officers, joint operations. Every check runs inside the
 * idempotent transaction, and every problem of an input is listed at once.
 */

/** Border-guard seizure numbers: BP-YYYY-NNNNN, numbered within the year of the seizure. */
export const SEIZURE_ID = /^BP-(\d{4})-\d{5}$/;
export const DRUG_CASE_ID = /^VA-(\d{4})-\d{5}$/;
export const SUBSTANCE_CODE = /^[A-Z][A-Z0-9_]{1,15}$/;
export const OPERATION_CODE = /^PH-\d{4}-\d{2,4}$/;
/** No single seizure is recorded above this (the largest border seizures are a few tonnes). */
const MAX_KG = 20_000;

const blank = (v: unknown) => v == null || v === '';
const isOneOf = <E extends string>(e: Record<string, E>, v: unknown): v is E => typeof v === 'string' && (Object.values(e) as string[]).includes(v);

async function findByCode<T extends object>(tx: EntityManager, errs: InputErrors, entity: new (...a: any[]) => T, where: Record<string, unknown>, field: string, label: string, value: unknown): Promise<T | null> {
  if (blank(value)) return null;
  if (!errs.text(field, value, { max: 16 })) return null;
  const row = await tx.findOne(entity, where as any);
  errs.check(row !== null, field, `unknown ${label} ${value}`);
  return row;
}

/** Ghi nhận vụ bắt giữ: the seizure, its items and suspects in one transaction. */
export async function registerBorderGuardSeizure(em: EntityManager, input: RegisterBorderGuardSeizureInput): Promise<{ result: BorderGuardSeizure; replayed: boolean }> {
  return idempotentWrite(em, BorderGuardSeizure, { key: input.idempotencyKey, operation: 'registerBorderGuardSeizure', input }, async (tx) => {
    const errs = new InputErrors();
    const m = typeof input.id === 'string' ? SEIZURE_ID.exec(input.id) : null;
    if (errs.check(m !== null, 'id', 'must be a seizure number BP-YYYY-NNNNN')) {
      if (typeof input.seizedOn === 'string') errs.check(m![1] === input.seizedOn.slice(0, 4), 'id', `year ${m![1]} does not match seizedOn ${input.seizedOn}`);
      errs.check((await tx.count(BorderGuardSeizure, { id: input.id }, ALL_AREAS)) === 0, 'id', `seizure ${input.id} already exists`);
    }
    errs.date('seizedOn', input.seizedOn, { notFuture: true, notBefore: '2000-01-01' });
    await checkCommune(tx, errs, 'communeCode', input.communeCode);
    const routeOk = errs.check(isOneOf(BorderRoute, input.route), 'route', 'must be LAND_BORDER or SEA');
    errs.text('place', input.place, { required: true, max: 255 });
    const post = await findByCode(tx, errs, BorderPost, { code: input.postCode }, 'postCode', 'border post', input.postCode);
    if (post && routeOk) errs.check((post.sector === PostSector.SEA) === (input.route === BorderRoute.SEA), 'postCode', `${post.code} guards the ${post.sector.toLowerCase()} border, not route ${input.route}`);
    if (post && typeof input.communeCode === 'string') errs.check(post.communeCode === input.communeCode, 'postCode', `${post.code} is not in commune ${input.communeCode}`);
    const team = await findByCode(tx, errs, AntiDrugTeam, { code: input.teamCode }, 'teamCode', 'anti-drug unit', input.teamCode);
    const operation = await findByCode(tx, errs, JointOperation, { code: input.jointOperationCode }, 'jointOperationCode', 'joint operation', input.jointOperationCode);
    if (operation && typeof input.seizedOn === 'string') {
      errs.check(operation.startedOn <= input.seizedOn && (!operation.endedOn || input.seizedOn <= operation.endedOn), 'jointOperationCode', `${operation.code} was not running on ${input.seizedOn}`);
    }
    const items = Array.isArray(input.items) ? input.items : [];
    errs.check(items.length > 0, 'items', 'at least one item');
    const substances = new Set<string>();
    items.forEach((item, i) => {
      const path = (f: string) => `items.${i}.${f}`;
      if (errs.check(typeof item.substanceCode === 'string' && SUBSTANCE_CODE.test(item.substanceCode), path('substanceCode'), 'must be a substance code of the catalogue (e.g. HEROIN)')) {
        errs.check(!substances.has(item.substanceCode), path('substanceCode'), `${item.substanceCode} is listed twice`);
        substances.add(item.substanceCode);
      }
      const q = item.quantityKg;
      errs.check(typeof q === 'number' && Number.isFinite(q) && q > 0 && q <= MAX_KG, path('quantityKg'), `must be more than 0 and at most ${MAX_KG}`);
    });
    const suspects = input.suspects ?? [];
    const seen = new Set<string>();
    suspects.forEach((id, i) => {
      if (errs.citizenId(`suspects.${i}`, id)) errs.check(!seen.has(id), `suspects.${i}`, `${id} is listed twice`);
      seen.add(id);
    });
    errs.throwIfAny();

    const seizure = tx.create(BorderGuardSeizure, {
      id: input.id,
      seizedOn: input.seizedOn,
      communeCode: input.communeCode,
      route: input.route,
      place: input.place,
      post,
      team,
      jointOperation: operation,
      drugCaseId: null,
      handedOverOn: null,
    });
    for (const item of items) tx.create(BorderGuardSeizedItem, { seizure, substanceCode: item.substanceCode, quantityKg: item.quantityKg });
    for (const citizenId of suspects) tx.create(BorderGuardSuspect, { seizure, citizenId });
    return seizure;
  });
}

/** Bàn giao: once, to one police case; again to the same case on the same day is a no-op. */
export async function handOverBorderGuardSeizure(em: EntityManager, input: HandOverBorderGuardSeizureInput): Promise<{ result: BorderGuardSeizure; replayed: boolean }> {
  return idempotentWrite(em, BorderGuardSeizure, { key: input.idempotencyKey, operation: 'handOverBorderGuardSeizure', input }, async (tx) => {
    const errs = new InputErrors();
    let seizure: BorderGuardSeizure | null = null;
    if (errs.text('id', input.id, { required: true, max: 32 })) {
      seizure = await tx.findOne(BorderGuardSeizure, { id: input.id });
      errs.check(seizure !== null, 'id', `no border-guard seizure ${input.id}`);
    }
    const m = typeof input.drugCaseId === 'string' ? DRUG_CASE_ID.exec(input.drugCaseId) : null;
    errs.check(m !== null, 'drugCaseId', 'must be a police case number VA-YYYY-NNNNN');
    const dayOk = errs.date('handedOverOn', input.handedOverOn, { notFuture: true, notBefore: seizure?.seizedOn });
    if (m && dayOk) errs.check(m[1] <= input.handedOverOn.slice(0, 4), 'drugCaseId', `case ${input.drugCaseId} was opened after ${input.handedOverOn}`);
    if (seizure?.drugCaseId) {
      const same = seizure.drugCaseId === input.drugCaseId && seizure.handedOverOn === input.handedOverOn;
      errs.check(same, 'drugCaseId', `seizure ${seizure.id} was already handed over to ${seizure.drugCaseId} on ${seizure.handedOverOn}`);
    }
    errs.throwIfAny();
    seizure!.drugCaseId = input.drugCaseId;
    seizure!.handedOverOn = input.handedOverOn;
    return seizure!;
  });
}

/** Trang bị: the day a unit, or one officer, was fully equipped; the first day recorded stays. */
export async function recordEquipment(em: EntityManager, input: RecordEquipmentInput): Promise<{ result: AntiDrugTeam; replayed: boolean }> {
  return idempotentWrite(em, AntiDrugTeam, { key: input.idempotencyKey, operation: 'recordEquipment', input }, async (tx) => {
    const errs = new InputErrors();
    errs.check(blank(input.teamCode) !== blank(input.serviceNumber), blank(input.teamCode) ? 'teamCode' : 'serviceNumber', 'give either teamCode or serviceNumber');
    const team = await findByCode(tx, errs, AntiDrugTeam, { code: input.teamCode }, 'teamCode', 'anti-drug unit', input.teamCode);
    const officer = await findByCode(tx, errs, AntiDrugOfficer, { serviceNumber: input.serviceNumber }, 'serviceNumber', 'officer', input.serviceNumber);
    const since = team?.establishedOn ?? officer?.joinedOn;
    errs.date('equippedOn', input.equippedOn, { notFuture: true, notBefore: since });
    if (officer?.leftOn) errs.check(input.equippedOn <= officer.leftOn, 'equippedOn', `officer ${officer.serviceNumber} left the unit on ${officer.leftOn}`);
    errs.throwIfAny();
    const row = (team ?? officer)!;
    if (!row.equippedOn || input.equippedOn < row.equippedOn) row.equippedOn = input.equippedOn;
    return team ?? (await tx.findOneOrFail(AntiDrugTeam, { id: officer!.team.id }));
  });
}

/** Mở chuyên án / kế hoạch phối hợp: with at least one of customs and police. */
export async function registerJointOperation(em: EntityManager, input: RegisterJointOperationInput): Promise<{ result: JointOperation; replayed: boolean }> {
  return idempotentWrite(em, JointOperation, { key: input.idempotencyKey, operation: 'registerJointOperation', input }, async (tx) => {
    const errs = new InputErrors();
    if (errs.check(typeof input.code === 'string' && OPERATION_CODE.test(input.code), 'code', 'must be a code PH-YYYY-NN')) {
      errs.check((await tx.count(JointOperation, { code: input.code }, ALL_AREAS)) === 0, 'code', `joint operation ${input.code} already exists`);
    }
    errs.text('name', input.name, { required: true, max: 255 });
    await checkCommune(tx, errs, 'communeCode', input.communeCode);
    errs.date('startedOn', input.startedOn, { notFuture: true, notBefore: '2000-01-01' });
    errs.check(input.withCustoms === true || input.withPolice === true, 'withCustoms', 'a joint operation works with customs, the police or both');
    if (!blank(input.drugCaseId)) errs.check(typeof input.drugCaseId === 'string' && DRUG_CASE_ID.test(input.drugCaseId), 'drugCaseId', 'must be a police case number VA-YYYY-NNNNN');
    errs.throwIfAny();
    return tx.create(JointOperation, {
      code: input.code,
      name: input.name,
      communeCode: input.communeCode,
      startedOn: input.startedOn,
      endedOn: null,
      withCustoms: input.withCustoms,
      withPolice: input.withPolice,
      drugCaseId: blank(input.drugCaseId) ? null : input.drugCaseId,
    });
  });
}
