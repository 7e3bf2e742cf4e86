import type { EntityManager } from '@mikro-orm/core';
import { ALL_AREAS, checkCommune, idempotentWrite, InputErrors, nextNumber } from '@pcmt/kit';
import {
  EligibilityGroup,
  LEGAL_AID_LIFECYCLE,
  LegalAidForm,
  LegalAidProvider,
  LegalAidProviderKind,
  LegalAidRequest,
  LegalAidStatus,
  LegalAidStatusChange,
} from './entities.js';
import type {
  RegisterLegalAidRequestInput,
  AcceptLegalAidRequestInput,
  RefuseLegalAidRequestInput,
  StartLegalAidInput,
  CompleteLegalAidInput,
  RegisterLegalAidProviderInput,
} from './inputs.js';

/**
 * The centre's day-to-day writes. Mutations and spreadsheet imports both call these, so a row
 * imported from a file is checked exactly like one typed into the centre's system.
 *
 * All checks run inside the idempotent transaction: a retried call must find its first answer
 * before being told that, say, the request is no longer RECEIVED.
 */

/** Luật Trợ giúp pháp lý 2017 took effect on 1 January 2018: the centre keeps no older requests. */
export const LAW_IN_FORCE = '2018-01-01';
/** Police case numbers, e.g. VA-2025-00042. */
export const DRUG_CASE_ID = /^VA-\d{4}-\d{5}$/;
/** Request numbers and provider codes: letters, digits and . / - (e.g. TGPL-00042, TGV-01). */
export const CODE = /^[A-Za-z0-9][A-Za-z0-9./-]{0,31}$/;
const REQUEST_PREFIX = 'TGPL-';

const ELIGIBILITY_GROUPS = Object.values(EligibilityGroup) as string[];
const SERVICE_FORMS = Object.values(LegalAidForm) as string[];
const PROVIDER_KINDS = Object.values(LegalAidProviderKind) as string[];

export interface WriteResult<T> {
  result: T;
  /** True when an earlier call with the same idempotency key had already done this write. */
  replayed: boolean;
}

const blank = (v: unknown) => v == null || v === '';

/** The request named by `id`, or a field error. */
async function findRequest(tx: EntityManager, errs: InputErrors, id: unknown): Promise<LegalAidRequest | null> {
  if (!errs.text('id', id, { required: true, max: 32 })) return null;
  const request = await tx.findOne(LegalAidRequest, { id: id as string });
  errs.check(request !== null, 'id', `no legal-aid request ${id}`);
  return request;
}

/** The day of the request's latest status change: a new change may not be dated before it. */
async function lastChangedOn(tx: EntityManager, request: LegalAidRequest): Promise<string> {
  const [last] = await tx.find(LegalAidStatusChange, { request }, { orderBy: { changedOn: 'desc', id: 'desc' }, limit: 1 });
  return last?.changedOn ?? request.receivedOn;
}

/** Status checks of one move: the lifecycle allows it and it is a move at all. */
function checkMove(errs: InputErrors, request: LegalAidRequest, to: LegalAidStatus): boolean {
  if (request.status === to) return errs.add('status', `request ${request.id} is already ${to}`), false;
  return errs.transition('status', LEGAL_AID_LIFECYCLE, request.status, to);
}

/** A status change of the request and its history row, written together. */
function moveTo(tx: EntityManager, request: LegalAidRequest, status: LegalAidStatus, changedOn: string, note: string | null): void {
  request.status = status;
  tx.create(LegalAidStatusChange, { request, status, changedOn, note });
}

/** Checks the day of a status change: a date, not in the future, not before the last change. */
async function checkChangeDay(tx: EntityManager, errs: InputErrors, field: string, value: unknown, request: LegalAidRequest | null): Promise<void> {
  errs.date(field, value, { notFuture: true, notBefore: request ? await lastChangedOn(tx, request) : undefined });
}

const requestNumber = (n: number) => `${REQUEST_PREFIX}${String(n).padStart(5, '0')}`;

/**
 * Next number in the centre's own series, TGPL-NNNNN (five digits keep text order = number
 * order), from a counter row locked by the registering transaction: registrations at once
 * never pick the same number. Numbers given by hand in the series are skipped.
 */
async function nextRequestId(tx: EntityManager): Promise<string> {
  const n = await nextNumber(tx, 'legal-aid-request', {
    async highest(tx) {
      const last = await tx.findOne(LegalAidRequest, { id: { $like: `${REQUEST_PREFIX}_____` } }, { ...ALL_AREAS, orderBy: { id: 'desc' } });
      const n = last ? Number(last.id.slice(REQUEST_PREFIX.length)) : 0;
      return Number.isFinite(n) ? n : 0;
    },
    taken: async (tx, n) => (await tx.count(LegalAidRequest, { id: requestNumber(n) }, ALL_AREAS)) > 0,
  });
  return requestNumber(n);
}

/** Tiếp nhận: records a new request as RECEIVED, with the first row of its history. */
export async function registerLegalAidRequest(em: EntityManager, input: RegisterLegalAidRequestInput): Promise<WriteResult<LegalAidRequest>> {
  return idempotentWrite(em, LegalAidRequest, { key: input.idempotencyKey, operation: 'registerLegalAidRequest', input }, async (tx) => {
    const errs = new InputErrors();
    if (!blank(input.id) && errs.check(typeof input.id === 'string' && CODE.test(input.id), 'id', 'must be 1–32 letters, digits, ".", "/" or "-"')) {
      errs.check((await tx.count(LegalAidRequest, { id: input.id! }, ALL_AREAS)) === 0, 'id', `request ${input.id} already exists`);
    }
    errs.citizenId('citizenId', input.citizenId);
    errs.date('receivedOn', input.receivedOn, { notFuture: true, notBefore: LAW_IN_FORCE });
    await checkCommune(tx, errs, 'communeCode', input.communeCode);
    errs.oneOf('eligibilityGroup', input.eligibilityGroup, ELIGIBILITY_GROUPS);
    errs.oneOf('serviceForm', input.serviceForm, SERVICE_FORMS);
    if (!blank(input.drugCaseId)) errs.check(typeof input.drugCaseId === 'string' && DRUG_CASE_ID.test(input.drugCaseId), 'drugCaseId', 'must be a case number VA-YYYY-NNNNN');
    errs.text('note', input.note, { max: 255 });
    errs.throwIfAny();

    const request = tx.create(LegalAidRequest, {
      id: blank(input.id) ? await nextRequestId(tx) : input.id!,
      citizenId: input.citizenId,
      communeCode: input.communeCode,
      receivedOn: input.receivedOn,
      eligibilityGroup: input.eligibilityGroup,
      serviceForm: input.serviceForm,
      drugCaseId: blank(input.drugCaseId) ? null : input.drugCaseId,
      status: LegalAidStatus.RECEIVED,
    });
    moveTo(tx, request, LegalAidStatus.RECEIVED, input.receivedOn, blank(input.note) ? null : input.note!);
    return request;
  });
}

/** Thụ lý: RECEIVED → ACCEPTED with the provider who will carry it out; never for a person not eligible. */
export async function acceptLegalAidRequest(em: EntityManager, input: AcceptLegalAidRequestInput): Promise<WriteResult<LegalAidRequest>> {
  return idempotentWrite(em, LegalAidRequest, { key: input.idempotencyKey, operation: 'acceptLegalAidRequest', input }, async (tx) => {
    const errs = new InputErrors();
    const request = await findRequest(tx, errs, input.id);
    let provider: LegalAidProvider | null = null;
    if (errs.text('providerId', input.providerId, { required: true, max: 32 })) {
      provider = await tx.findOne(LegalAidProvider, { id: input.providerId });
      errs.check(provider !== null, 'providerId', `no legal-aid provider ${input.providerId}`);
    }
    await checkChangeDay(tx, errs, 'acceptedOn', input.acceptedOn, request);
    if (request) {
      checkMove(errs, request, LegalAidStatus.ACCEPTED);
      errs.check(request.eligibilityGroup !== EligibilityGroup.NOT_ELIGIBLE, 'eligibilityGroup', 'the person is not eligible for legal aid (NOT_ELIGIBLE): refuse the request instead');
    }
    errs.text('note', input.note, { max: 255 });
    errs.throwIfAny();

    request!.assignedProvider = provider;
    // The old text column keeps showing who serves the request, for readers that still use it.
    request!.provider = provider!.name;
    request!.acceptedOn = input.acceptedOn;
    moveTo(tx, request!, LegalAidStatus.ACCEPTED, input.acceptedOn, blank(input.note) ? null : input.note!);
    return request!;
  });
}

/** Từ chối thụ lý: RECEIVED → REFUSED, with the reason (also kept as the history note). */
export async function refuseLegalAidRequest(em: EntityManager, input: RefuseLegalAidRequestInput): Promise<WriteResult<LegalAidRequest>> {
  return idempotentWrite(em, LegalAidRequest, { key: input.idempotencyKey, operation: 'refuseLegalAidRequest', input }, async (tx) => {
    const errs = new InputErrors();
    const request = await findRequest(tx, errs, input.id);
    errs.text('reason', input.reason, { required: true, max: 255 });
    await checkChangeDay(tx, errs, 'refusedOn', input.refusedOn, request);
    if (request) checkMove(errs, request, LegalAidStatus.REFUSED);
    errs.throwIfAny();

    request!.refusalReason = input.reason.trim();
    moveTo(tx, request!, LegalAidStatus.REFUSED, input.refusedOn, request!.refusalReason);
    return request!;
  });
}

/** Bắt đầu thực hiện: ACCEPTED → IN_PROGRESS. */
export async function startLegalAid(em: EntityManager, input: StartLegalAidInput): Promise<WriteResult<LegalAidRequest>> {
  return idempotentWrite(em, LegalAidRequest, { key: input.idempotencyKey, operation: 'startLegalAid', input }, async (tx) => {
    const errs = new InputErrors();
    const request = await findRequest(tx, errs, input.id);
    await checkChangeDay(tx, errs, 'startedOn', input.startedOn, request);
    if (request) checkMove(errs, request, LegalAidStatus.IN_PROGRESS);
    errs.text('note', input.note, { max: 255 });
    errs.throwIfAny();

    moveTo(tx, request!, LegalAidStatus.IN_PROGRESS, input.startedOn, blank(input.note) ? null : input.note!);
    return request!;
  });
}

/** Kết thúc vụ việc: IN_PROGRESS (or ACCEPTED, for advice given at once) → COMPLETED, with the outcome. */
export async function completeLegalAid(em: EntityManager, input: CompleteLegalAidInput): Promise<WriteResult<LegalAidRequest>> {
  return idempotentWrite(em, LegalAidRequest, { key: input.idempotencyKey, operation: 'completeLegalAid', input }, async (tx) => {
    const errs = new InputErrors();
    const request = await findRequest(tx, errs, input.id);
    errs.text('outcome', input.outcome, { required: true, max: 255 });
    await checkChangeDay(tx, errs, 'completedOn', input.completedOn, request);
    if (request) checkMove(errs, request, LegalAidStatus.COMPLETED);
    errs.text('note', input.note, { max: 255 });
    errs.throwIfAny();

    request!.completedOn = input.completedOn;
    request!.outcome = input.outcome.trim();
    moveTo(tx, request!, LegalAidStatus.COMPLETED, input.completedOn, blank(input.note) ? request!.outcome : input.note!);
    return request!;
  });
}

/** A new officer, contracted lawyer or contracted firm. */
export async function registerLegalAidProvider(em: EntityManager, input: RegisterLegalAidProviderInput): Promise<WriteResult<LegalAidProvider>> {
  return idempotentWrite(em, LegalAidProvider, { key: input.idempotencyKey, operation: 'registerLegalAidProvider', input }, async (tx) => {
    const errs = new InputErrors();
    if (errs.check(typeof input.id === 'string' && CODE.test(input.id), 'id', 'must be 1–32 letters, digits, ".", "/" or "-"')) {
      errs.check((await tx.count(LegalAidProvider, { id: input.id })) === 0, 'id', `provider ${input.id} already exists`);
    }
    errs.text('name', input.name, { required: true, max: 255 });
    errs.oneOf('kind', input.kind, PROVIDER_KINDS);
    errs.throwIfAny();
    return tx.create(LegalAidProvider, { id: input.id, name: input.name.trim(), kind: input.kind });
  });
}
