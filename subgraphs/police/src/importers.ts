import { createHash } from 'node:crypto';
import { cellCitizenId, cellCommuneCode, cellDay, cellLabel, cellText, cellYesNo, labelIndex, normalizeHeader, type Importer } from '@pcmt/kit';
import { HotspotKind, ManagedCategory, VenueType } from './entities.js';
import type { OpenManagementFileInput, RecordHotspotInput } from './inputs.js';
import { openManagementFile, recordHotspot } from './writes.js';

// Cells are read with the kit's readers; a null from one has already been reported as a field
// error, so the row never reaches the write and the fallbacks below only satisfy the input types.
// Place and commune stay with the write's own checks (it reports them together with the rest).

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
const CATEGORY_INDEX = labelIndex(CATEGORY_LABELS);

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
    return {
      citizenId: cellCitizenId(row.citizenId),
      category: cellLabel(errs, 'category', row.category, CATEGORY_INDEX) as ManagedCategory,
      openedOn: cellDay(errs, 'openedOn', row.openedOn) ?? '',
      communeCode: cellCommuneCode(row.communeCode),
      psychosisRisk: cellYesNo(errs, 'psychosisRisk', row.psychosisRisk) ?? false,
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

const KIND_INDEX = labelIndex(KIND_LABELS);
const VENUE_INDEX = labelIndex(VENUE_LABELS);

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
      kind: cellLabel(errs, 'kind', row.kind, KIND_INDEX) as HotspotKind,
      venueType: cellLabel(errs, 'venueType', row.venueType, VENUE_INDEX, { required: false }) ?? VenueType.OTHER,
      place: cellText(row.place) ?? '',
      communeCode: cellCommuneCode(row.communeCode) ?? '',
      detectedOn: cellDay(errs, 'detectedOn', row.detectedOn) ?? '',
      dismantledOn: cellDay(errs, 'dismantledOn', row.dismantledOn, { required: false }),
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
