import { cellCitizenId, cellCommuneCode, cellDay, cellLabel, cellText, labelIndex, type Importer, type InputErrors } from '@pcmt/kit';
import { EligibilityGroup, LegalAidForm } from './entities.js';
import { type RegisterLegalAidRequestInput } from './inputs.js';
import { DRUG_CASE_ID, registerLegalAidRequest } from './writes.js';

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

const ELIGIBILITY_INDEX = labelIndex(ELIGIBILITY_LABELS);
const FORM_INDEX = labelIndex(FORM_LABELS);

/** A label, also with the clause number staff add after it: "Trẻ em (khoản 3)". */
function cellClauseLabel<E extends string>(errs: InputErrors, field: string, raw: string | undefined, index: Map<string, E>, hint?: string): E | null {
  return cellLabel(errs, field, raw?.replace(/\s*\((?:khoản|khoan)[^)]*\)\s*$/i, ''), index, { hint });
}

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
    const receivedOn = cellDay(errs, 'receivedOn', row.receivedOn);
    const eligibilityGroup = cellClauseLabel(errs, 'eligibilityGroup', row.eligibilityGroup, ELIGIBILITY_INDEX);
    const serviceForm = cellClauseLabel(errs, 'serviceForm', row.serviceForm, FORM_INDEX, 'ADVICE ("Tư vấn pháp luật"), DEFENCE_IN_PROCEEDINGS ("Tham gia tố tụng"), REPRESENTATION_OUTSIDE_COURT ("Đại diện ngoài tố tụng")');
    const input: RegisterLegalAidRequestInput = {
      id: cellText(row.id),
      citizenId: cellCitizenId(row.citizenId),
      // '' and the null enums only after a field error, so the row is never written.
      receivedOn: receivedOn ?? '',
      communeCode: cellCommuneCode(row.communeCode) ?? '',
      eligibilityGroup: eligibilityGroup as EligibilityGroup,
      serviceForm: serviceForm as LegalAidForm,
      drugCaseId: cellText(row.drugCaseId)?.toUpperCase() ?? null,
      note: cellText(row.note),
    };
    // Format checks here too, so a bad row lists every problem before anything touches the database.
    errs.citizenId('citizenId', input.citizenId);
    if (receivedOn) errs.date('receivedOn', receivedOn, { notFuture: true });
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
