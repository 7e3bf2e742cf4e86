import { cellCommuneCode, cellDay, cellNumber, cellRequired, cellText, type Importer, type InputErrors } from '@pcmt/kit';
import { createHash } from 'node:crypto';
import { logActivity, type LogActivityFields } from './writes.js';

// Cells are read with the kit's readers; a null from one has already been reported as a field
// error, so the row never reaches the write and the fallbacks below only satisfy the row type.

/** An id column, kept as text: a positive whole number; blank is none unless required. */
function cellId(errs: InputErrors, field: string, raw: string | undefined, required: boolean): string | null {
  const v = required ? cellRequired(errs, field, raw) : cellText(raw);
  if (v === null || (/^\d+$/.test(v) && Number(v) >= 1)) return v;
  errs.add(field, 'must be a positive whole-number id');
  return null;
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
    const campaignId = cellId(errs, 'campaignId', row.campaignId, true) ?? '';
    const heldOn = cellDay(errs, 'heldOn', row.heldOn) ?? '';
    const communeCode = cellCommuneCode(row.communeCode) ?? '';
    errs.communeCodeFormat('communeCode', communeCode);
    const schoolId = cellId(errs, 'schoolId', row.schoolId, false);
    const enterpriseId = cellId(errs, 'enterpriseId', row.enterpriseId, false);
    const participants = cellNumber(errs, 'participants', row.participants, { whole: true }) ?? Number.NaN;
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
