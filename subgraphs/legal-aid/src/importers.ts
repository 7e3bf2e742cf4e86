import { normalizeHeader, type Importer, type InputErrors } from '@pcmt/kit';
import { EligibilityGroup, LegalAidForm } from './entities.js';
import { DRUG_CASE_ID, registerLegalAidRequest, type RegisterLegalAidRequestInput } from './writes.js';

/**
 * Labels the centre's staff type in the "Diện" and "Hình thức" columns, besides the enum names.
 * Matched like headers (no case, diacritics or punctuation), whole label only, with or without a
 * trailing "(khoản N)": a near miss is refused rather than guessed.
 */
const ELIGIBILITY_LABELS: Record<EligibilityGroup, string[]> = {
  [EligibilityGroup.POOR_HOUSEHOLD]: ['Người thuộc hộ nghèo', 'Hộ nghèo', 'poor household'],
  [EligibilityGroup.ETHNIC_MINORITY_HARD_AREA]: [
    'Người dân tộc thiểu số cư trú ở vùng có điều kiện kinh tế - xã hội đặc biệt khó khăn',
    'Người dân tộc thiểu số cư trú ở vùng đặc biệt khó khăn',
    'Người dân tộc thiểu số',
    'Dân tộc thiểu số',
    'ethnic minority',
  ],
  [EligibilityGroup.ACCUSED_AGED_16_18]: [
    'Người bị buộc tội từ đủ 16 tuổi đến dưới 18 tuổi',
    'Người bị buộc tội từ đủ 16 đến dưới 18 tuổi',
    'Người bị buộc tội dưới 18 tuổi',
    'accused aged 16-18',
  ],
  [EligibilityGroup.ACCUSED_NEAR_POOR]: ['Người bị buộc tội thuộc hộ cận nghèo', 'Hộ cận nghèo', 'accused near poor'],
  [EligibilityGroup.VICTIM]: ['Bị hại', 'Người bị hại', 'Nạn nhân', 'Nạn nhân bạo lực gia đình', 'Nạn nhân mua bán người', 'victim'],
  [EligibilityGroup.DISABLED]: ['Người khuyết tật có khó khăn về tài chính', 'Người khuyết tật', 'disabled'],
  [EligibilityGroup.CHILD]: ['Trẻ em', 'child'],
  [EligibilityGroup.OTHER_FINANCIAL_HARDSHIP]: [
    'Trường hợp khác có khó khăn về tài chính',
    'Người có khó khăn về tài chính',
    'Khó khăn về tài chính',
    'Người nhiễm HIV có khó khăn về tài chính',
    'Người cao tuổi có khó khăn về tài chính',
    'financial hardship',
  ],
  [EligibilityGroup.NOT_ELIGIBLE]: ['Không thuộc diện được trợ giúp pháp lý', 'Không thuộc diện', 'Không đủ điều kiện', 'not eligible'],
};

const FORM_LABELS: Record<LegalAidForm, string[]> = {
  [LegalAidForm.ADVICE]: ['Tư vấn pháp luật', 'Tư vấn', 'advice', 'legal advice'],
  [LegalAidForm.DEFENCE_IN_PROCEEDINGS]: ['Tham gia tố tụng', 'Bào chữa', 'Bảo vệ quyền và lợi ích hợp pháp', 'defence', 'defence in proceedings', 'defense'],
  [LegalAidForm.REPRESENTATION_OUTSIDE_COURT]: ['Đại diện ngoài tố tụng', 'Đại diện', 'representation', 'representation outside court'],
};

function labelIndex<E extends string>(labels: Record<E, string[]>): Map<string, E> {
  const index = new Map<string, E>();
  for (const [value, names] of Object.entries(labels) as [E, string[]][]) {
    for (const name of [value, ...names]) index.set(normalizeHeader(name), value);
  }
  return index;
}

const ELIGIBILITY_INDEX = labelIndex(ELIGIBILITY_LABELS);
const FORM_INDEX = labelIndex(FORM_LABELS);

/** A label as typed, to its enum value; a field error (not an exception) when nothing matches. */
function parseLabel<E extends string>(errs: InputErrors, field: string, raw: string | undefined, index: Map<string, E>, hint: string): E {
  const text = (raw ?? '').trim().replace(/\s*\((?:khoản|khoan)[^)]*\)\s*$/i, '');
  if (!text) return errs.add(field, 'is required'), undefined as unknown as E;
  const value = index.get(normalizeHeader(text));
  if (!value) errs.add(field, `unknown value "${raw}": use ${hint}`);
  return value as E;
}

/** `2025-03-07`, or the way dates are typed in Vietnam: `7/3/2025`, `07-03-2025`, `07.03.2025`. */
export function parseDay(raw: string | undefined): string {
  const text = (raw ?? '').trim();
  const dmy = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
  if (dmy) return `${dmy[3]}-${dmy[2].padStart(2, '0')}-${dmy[1].padStart(2, '0')}`;
  return text;
}

/** CCCD numbers always start with 0 (birthplace codes 001–096), which Excel drops from number cells. */
export function parseCitizenId(raw: string | undefined): string {
  const text = (raw ?? '').replace(/\s/g, '');
  return /^\d{11}$/.test(text) ? `0${text}` : text;
}

const optional = (raw: string | undefined) => {
  const text = (raw ?? '').trim();
  return text === '' ? null : text;
};

/** Sổ tiếp nhận yêu cầu: one request per row. */
export const requestsImporter: Importer<RegisterLegalAidRequestInput> = {
  name: 'requests',
  description: 'Yêu cầu trợ giúp pháp lý đã tiếp nhận (sổ thụ lý): one row per request, recorded as RECEIVED',
  columns: {
    id: ['Mã yêu cầu', 'Số yêu cầu', 'Số thụ lý', 'request id', 'request number'],
    citizenId: ['Số CCCD', 'CCCD', 'Số định danh cá nhân', 'citizen id'],
    receivedOn: ['Ngày tiếp nhận', 'Ngày nhận', 'received on', 'date received'],
    communeCode: ['Mã xã', 'Mã xã/phường', 'commune code'],
    eligibilityGroup: ['Diện được trợ giúp', 'Diện người được trợ giúp pháp lý', 'Diện trợ giúp', 'eligibility group', 'eligibility'],
    serviceForm: ['Hình thức', 'Hình thức trợ giúp', 'Hình thức trợ giúp pháp lý', 'service form', 'form'],
    drugCaseId: ['Số vụ án', 'Mã vụ án', 'drug case id', 'case number'],
    note: ['Ghi chú', 'note'],
  },
  parse(row, errs) {
    const input: RegisterLegalAidRequestInput = {
      id: optional(row.id),
      citizenId: parseCitizenId(row.citizenId),
      receivedOn: parseDay(row.receivedOn),
      communeCode: (row.communeCode ?? '').trim(),
      eligibilityGroup: parseLabel(errs, 'eligibilityGroup', row.eligibilityGroup, ELIGIBILITY_INDEX, `an EligibilityGroup or its label, e.g. "Người thuộc hộ nghèo"`),
      serviceForm: parseLabel(errs, 'serviceForm', row.serviceForm, FORM_INDEX, `ADVICE, DEFENCE_IN_PROCEEDINGS, REPRESENTATION_OUTSIDE_COURT or "Tư vấn pháp luật", "Tham gia tố tụng", "Đại diện ngoài tố tụng"`),
      drugCaseId: optional(row.drugCaseId)?.toUpperCase() ?? null,
      note: optional(row.note),
    };
    // Format checks here too, so a bad row lists every problem before anything touches the database.
    errs.citizenId('citizenId', input.citizenId);
    errs.date('receivedOn', input.receivedOn, { notFuture: true });
    errs.communeCodeFormat('communeCode', input.communeCode);
    if (input.drugCaseId) errs.check(DRUG_CASE_ID.test(input.drugCaseId), 'drugCaseId', 'must be a case number VA-YYYY-NNNNN');
    return input;
  },
  // The centre's own number when the file has one; otherwise who asked, when, and for what.
  key: (input) => (input.id ? `id:${input.id}` : `${input.citizenId}:${input.receivedOn}:${input.serviceForm}`),
  async write(em, input, idempotencyKey) {
    const { replayed } = await registerLegalAidRequest(em, { ...input, idempotencyKey });
    return { replayed };
  },
};

export const importers = [requestsImporter];
