import { createHash } from 'node:crypto';
import { normalizeHeader, type Importer, type InputErrors } from '@pcmt/kit';
import { HotspotKind, ManagedCategory, VenueType } from './entities.js';
import { openManagementFile, recordHotspot, type OpenManagementFileInput, type RecordHotspotInput } from './writes.js';

// Spreadsheet cells arrive as text typed by commune police: dates as 2025-03-14 or 14/03/2025,
// categories as the enum name or the Vietnamese label, yes/no as "Có"/"Không", "x" or blank.

const DMY = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;

/** `YYYY-MM-DD` or `DD/MM/YYYY` to `YYYY-MM-DD`; null with a field error otherwise (or when required and blank). */
export function parseDay(errs: InputErrors, field: string, raw: string | undefined, required = true): string | null {
  const value = (raw ?? '').trim();
  if (!value) {
    if (required) errs.add(field, 'is required');
    return null;
  }
  const m = DMY.exec(value);
  const day = m ? `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}` : value;
  // Calendar check (30 February) and "not in the future" stay with the write's own validation.
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) {
    errs.add(field, 'must be a date YYYY-MM-DD or DD/MM/YYYY');
    return null;
  }
  return day;
}

/** An enum value from its name or one of its labels, compared without case, diacritics or spaces. */
export function parseLabel<T extends string>(errs: InputErrors, field: string, raw: string | undefined, labels: Record<T, string[]>, fallback?: T): T | null {
  const value = normalizeHeader(raw ?? '');
  if (!value) {
    if (fallback !== undefined) return fallback;
    errs.add(field, 'is required');
    return null;
  }
  for (const [name, aliases] of Object.entries(labels) as Array<[T, string[]]>) {
    if ([name, ...aliases].some((a) => normalizeHeader(a) === value)) return name;
  }
  errs.add(field, `unknown value "${raw}"; one of ${Object.keys(labels).join(', ')} or their Vietnamese names`);
  return null;
}

const YES = ['co', 'x', 'yes', 'y', 'true', '1', 'dung'];
const NO = ['', 'khong', 'no', 'n', 'false', '0', 'sai'];

export function parseYesNo(errs: InputErrors, field: string, raw: string | undefined): boolean {
  const value = normalizeHeader(raw ?? '');
  if (YES.includes(value)) return true;
  if (!NO.includes(value)) errs.add(field, `must be Có/Không (yes/no), not "${raw}"`);
  return false;
}

const CATEGORY_LABELS: Record<ManagedCategory, string[]> = {
  ILLEGAL_USER: ['Người sử dụng trái phép chất ma túy', 'Người sử dụng trái phép', 'Sử dụng trái phép', 'Người SDTP', 'SDTP', 'illegal user', 'user'],
  ADDICT: ['Người nghiện ma túy', 'Người nghiện', 'Nghiện', 'addict'],
  POST_REHAB: ['Người sau cai nghiện ma túy', 'Người sau cai nghiện', 'Sau cai nghiện', 'Sau cai', 'post rehab'],
  RELEASED_AFTER_SENTENCE: [
    'Người đã chấp hành xong án phạt tù về tội phạm ma túy',
    'Chấp hành xong án phạt tù',
    'Đã chấp hành xong án',
    'Mãn hạn tù',
    'released after sentence',
  ],
};

/** Hồ sơ quản lý kept by commune police in a spreadsheet. */
export const managementFilesImporter: Importer<OpenManagementFileInput> = {
  name: 'management-files',
  description: 'Hồ sơ quản lý người sử dụng trái phép, người nghiện, người sau cai nghiện, người chấp hành xong án phạt tù về ma túy',
  columns: {
    citizenId: ['Số CCCD', 'CCCD', 'Số định danh cá nhân', 'Số định danh', 'citizen id'],
    category: ['Loại đối tượng', 'Phân loại', 'Đối tượng', 'category'],
    openedOn: ['Ngày lập hồ sơ', 'Ngày mở hồ sơ', 'Ngày lập', 'opened on'],
    communeCode: ['Mã xã', 'Mã đơn vị hành chính', 'Mã ĐVHC', 'commune code'],
    psychosisRisk: ['Nguy cơ ngáo đá', 'Ngáo đá', 'Nguy cơ loạn thần', 'psychosis risk'],
  },
  parse(row, errs) {
    const communeCode = (row.communeCode ?? '').trim();
    return {
      citizenId: (row.citizenId ?? '').trim(),
      category: parseLabel(errs, 'category', row.category, CATEGORY_LABELS) as ManagedCategory,
      openedOn: parseDay(errs, 'openedOn', row.openedOn) as string,
      communeCode: communeCode || null,
      psychosisRisk: parseYesNo(errs, 'psychosisRisk', row.psychosisRisk),
    };
  },
  key: (i) => `${i.citizenId}:${i.category}:${i.openedOn}`,
  async write(em, input, idempotencyKey) {
    const { replayed } = await openManagementFile(em, { ...input, idempotencyKey });
    return { replayed };
  },
};

const KIND_LABELS: Record<HotspotKind, string[]> = {
  USE_POINT: ['Điểm sử dụng', 'Điểm tổ chức sử dụng', 'Tụ điểm sử dụng', 'Điểm tổ chức sử dụng trái phép chất ma túy', 'use point'],
  DEALING_POINT: ['Điểm mua bán', 'Điểm bán lẻ', 'Điểm mua bán trái phép chất ma túy', 'dealing point'],
  HARBOURING_VENUE: ['Chứa chấp', 'Cơ sở chứa chấp', 'Điểm chứa chấp', 'Chứa chấp việc sử dụng', 'harbouring venue'],
};

const VENUE_LABELS: Record<VenueType, string[]> = {
  KARAOKE: ['Quán karaoke', 'Karaoke'],
  BAR: ['Quán bar', 'Bar', 'Vũ trường', 'Câu lạc bộ', 'Pub'],
  HOTEL_GUESTHOUSE: ['Khách sạn', 'Nhà nghỉ', 'Nhà trọ', 'Khách sạn, nhà nghỉ', 'hotel', 'guesthouse'],
  PRIVATE_HOUSE: ['Nhà riêng', 'Nhà ở', 'private house', 'house'],
  PUBLIC_PLACE: ['Nơi công cộng', 'Công cộng', 'Bãi đất trống', 'public place'],
  OTHER: ['Khác', 'other'],
};

/** Điểm, tụ điểm ma túy kept by commune police in a spreadsheet. */
export const hotspotsImporter: Importer<RecordHotspotInput> = {
  name: 'hotspots',
  description: 'Điểm, tụ điểm tổ chức/chứa chấp sử dụng, mua bán trái phép chất ma túy, with detection and dismantling dates',
  columns: {
    kind: ['Loại điểm', 'Loại tụ điểm', 'Loại', 'kind'],
    venueType: ['Loại địa điểm', 'Loại hình cơ sở', 'Loại hình', 'venue type', 'venue'],
    place: ['Địa điểm', 'Địa chỉ', 'Tên, địa chỉ', 'place', 'address'],
    communeCode: ['Mã xã', 'Mã đơn vị hành chính', 'Mã ĐVHC', 'commune code'],
    detectedOn: ['Ngày phát hiện', 'detected on'],
    dismantledOn: ['Ngày triệt xóa', 'Ngày triệt phá', 'dismantled on'],
  },
  parse(row, errs) {
    return {
      kind: parseLabel(errs, 'kind', row.kind, KIND_LABELS) as HotspotKind,
      venueType: parseLabel(errs, 'venueType', row.venueType, VENUE_LABELS, VenueType.OTHER) as VenueType,
      place: (row.place ?? '').trim(),
      communeCode: (row.communeCode ?? '').trim(),
      detectedOn: parseDay(errs, 'detectedOn', row.detectedOn) as string,
      dismantledOn: parseDay(errs, 'dismantledOn', row.dismantledOn, false),
    };
  },
  // The same place in the same commune detected on the same day is the same hotspot (the place
  // hashed: idempotency keys are at most 160 characters).
  key: (i) => `${i.communeCode}:${i.detectedOn}:${createHash('sha256').update(normalizeHeader(i.place)).digest('hex').slice(0, 24)}`,
  async write(em, input, idempotencyKey) {
    const { replayed } = await recordHotspot(em, { ...input, idempotencyKey });
    return { replayed };
  },
};

export const importers = [managementFilesImporter, hotspotsImporter];
