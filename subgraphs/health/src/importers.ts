import { normalizeHeader, type Importer, type InputErrors } from '@pcmt/kit';
import { MissedDoseReason, UrineAnalyte } from './entities.js';
import { recordDose, recordUrineTest, type RecordDoseInput, type RecordUrineTestInput } from './writes.js';

// Clinics keep dosing and test logs in spreadsheets: dates as 2025-03-14 or 14/03/2025, yes/no as
// "Có"/"Không" or "x", test results as "Dương tính"/"Âm tính" or "+"/"−", reasons in Vietnamese.

const DMY = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;

/** `YYYY-MM-DD` or `DD/MM/YYYY`; the calendar and "not in the future" are the write's to check. */
function parseDay(errs: InputErrors, field: string, raw: string | undefined): string {
  const value = (raw ?? '').trim();
  if (!value) return errs.add(field, 'is required'), '';
  const m = DMY.exec(value);
  const day = m ? `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}` : value;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) errs.add(field, 'must be a date YYYY-MM-DD or DD/MM/YYYY');
  return day;
}

/** Whole milligrams, "60" or "60 mg"; null when blank. */
function parseMg(errs: InputErrors, field: string, raw: string | undefined): number | null {
  const value = (raw ?? '').trim().toLowerCase().replace(/\s*mg$/, '').replace(',', '.');
  if (!value) return null;
  if (!/^\d+(\.\d+)?$/.test(value)) return errs.add(field, `must be a number of mg, not "${raw}"`), null;
  return Number(value);
}

const YES = ['co', 'x', 'yes', 'y', 'true', '1', 'dung'];
const NO = ['khong', 'no', 'n', 'false', '0', 'sai'];

/** Có/Không; null when blank. */
function parseYesNo(errs: InputErrors, field: string, raw: string | undefined): boolean | null {
  const value = normalizeHeader(raw ?? '');
  if (!value) return null;
  if (YES.includes(value)) return true;
  if (NO.includes(value)) return false;
  return errs.add(field, `must be Có/Không (yes/no), not "${raw}"`), null;
}

/** An enum value from its name or a label, ignoring case, diacritics and spaces; null when blank. */
function parseLabel<T extends string>(errs: InputErrors, field: string, raw: string | undefined, labels: Record<T, string[]>): T | null {
  const value = normalizeHeader(raw ?? '');
  if (!value) return null;
  for (const [name, aliases] of Object.entries(labels) as Array<[T, string[]]>) {
    if ([name, ...aliases].some((a) => normalizeHeader(a) === value)) return name;
  }
  return errs.add(field, `unknown value "${raw}"; one of ${Object.keys(labels).join(', ')} or their Vietnamese names`), null;
}

const blankToNull = (raw: string | undefined): string | null => (raw ?? '').trim() || null;

const REASON_LABELS: Record<MissedDoseReason, string[]> = {
  SICK: ['Ốm', 'Ốm đau', 'Bị ốm', 'Nằm viện', 'Đau ốm', 'sick', 'hospitalised'],
  TRAVEL: ['Đi xa', 'Về quê', 'Đi vắng', 'Đi công tác', 'travel', 'away'],
  WORK: ['Bận việc', 'Bận', 'Đi làm', 'Đi làm ăn xa', 'work'],
  DETAINED: ['Bị tạm giữ', 'Tạm giữ', 'Tạm giam', 'Bị bắt', 'detained', 'arrested'],
  OTHER: ['Khác', 'Lý do khác', 'other'],
  UNKNOWN: ['Không rõ', 'Không rõ lý do', 'Không liên lạc được', 'unknown', '?'],
};

const PATIENT_COLUMNS = {
  enrollmentId: ['Mã bệnh nhân', 'Mã BN', 'Mã điều trị', 'Mã đăng ký điều trị', 'enrolment id', 'enrollment id', 'patient id'],
  citizenId: ['Số CCCD', 'CCCD', 'Số định danh cá nhân', 'Số định danh', 'citizen id'],
};

/** The row names the patient by enrolment id or citizen ID; the natural key uses whichever it gave. */
const patientKey = (i: { enrollmentId?: string | null; citizenId?: string | null }) => (i.enrollmentId ? `e${i.enrollmentId}` : `p${i.citizenId}`);

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
    const enrollmentId = blankToNull(row.enrollmentId);
    const citizenId = blankToNull(row.citizenId);
    checkPatient(errs, enrollmentId, citizenId);
    const observed = parseYesNo(errs, 'observed', row.observed);
    const takeHome = parseYesNo(errs, 'takeHome', row.takeHome);
    if (observed !== null && takeHome !== null) errs.check(observed !== takeHome, 'takeHome', 'says the opposite of "Uống tại chỗ"');
    return {
      enrollmentId,
      citizenId,
      day: parseDay(errs, 'day', row.day),
      doseMg: parseMg(errs, 'doseMg', row.doseMg),
      observed: observed ?? (takeHome === null ? null : !takeHome),
      missed: parseYesNo(errs, 'missed', row.missed) ?? false,
      missedReason: parseLabel(errs, 'missedReason', row.missedReason, REASON_LABELS),
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
function parseResult(errs: InputErrors, field: string, raw: string | undefined): boolean | null {
  const trimmed = (raw ?? '').trim();
  if (trimmed === '+') return true;
  if (['-', '−', '–'].includes(trimmed)) return false;
  const value = normalizeHeader(trimmed);
  if (!value) return null;
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
    const enrollmentId = blankToNull(row.enrollmentId);
    const citizenId = blankToNull(row.citizenId);
    checkPatient(errs, enrollmentId, citizenId);
    const results: RecordUrineTestInput['results'] = [];
    for (const analyte of Object.values(UrineAnalyte)) {
      const positive = parseResult(errs, analyte, row[analyte]);
      if (positive !== null) results.push({ analyte, positive });
    }
    if (!results.length && !errs.any) errs.add('results', `no result given: fill at least one of ${Object.values(UrineAnalyte).join(', ')}`);
    return {
      enrollmentId,
      citizenId,
      communeCode: blankToNull(row.communeCode),
      facilityId: blankToNull(row.facilityId),
      testedOn: parseDay(errs, 'testedOn', row.testedOn),
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
