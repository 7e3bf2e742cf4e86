import type { Importer, InputErrors } from '@pcmt/kit';
import { createHash } from 'node:crypto';
import { logActivity, type LogActivityFields } from './writes.js';

/**
 * Spreadsheet values as province staff type them: dates as 2025-06-26 or 26/6/2025 (Excel
 * dates arrive as YYYY-MM-DD already), whole numbers with or without thousands separators.
 */
export function parseDay(errs: InputErrors, field: string, raw: string | undefined): string {
  const v = (raw ?? '').trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
  const dmy = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(v);
  if (dmy) return `${dmy[3]}-${dmy[2].padStart(2, '0')}-${dmy[1].padStart(2, '0')}`;
  errs.add(field, v ? 'must be a date (YYYY-MM-DD or DD/MM/YYYY)' : 'is required');
  return v;
}

export function parseWhole(errs: InputErrors, field: string, raw: string | undefined): number {
  const v = (raw ?? '').trim();
  // "1.200", "1,200" and "1 200" are all twelve hundred in Vietnamese sheets.
  if (/^\d+$/.test(v) || /^\d{1,3}([., ]\d{3})+$/.test(v)) return Number(v.replace(/[., ]/g, ''));
  errs.add(field, v ? 'must be a whole number' : 'is required');
  return Number.NaN;
}

/** An id column: empty means none; otherwise a positive whole number. */
export function parseOptionalId(errs: InputErrors, field: string, raw: string | undefined): string | null {
  const v = (raw ?? '').trim();
  if (v === '') return null;
  if (!/^\d+$/.test(v) || Number(v) < 1) errs.add(field, 'must be a positive whole-number id');
  return v;
}

export type ActivityRow = Omit<LogActivityFields, 'idempotencyKey' | 'campaignId' | 'schoolId' | 'enterpriseId'> & {
  campaignId: string;
  schoolId: string | null;
  enterpriseId: string | null;
};

/** Báo cáo hoạt động tuyên truyền: one row per activity held, from the organisers' monthly sheets. */
export const activitiesImporter: Importer<ActivityRow> = {
  name: 'activities',
  description: 'Hoạt động tuyên truyền phòng, chống ma túy (one row per activity: campaign, day, commune, school or enterprise, participants)',
  columns: {
    campaignId: ['Mã chiến dịch', 'Chiến dịch', 'Mã đợt tuyên truyền', 'campaign id', 'campaign'],
    heldOn: ['Ngày tổ chức', 'Ngày', 'held on', 'date'],
    communeCode: ['Mã xã', 'Mã xã/phường', 'Mã đơn vị hành chính', 'commune code', 'commune'],
    schoolId: ['Trường', 'Mã trường', 'school id', 'school'],
    enterpriseId: ['Doanh nghiệp', 'Mã doanh nghiệp', 'enterprise id', 'enterprise'],
    participants: ['Số người tham dự', 'Số lượt người tham dự', 'Số người', 'participants'],
    title: ['Nội dung', 'Tên hoạt động', 'Hình thức', 'title', 'activity'],
  },
  parse(row, errs) {
    const campaignId = (row.campaignId ?? '').trim();
    if (!campaignId) errs.add('campaignId', 'is required');
    else if (!/^\d+$/.test(campaignId) || Number(campaignId) < 1) errs.add('campaignId', 'must be a positive whole-number id');
    const heldOn = parseDay(errs, 'heldOn', row.heldOn);
    const communeCode = (row.communeCode ?? '').trim();
    errs.communeCodeFormat('communeCode', communeCode);
    const schoolId = parseOptionalId(errs, 'schoolId', row.schoolId);
    const enterpriseId = parseOptionalId(errs, 'enterpriseId', row.enterpriseId);
    const participants = parseWhole(errs, 'participants', row.participants);
    const title = (row.title ?? '').trim().replace(/\s+/g, ' ');
    errs.text('title', title, { required: true, max: 255 });
    return { campaignId, heldOn, communeCode, schoolId, enterpriseId, participants, title };
  },
  key(a) {
    // The title can be long: it enters the key as a digest, so the key stays within 160 characters.
    const title = createHash('sha256').update(a.title.toLowerCase()).digest('hex').slice(0, 16);
    return [a.campaignId, a.heldOn, a.communeCode, `s${a.schoolId ?? ''}`, `e${a.enterpriseId ?? ''}`, title].join(':');
  },
  async write(em, a, idempotencyKey) {
    const { replayed } = await logActivity(em, { ...a, idempotencyKey });
    return { replayed };
  },
};

export const importers = [activitiesImporter];
