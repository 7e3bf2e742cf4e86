import { cellCitizenId, cellCommuneCode, cellDay, cellLabel, cellNumber, cellText, cellYesNo, isBlank, labelIndex, normalizeHeader, type Importer, type InputErrors } from '@pcmt/kit';
import { MissedDoseReason, UrineAnalyte } from './entities.js';
import { type RecordDoseInput, type RecordUrineTestInput } from './inputs.js';
import { recordDose, recordUrineTest } from './writes.js';

// Clinics keep dosing and test logs in spreadsheets: dates as 2025-03-14 or 14/03/2025, yes/no as
// "Có"/"Không" or "x", test results as "Dương tính"/"Âm tính" or "+"/"−", reasons in Vietnamese.

// A Record, so a new reason cannot be added without its labels.
const REASON_LABELS: Record<MissedDoseReason, string[]> = {
  SICK: ['Ốm', 'Ốm đau', 'Bị ốm', 'Nằm viện', 'Đau ốm', 'sick', 'hospitalised'],
  TRAVEL: ['Đi xa', 'Về quê', 'Đi vắng', 'Đi công tác', 'travel', 'away'],
  WORK: ['Bận việc', 'Bận', 'Đi làm', 'Đi làm ăn xa', 'work'],
  DETAINED: ['Bị tạm giữ', 'Tạm giữ', 'Tạm giam', 'Bị bắt', 'detained', 'arrested'],
  OTHER: ['Khác', 'Lý do khác', 'other'],
  UNKNOWN: ['Không rõ', 'Không rõ lý do', 'Không liên lạc được', 'unknown'],
};
const REASONS = labelIndex(REASON_LABELS);

const PATIENT_COLUMNS = {
  enrollmentId: ['Mã bệnh nhân', 'Mã BN', 'Mã điều trị', 'Mã đăng ký điều trị', 'enrolment id', 'enrollment id', 'patient id'],
  citizenId: ['Số CCCD', 'CCCD', 'Số định danh cá nhân', 'Số định danh', 'citizen id'],
};

/** The row names the patient by enrolment id or citizen ID; the natural key uses whichever it gave. */
const patientKey = (i: { enrollmentId?: string | null; citizenId?: string | null }) => (i.enrollmentId ? `e${i.enrollmentId}` : `p${i.citizenId}`);

/** Either patient column may be blank; the CCCD gets back the leading 0 Excel drops. */
const patientCells = (row: Record<string, string>) => ({
  enrollmentId: cellText(row.enrollmentId),
  citizenId: isBlank(row.citizenId) ? null : cellCitizenId(row.citizenId),
});

function checkPatient(errs: InputErrors, enrollmentId: string | null, citizenId: string | null): void {
  if (!enrollmentId && !citizenId) errs.add('enrollmentId', 'give the patient code (Mã bệnh nhân) or the citizen ID (Số CCCD)');
}

/** Sổ cấp phát thuốc hằng ngày: one row per patient and day. */
export const doseRecordsImporter: Importer<RecordDoseInput> = {
  name: 'dose-records',
  description: 'Sổ theo dõi cấp phát thuốc Methadone hằng ngày: dose taken (observed or take-home) or missed, with the reason',
  columns: {
    ...PATIENT_COLUMNS,
    day: ['Ngày', 'Ngày uống thuốc', 'Ngày cấp phát', 'Ngày cấp thuốc', 'date', 'day'],
    doseMg: ['Liều (mg)', 'Liều', 'Liều mg', 'Liều dùng', 'Liều điều trị', 'dose (mg)', 'dose mg', 'dose'],
    observed: ['Uống tại chỗ', 'Uống tại cơ sở', 'Uống có giám sát', 'observed'],
    takeHome: ['Mang về', 'Cấp thuốc mang về', 'Thuốc mang về', 'take home', 'take-home'],
    missed: ['Bỏ liều', 'Không uống', 'Vắng', 'missed'],
    missedReason: ['Lý do', 'Lý do bỏ liều', 'Lý do vắng', 'reason', 'missed reason'],
  },
  parse(row, errs) {
    const { enrollmentId, citizenId } = patientCells(row);
    checkPatient(errs, enrollmentId, citizenId);
    const observed = cellYesNo(errs, 'observed', row.observed);
    const takeHome = cellYesNo(errs, 'takeHome', row.takeHome);
    if (observed !== null && takeHome !== null) errs.check(observed !== takeHome, 'takeHome', 'says the opposite of "Uống tại chỗ"');
    return {
      enrollmentId,
      citizenId,
      // '' only after a field error, so the row is never written.
      day: cellDay(errs, 'day', row.day) ?? '',
      // Blank on a missed day; the write checks it is there otherwise.
      doseMg: cellNumber(errs, 'doseMg', row.doseMg, { required: false, whole: true, unit: 'mg' }),
      observed: observed ?? (takeHome === null ? null : !takeHome),
      missed: cellYesNo(errs, 'missed', row.missed) ?? false,
      missedReason: cellLabel(errs, 'missedReason', row.missedReason, REASONS, { required: false }),
    };
  },
  key: (i) => `${patientKey(i)}:${i.day}`,
  async write(em, input, idempotencyKey) {
    const { replayed } = await recordDose(em, { ...input, idempotencyKey });
    return { replayed };
  },
};

const POSITIVE = ['duongtinh', 'dt', 'positive', 'pos', 'p', 'co', 'yes', '1', 'true'];
const NEGATIVE = ['amtinh', 'at', 'negative', 'neg', 'n', 'khong', 'no', '0', 'false'];

/** Dương tính / Âm tính (or + / −); null when the analyte was not tested. */
function cellResult(errs: InputErrors, field: string, raw: string | undefined): boolean | null {
  // "(+)" and "( - )" are written too.
  const trimmed = cellText(raw)?.replace(/[()\s]/g, '') ?? '';
  if (trimmed === '') return null;
  if (trimmed === '+') return true;
  if (['-', '−', '–'].includes(trimmed)) return false;
  const value = normalizeHeader(trimmed);
  if (!value) return errs.add(field, `must be Dương tính (+) or Âm tính (−), or blank when not tested; not "${raw}"`), null;
  if (POSITIVE.includes(value)) return true;
  if (NEGATIVE.includes(value)) return false;
  return errs.add(field, `must be Dương tính (+) or Âm tính (−), or blank when not tested; not "${raw}"`), null;
}

const ANALYTE_COLUMNS: Record<UrineAnalyte, string[]> = {
  OPIATES: ['Opiates', 'Opiate', 'Chất dạng thuốc phiện', 'Morphin', 'Morphine', 'Heroin', 'MOP', 'OPI'],
  METHAMPHETAMINE: ['Methamphetamine', 'Ma túy đá', 'MET', 'Meth'],
  MDMA: ['MDMA', 'Thuốc lắc', 'Ecstasy'],
  THC: ['THC', 'Cần sa', 'Cannabis', 'Marijuana'],
};

/** Sổ xét nghiệm nước tiểu: one row per test, one column per analyte. */
export const urineTestsImporter: Importer<RecordUrineTestInput> = {
  name: 'urine-tests',
  description: 'Kết quả xét nghiệm nước tiểu tìm chất ma túy: one row per test, a column per analyte (blank when not tested)',
  columns: {
    ...PATIENT_COLUMNS,
    communeCode: ['Mã xã', 'Mã đơn vị hành chính', 'Mã ĐVHC', 'commune code'],
    facilityId: ['Mã cơ sở', 'Mã cơ sở xét nghiệm', 'facility id'],
    testedOn: ['Ngày xét nghiệm', 'Ngày XN', 'Ngày lấy mẫu', 'Ngày', 'tested on', 'test date', 'date'],
    ...ANALYTE_COLUMNS,
  },
  parse(row, errs) {
    const { enrollmentId, citizenId } = patientCells(row);
    checkPatient(errs, enrollmentId, citizenId);
    const results: RecordUrineTestInput['results'] = [];
    for (const analyte of Object.values(UrineAnalyte)) {
      const positive = cellResult(errs, analyte, row[analyte]);
      if (positive !== null) results.push({ analyte, positive });
    }
    if (!results.length && !errs.any) errs.add('results', `no result given: fill at least one of ${Object.values(UrineAnalyte).join(', ')}`);
    return {
      enrollmentId,
      citizenId,
      communeCode: cellCommuneCode(row.communeCode),
      facilityId: cellText(row.facilityId),
      testedOn: cellDay(errs, 'testedOn', row.testedOn) ?? '',
      results,
    };
  },
  key: (i) => `${patientKey(i)}:${i.testedOn}`,
  async write(em, input, idempotencyKey) {
    const { replayed } = await recordUrineTest(em, { ...input, idempotencyKey });
    return { replayed };
  },
};

export const importers = [doseRecordsImporter, urineTestsImporter];
