import type { EntityManager } from '@mikro-orm/core';
import { checkCommune, idempotentWrite, InputErrors, KnownCommune } from '@pcmt/kit';
import { Activity, Campaign, CampaignChannel, Enterprise, MediaOutlet, MediaOutletKind, School, SchoolLevel, SocialPlatform, TargetGroup, WorkerAttendance } from './entities.js';

/**
 * What agency systems record day to day, one plain function per write: the GraphQL mutations and
 * the spreadsheet importers call these, so both validate and write the same way. Validation runs
 * inside the idempotent transaction, after the replay check: a retried call answers with what the
 * first one wrote even where validating again would now refuse (a column already open).
 */

export type Written<T> = Promise<{ result: T; replayed: boolean }>;

interface Idempotent {
  /** Client-chosen key (8–160 characters): a retry with the same key is applied once. */
  idempotencyKey?: string | null;
}

export const LIMITS = {
  participants: { min: 1, max: 100_000 },
  students: { min: 1, max: 50_000 },
  workers: { min: 1, max: 100_000 },
} as const;

function wholeNumber(errs: InputErrors, field: string, v: unknown, limits: { min: number; max: number }): boolean {
  if (!errs.check(typeof v === 'number' && Number.isInteger(v), field, 'must be a whole number')) return false;
  return errs.range(field, v, limits.min, limits.max);
}

/** A reference id as GraphQL sends it (string) or a spreadsheet gives it; null when absent. */
function refId(errs: InputErrors, field: string, v: unknown, required: boolean): number | null {
  if (v == null || v === '') {
    if (required) errs.add(field, 'is required');
    return null;
  }
  return errs.positiveId(field, v);
}

const blankToNull = (v: string | null | undefined): string | null => (v == null || v.trim() === '' ? null : v.trim());

/** Years the period [from, to] touches. */
function yearsOf(from: string, to: string): number[] {
  const years: number[] = [];
  for (let y = Number(from.slice(0, 4)); y <= Number(to.slice(0, 4)); y++) years.push(y);
  return years;
}

// ---------------------------------------------------------------- campaigns

export interface CreateCampaignFields extends Idempotent {
  name: string;
  organiser: string;
  channel: CampaignChannel;
  targetGroup: TargetGroup;
  startsOn: string;
  endsOn: string;
  actionMonth?: boolean | null;
  nationalDay?: boolean | null;
  socialPlatform?: SocialPlatform | null;
}

/** Tạo chiến dịch: campaigns may be planned ahead, so dates may lie in the future. */
export async function createCampaign(em: EntityManager, input: CreateCampaignFields): Written<Campaign> {
  const { idempotencyKey, ...fields } = input;
  const data = {
    name: fields.name?.trim(),
    organiser: fields.organiser?.trim(),
    channel: fields.channel,
    targetGroup: fields.targetGroup,
    startsOn: fields.startsOn,
    endsOn: fields.endsOn,
    actionMonth: fields.actionMonth ?? false,
    nationalDay: fields.nationalDay ?? false,
    socialPlatform: fields.socialPlatform ?? null,
  };
  return idempotentWrite(em, Campaign, { key: idempotencyKey, operation: 'createCampaign', input: data }, async (tx) => {
    const errs = new InputErrors();
    errs.text('name', data.name, { required: true, max: 255 });
    errs.text('organiser', data.organiser, { required: true, max: 64 });
    const channelOk = errs.oneOf('channel', data.channel, CampaignChannel);
    errs.oneOf('targetGroup', data.targetGroup, TargetGroup);
    const startOk = errs.date('startsOn', data.startsOn);
    const endOk = errs.date('endsOn', data.endsOn);
    const datesOk = startOk && endOk && errs.check(data.startsOn <= data.endsOn, 'endsOn', 'must not be before startsOn');
    if (datesOk && data.actionMonth) {
      const overlapsJune = yearsOf(data.startsOn, data.endsOn).some((y) => `${y}-06-01` <= data.endsOn && `${y}-06-30` >= data.startsOn);
      errs.check(overlapsJune, 'actionMonth', 'an action-month campaign must run during June (Tháng hành động)');
    }
    if (datesOk && data.nationalDay) {
      const has26June = yearsOf(data.startsOn, data.endsOn).some((y) => `${y}-06-26` >= data.startsOn && `${y}-06-26` <= data.endsOn);
      errs.check(has26June, 'nationalDay', 'a national-day campaign must include 26 June (Ngày toàn dân phòng, chống ma túy)');
    }
    if (data.socialPlatform != null && errs.oneOf('socialPlatform', data.socialPlatform, SocialPlatform) && channelOk) {
      errs.check(data.channel === CampaignChannel.SOCIAL_MEDIA, 'socialPlatform', 'only SOCIAL_MEDIA campaigns have a platform');
    }
    errs.throwIfAny();
    return tx.create(Campaign, data as Campaign);
  });
}

// ---------------------------------------------------------------- activities

export interface LogActivityFields extends Idempotent {
  campaignId: string | number;
  heldOn: string;
  communeCode: string;
  schoolId?: string | number | null;
  enterpriseId?: string | number | null;
  participants: number;
  title: string;
  /** Social-insurance numbers of the workers on the attendance list (workplace activities). */
  workerKeys?: string[] | null;
}

/**
 * Ghi nhận hoạt động tuyên truyền. Where it was held follows the campaign's channel: SCHOOL
 * campaigns at a school, WORKPLACE campaigns at an enterprise, both in the activity's commune;
 * other channels at neither.
 */
export async function logActivity(em: EntityManager, input: LogActivityFields): Written<Activity> {
  const { idempotencyKey, ...fields } = input;
  const data = {
    campaignId: fields.campaignId == null ? null : String(fields.campaignId),
    heldOn: fields.heldOn,
    communeCode: fields.communeCode,
    schoolId: fields.schoolId == null || fields.schoolId === '' ? null : String(fields.schoolId),
    enterpriseId: fields.enterpriseId == null || fields.enterpriseId === '' ? null : String(fields.enterpriseId),
    participants: fields.participants,
    title: fields.title?.trim(),
    workerKeys: fields.workerKeys ?? null,
  };
  return idempotentWrite(em, Activity, { key: idempotencyKey, operation: 'logActivity', input: data }, async (tx) => {
    const errs = new InputErrors();
    const campaignId = refId(errs, 'campaignId', data.campaignId, true);
    const campaign = campaignId ? await tx.findOne(Campaign, { id: campaignId }) : null;
    if (campaignId) errs.check(campaign !== null, 'campaignId', `unknown campaign ${campaignId}`);

    if (errs.date('heldOn', data.heldOn, { notFuture: true }) && campaign) {
      errs.check(data.heldOn >= campaign.startsOn && data.heldOn <= campaign.endsOn, 'heldOn', `must be within the campaign period ${campaign.startsOn} – ${campaign.endsOn}`);
    }
    const communeOk = await checkCommune(tx, errs, 'communeCode', data.communeCode);

    const schoolId = refId(errs, 'schoolId', data.schoolId, false);
    const enterpriseId = refId(errs, 'enterpriseId', data.enterpriseId, false);
    const both = schoolId !== null && enterpriseId !== null;
    errs.check(!both, 'enterpriseId', 'an activity is held at a school or at an enterprise, not both');

    const school = schoolId ? await tx.findOne(School, { id: schoolId }) : null;
    if (schoolId && errs.check(school !== null, 'schoolId', `unknown school ${schoolId}`) && communeOk) {
      errs.check(school!.communeCode === data.communeCode, 'schoolId', `school ${schoolId} is in commune ${school!.communeCode}, not ${data.communeCode}`);
    }
    const enterprise = enterpriseId ? await tx.findOne(Enterprise, { id: enterpriseId }) : null;
    if (enterpriseId && errs.check(enterprise !== null, 'enterpriseId', `unknown enterprise ${enterpriseId}`) && communeOk) {
      errs.check(enterprise!.communeCode === data.communeCode, 'enterpriseId', `enterprise ${enterpriseId} is in commune ${enterprise!.communeCode}, not ${data.communeCode}`);
    }
    if (campaign && !both) {
      if (campaign.channel === CampaignChannel.SCHOOL) errs.check(schoolId !== null, 'schoolId', 'is required: activities of a SCHOOL campaign are held at a school');
      else errs.check(schoolId === null, 'schoolId', 'only activities of SCHOOL campaigns are held at a school');
      if (campaign.channel === CampaignChannel.WORKPLACE) errs.check(enterpriseId !== null, 'enterpriseId', 'is required: activities of a WORKPLACE campaign are held at an enterprise');
      else errs.check(enterpriseId === null, 'enterpriseId', 'only activities of WORKPLACE campaigns are held at an enterprise');
    }
    wholeNumber(errs, 'participants', data.participants, LIMITS.participants);
    errs.text('title', data.title, { required: true, max: 255 });
    // The attendance list: g2 counts these as persons, so each worker once, never more than attended.
    const keys = data.workerKeys;
    if (keys) {
      if (errs.check(enterpriseId !== null, 'workerKeys', 'only an activity at an enterprise has a list of its workers')) {
        const bad = keys.findIndex((k) => typeof k !== 'string' || !/^\d{10}$/.test(k));
        errs.check(bad < 0, bad < 0 ? 'workerKeys' : `workerKeys[${bad}]`, 'must be a 10-digit social-insurance number');
        errs.check(new Set(keys).size === keys.length, 'workerKeys', 'lists a worker twice');
        errs.check(!Number.isInteger(data.participants) || keys.length <= data.participants, 'workerKeys', `lists ${keys.length} workers for ${data.participants} participants`);
      }
    }
    errs.throwIfAny();
    const activity = tx.create(Activity, {
      campaign: campaign!,
      heldOn: data.heldOn,
      communeCode: data.communeCode,
      school: school ?? null,
      enterprise: enterprise ?? null,
      participants: data.participants,
      title: data.title,
    } as any);
    for (const workerKey of keys ?? []) tx.create(WorkerAttendance, { activity, workerKey } as any);
    return activity;
  });
}

// ---------------------------------------------------------------- schools and enterprises

export interface RegisterSchoolFields extends Idempotent {
  name: string;
  level: SchoolLevel;
  communeCode: string;
  students: number;
}

export async function registerSchool(em: EntityManager, input: RegisterSchoolFields): Written<School> {
  const { idempotencyKey, ...fields } = input;
  const data = { name: fields.name?.trim(), level: fields.level, communeCode: fields.communeCode, students: fields.students };
  return idempotentWrite(em, School, { key: idempotencyKey, operation: 'registerSchool', input: data }, async (tx) => {
    const errs = new InputErrors();
    errs.text('name', data.name, { required: true, max: 255 });
    errs.oneOf('level', data.level, SchoolLevel);
    await checkCommune(tx, errs, 'communeCode', data.communeCode);
    wholeNumber(errs, 'students', data.students, LIMITS.students);
    errs.throwIfAny();
    return tx.create(School, data as School);
  });
}

export interface RegisterEnterpriseFields extends Idempotent {
  name: string;
  communeCode: string;
  industrialPark?: string | null;
  workers: number;
}

export async function registerEnterprise(em: EntityManager, input: RegisterEnterpriseFields): Written<Enterprise> {
  const { idempotencyKey, ...fields } = input;
  const data = { name: fields.name?.trim(), communeCode: fields.communeCode, industrialPark: blankToNull(fields.industrialPark), workers: fields.workers };
  return idempotentWrite(em, Enterprise, { key: idempotencyKey, operation: 'registerEnterprise', input: data }, async (tx) => {
    const errs = new InputErrors();
    errs.text('name', data.name, { required: true, max: 255 });
    await checkCommune(tx, errs, 'communeCode', data.communeCode);
    errs.text('industrialPark', data.industrialPark, { max: 128 });
    wholeNumber(errs, 'workers', data.workers, LIMITS.workers);
    errs.throwIfAny();
    return tx.create(Enterprise, data as Enterprise);
  });
}

// ---------------------------------------------------------------- press

export interface RegisterMediaOutletFields extends Idempotent {
  name: string;
  kind: MediaOutletKind;
  main: boolean;
  provinceCode: string;
}

export async function registerMediaOutlet(em: EntityManager, input: RegisterMediaOutletFields): Written<MediaOutlet> {
  const { idempotencyKey, ...fields } = input;
  const data = { name: fields.name?.trim(), kind: fields.kind, main: fields.main, provinceCode: fields.provinceCode, columnSince: null, columnName: null };
  return idempotentWrite(em, MediaOutlet, { key: idempotencyKey, operation: 'registerMediaOutlet', input: data }, async (tx) => {
    const errs = new InputErrors();
    errs.text('name', data.name, { required: true, max: 255 });
    errs.oneOf('kind', data.kind, MediaOutletKind);
    errs.check(typeof data.main === 'boolean', 'main', 'must be true or false');
    // A province is known when the reference copy has communes of it.
    if (errs.check(typeof data.provinceCode === 'string' && /^\d{2}$/.test(data.provinceCode), 'provinceCode', 'must be a 2-digit province code')) {
      const known = await tx.count(KnownCommune, { provinceCode: data.provinceCode });
      errs.check(known > 0, 'provinceCode', `unknown province code ${data.provinceCode}`);
    }
    errs.throwIfAny();
    return tx.create(MediaOutlet, data as MediaOutlet);
  });
}

export interface OpenMediaColumnFields extends Idempotent {
  mediaOutletId: string | number;
  since: string;
  columnName: string;
}

/** Mở chuyên mục phòng, chống ma túy: once per outlet; a column already open is not reopened. */
export async function openMediaColumn(em: EntityManager, input: OpenMediaColumnFields): Written<MediaOutlet> {
  const { idempotencyKey, ...fields } = input;
  const data = { mediaOutletId: fields.mediaOutletId == null ? null : String(fields.mediaOutletId), since: fields.since, columnName: fields.columnName?.trim() };
  return idempotentWrite(em, MediaOutlet, { key: idempotencyKey, operation: 'openMediaColumn', input: data }, async (tx) => {
    const errs = new InputErrors();
    const id = refId(errs, 'mediaOutletId', data.mediaOutletId, true);
    const outlet = id ? await tx.findOne(MediaOutlet, { id }) : null;
    if (id && errs.check(outlet !== null, 'mediaOutletId', `unknown media outlet ${id}`)) {
      errs.check(outlet!.columnSince == null, 'mediaOutletId', `already has a column since ${outlet!.columnSince}`);
    }
    errs.date('since', data.since, { notFuture: true });
    errs.text('columnName', data.columnName, { required: true, max: 255 });
    errs.throwIfAny();
    outlet!.columnSince = data.since;
    outlet!.columnName = data.columnName;
    return outlet!;
  });
}
