import { InputErrors, normalizeHeader, type Importer } from '@pcmt/kit';
import { GraphQLError } from 'graphql';
import { COUNTRIES } from './countries.js';
import { Conveyance, PrecursorDirection, QuantityUnit, SeizingAgency, SmuggleRoute } from './entities.js';
import { addSeizedItem, registerPrecursorLicence, type AddSeizedItemInput, type RegisterPrecursorLicenceInput } from './writes.js';

// Cell values are matched like headers: case, diacritics, spaces and punctuation do not matter.

/** A lookup from the words staff type (Vietnamese and English) to an enum value; the value's own name always works. */
function vocabulary<E extends string>(values: Record<string, E>, words: Record<string, E>): Map<string, E> {
  const map = new Map<string, E>();
  for (const v of Object.values(values)) map.set(normalizeHeader(v), v);
  for (const [word, v] of Object.entries(words)) map.set(normalizeHeader(word), v);
  return map;
}

const AGENCIES = vocabulary(SeizingAgency, {
  'Hải quan': SeizingAgency.CUSTOMS,
  'Customs': SeizingAgency.CUSTOMS,
  'Biên phòng': SeizingAgency.BORDER_GUARD,
  'Bộ đội Biên phòng': SeizingAgency.BORDER_GUARD,
  'BĐBP': SeizingAgency.BORDER_GUARD,
  'Border guard': SeizingAgency.BORDER_GUARD,
  'Cảnh sát biển': SeizingAgency.COAST_GUARD,
  'CSB': SeizingAgency.COAST_GUARD,
  'Coast guard': SeizingAgency.COAST_GUARD,
});

const ROUTES = vocabulary(SmuggleRoute, {
  'Đường bộ': SmuggleRoute.LAND_BORDER,
  'Biên giới đất liền': SmuggleRoute.LAND_BORDER,
  'Tuyến biên giới đất liền': SmuggleRoute.LAND_BORDER,
  'Land': SmuggleRoute.LAND_BORDER,
  'Đường biển': SmuggleRoute.SEA,
  'Biển': SmuggleRoute.SEA,
  'Tuyến biển': SmuggleRoute.SEA,
  'Sea': SmuggleRoute.SEA,
  'Hàng không': SmuggleRoute.AIR,
  'Đường hàng không': SmuggleRoute.AIR,
  'Air': SmuggleRoute.AIR,
  'Bưu chính': SmuggleRoute.POSTAL_EXPRESS,
  'Chuyển phát nhanh': SmuggleRoute.POSTAL_EXPRESS,
  'Bưu chính, chuyển phát nhanh': SmuggleRoute.POSTAL_EXPRESS,
  'Postal': SmuggleRoute.POSTAL_EXPRESS,
  'Express': SmuggleRoute.POSTAL_EXPRESS,
});

const CONVEYANCES = vocabulary(Conveyance, {
  'Đi bộ': Conveyance.ON_FOOT,
  'On foot': Conveyance.ON_FOOT,
  'Xe máy': Conveyance.MOTORBIKE,
  'Motorbike': Conveyance.MOTORBIKE,
  'Ô tô': Conveyance.CAR,
  'Xe con': Conveyance.CAR,
  'Xe khách': Conveyance.CAR,
  'Car': Conveyance.CAR,
  'Xe tải': Conveyance.TRUCK,
  'Container': Conveyance.TRUCK,
  'Truck': Conveyance.TRUCK,
  'Tàu': Conveyance.BOAT,
  'Thuyền': Conveyance.BOAT,
  'Tàu thuyền': Conveyance.BOAT,
  'Tàu cá': Conveyance.BOAT,
  'Boat': Conveyance.BOAT,
  'Máy bay': Conveyance.AIRCRAFT,
  'Aircraft': Conveyance.AIRCRAFT,
  'Bưu kiện': Conveyance.PARCEL,
  'Bưu phẩm': Conveyance.PARCEL,
  'Parcel': Conveyance.PARCEL,
});

const UNITS = vocabulary(QuantityUnit, {
  g: QuantityUnit.GRAM,
  gam: QuantityUnit.GRAM,
  gram: QuantityUnit.GRAM,
  kg: QuantityUnit.KILOGRAM,
  'kilôgam': QuantityUnit.KILOGRAM,
  kilogram: QuantityUnit.KILOGRAM,
  'viên': QuantityUnit.TABLET,
  tablet: QuantityUnit.TABLET,
  tablets: QuantityUnit.TABLET,
  ml: QuantityUnit.MILLILITRE,
  'mililít': QuantityUnit.MILLILITRE,
  millilitre: QuantityUnit.MILLILITRE,
  milliliter: QuantityUnit.MILLILITRE,
});

const DIRECTIONS = vocabulary(PrecursorDirection, {
  'Nhập khẩu': PrecursorDirection.IMPORT,
  'NK': PrecursorDirection.IMPORT,
  'Xuất khẩu': PrecursorDirection.EXPORT,
  'XK': PrecursorDirection.EXPORT,
});

/** What seizure reports call the catalogue's substances; anything else must be the catalogue code itself. */
const SUBSTANCE_NAMES = new Map<string, string>(
  Object.entries({
    'Hêrôin': 'HEROIN',
    'Heroin': 'HEROIN',
    'Ma túy đá': 'METHAMPHETAMINE',
    'Methamphetamine': 'METHAMPHETAMINE',
    'Hồng phiến': 'METHAMPHETAMINE',
    'Thuốc lắc': 'MDMA',
    'Ketamin': 'KETAMINE',
    'Ketamine': 'KETAMINE',
    'Cần sa': 'CANNABIS',
    'Thuốc phiện': 'OPIUM',
    'Nhựa thuốc phiện': 'OPIUM',
    'Cocain': 'COCAINE',
    'Cocaine': 'COCAINE',
    'Cỏ Mỹ': 'NPS',
    'Nước vui': 'NPS',
    'Bóng cười': 'N2O',
    'Khí cười': 'N2O',
    'Ephedrin': 'EPHEDRINE',
    'Pseudoephedrin': 'PSEUDOEPHEDRINE',
    'Anhydrid axetic': 'ACETIC_ANHYDRIDE',
    'Safrol': 'SAFROLE',
  }).map(([name, code]) => [normalizeHeader(name), code]),
);

const COUNTRY_NAMES = new Map<string, string>(Object.entries(COUNTRIES).map(([code, name]) => [normalizeHeader(name), code]));

/**
 * A row whose natural key was imported before with other values reaches the kit as a reused
 * idempotency key; say it in the spreadsheet's terms, on the column that makes the key.
 */
async function changedRow<T>(write: () => Promise<T>, field: string, message: string): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof GraphQLError && err.extensions.field === 'idempotencyKey') throw new InputErrors().add(field, message).toGraphQLError();
    throw err;
  }
}

const blank = (v: string | undefined): boolean => v == null || v.trim() === '';

function required(errs: InputErrors, field: string, v: string | undefined): string | undefined {
  if (blank(v)) {
    errs.add(field, 'is required');
    return undefined;
  }
  return v!.trim();
}

function fromVocabulary<E>(errs: InputErrors, field: string, v: string | undefined, words: Map<string, E>): E | null {
  if (blank(v)) return null;
  const found = words.get(normalizeHeader(v!));
  if (found === undefined) errs.add(field, `unknown value "${v}"`);
  return found ?? null;
}

/** `2025-03-07`, `07/03/2025`, `7-3-2025` or `07.03.2025` (day first, as written in Vietnam) → `2025-03-07`. */
export function parseDate(errs: InputErrors, field: string, v: string | undefined): string | null {
  if (blank(v)) return null;
  const s = v!.trim();
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  const vn = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : vn ? [vn[3], vn[2], vn[1]] : [];
  const date = y ? `${y}-${m!.padStart(2, '0')}-${d!.padStart(2, '0')}` : '';
  if (!y || Number.isNaN(Date.parse(`${date}T00:00:00Z`)) || new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date) {
    errs.add(field, `"${v}" is not a date (YYYY-MM-DD or DD/MM/YYYY)`);
    return null;
  }
  return date;
}

/**
 * A number as typed in Vietnam or elsewhere: `1.234,5` and `1 234,5` (dot or space for thousands,
 * comma for decimals), `1234.5`, `1,5`. A lone comma is a decimal comma, as in Vietnamese.
 */
export function parseNumber(errs: InputErrors, field: string, v: string | undefined): number | null {
  if (blank(v)) return null;
  let s = v!.trim().replace(/[\s\u00a0]/g, '');
  if (/^\d{1,3}(\.\d{3})+(,\d+)?$/.test(s)) s = s.replace(/\./g, '').replace(',', '.');
  else if (/^\d+,\d+$/.test(s)) s = s.replace(',', '.');
  const n = /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : NaN;
  if (!Number.isFinite(n)) {
    errs.add(field, `"${v}" is not a number`);
    return null;
  }
  return n;
}

function parseCountry(errs: InputErrors, field: string, v: string | undefined): string | null {
  if (blank(v)) return null;
  const s = v!.trim();
  if (/^[A-Za-z]{2}$/.test(s)) return s.toUpperCase();
  const code = COUNTRY_NAMES.get(normalizeHeader(s));
  if (!code) errs.add(field, `unknown country "${v}": use the ISO 3166-1 alpha-2 code`);
  return code ?? null;
}

function parseSubstance(v: string): string {
  return SUBSTANCE_NAMES.get(normalizeHeader(v)) ?? v.trim().toUpperCase().replace(/[\s-]+/g, '_');
}

/**
 * Báo cáo bắt giữ: one row per seized item; rows with the same seizure number make one seizure.
 * The seizure's columns are needed on its first row and may be left blank on the others.
 */
export const seizuresImporter: Importer<AddSeizedItemInput> = {
  name: 'seizures',
  description: 'Seizure report (báo cáo bắt giữ): one row per substance seized; rows sharing a seizure number make one seizure',
  columns: {
    seizureId: ['Số vụ', 'Số vụ bắt giữ', 'Mã vụ', 'Seizure id', 'Seizure number', 'Seizure'],
    seizedOn: ['Ngày bắt giữ', 'Ngày', 'Seized on', 'Date'],
    agency: ['Lực lượng', 'Lực lượng bắt giữ', 'Đơn vị bắt giữ', 'Agency', 'Seizing agency'],
    communeCode: ['Mã xã', 'Mã xã/phường', 'Commune code', 'Commune'],
    gateCode: ['Cửa khẩu', 'Mã cửa khẩu', 'Gate', 'Gate code', 'Border gate'],
    route: ['Tuyến', 'Tuyến vận chuyển', 'Route'],
    conveyance: ['Phương tiện', 'Phương tiện vận chuyển', 'Conveyance'],
    concealment: ['Phương thức cất giấu', 'Thủ đoạn cất giấu', 'Cất giấu', 'Concealment', 'Concealment method'],
    originCountry: ['Nước xuất phát', 'Nước xuất xứ', 'Origin', 'Origin country'],
    transitCountry: ['Nước quá cảnh', 'Transit', 'Transit country'],
    destinationCountry: ['Nước đến', 'Nước đích', 'Destination', 'Destination country'],
    substanceCode: ['Chất ma túy', 'Loại ma túy', 'Mã chất', 'Substance', 'Substance code'],
    quantity: ['Số lượng', 'Khối lượng', 'Quantity'],
    unit: ['Đơn vị', 'Đơn vị tính', 'Unit'],
    suspects: ['CCCD đối tượng', 'Số CCCD đối tượng', 'Đối tượng', 'Suspects', 'Suspect citizen ids'],
    drugCaseId: ['Vụ án bàn giao', 'Số vụ án', 'Bàn giao vụ án', 'Drug case', 'Handed over to'],
    handedOverOn: ['Ngày bàn giao', 'Handed over on'],
  },
  parse(row, errs) {
    const text = (v: string | undefined) => (blank(v) ? null : v!.trim());
    const seizureId = required(errs, 'seizureId', row.seizureId);
    const substance = required(errs, 'substanceCode', row.substanceCode);
    if (blank(row.quantity)) errs.add('quantity', 'is required');
    if (blank(row.unit)) errs.add('unit', 'is required');
    return {
      seizureId: seizureId?.toUpperCase() ?? '',
      seizedOn: parseDate(errs, 'seizedOn', row.seizedOn),
      agency: fromVocabulary(errs, 'agency', row.agency, AGENCIES),
      communeCode: text(row.communeCode),
      gateCode: text(row.gateCode)?.toUpperCase() ?? null,
      route: fromVocabulary(errs, 'route', row.route, ROUTES),
      conveyance: fromVocabulary(errs, 'conveyance', row.conveyance, CONVEYANCES),
      concealment: text(row.concealment),
      originCountry: parseCountry(errs, 'originCountry', row.originCountry),
      transitCountry: parseCountry(errs, 'transitCountry', row.transitCountry),
      destinationCountry: parseCountry(errs, 'destinationCountry', row.destinationCountry),
      substanceCode: substance ? parseSubstance(substance) : '',
      quantity: parseNumber(errs, 'quantity', row.quantity) ?? NaN,
      unit: fromVocabulary(errs, 'unit', row.unit, UNITS) as QuantityUnit,
      suspects: (row.suspects ?? '').split(/[;,\s]+/).filter(Boolean),
      drugCaseId: text(row.drugCaseId)?.toUpperCase() ?? null,
      handedOverOn: parseDate(errs, 'handedOverOn', row.handedOverOn),
    };
  },
  key: (input) => `${input.seizureId}:${input.substanceCode}:${input.unit}`,
  async write(em, input, idempotencyKey) {
    const { replayed } = await changedRow(
      () => addSeizedItem(em, input, idempotencyKey),
      'substanceCode',
      `seizure ${input.seizureId} already has ${input.substanceCode} in ${input.unit} from a row with other values: correct that row instead`,
    );
    return { replayed };
  },
};

/** Danh sách giấy phép xuất/nhập khẩu tiền chất, as the licensing ministry sends it. */
export const precursorLicencesImporter: Importer<RegisterPrecursorLicenceInput> = {
  name: 'precursor-licences',
  description: 'Precursor import/export licences (giấy phép xuất/nhập khẩu tiền chất): one row per licence',
  columns: {
    licenceNo: ['Số giấy phép', 'Giấy phép', 'Licence no', 'Licence number', 'License number'],
    company: ['Doanh nghiệp', 'Tên doanh nghiệp', 'Công ty', 'Company'],
    direction: ['Loại giấy phép', 'Xuất/nhập khẩu', 'Hình thức', 'Direction'],
    substanceCode: ['Tiền chất', 'Tên tiền chất', 'Mã tiền chất', 'Substance', 'Precursor'],
    quantityKg: ['Khối lượng (kg)', 'Khối lượng', 'Số lượng (kg)', 'Quantity kg', 'Quantity'],
    validFrom: ['Hiệu lực từ', 'Từ ngày', 'Valid from'],
    validTo: ['Hiệu lực đến', 'Đến ngày', 'Valid to', 'Valid until'],
  },
  parse(row, errs) {
    const licenceNo = required(errs, 'licenceNo', row.licenceNo) ?? '';
    const company = required(errs, 'company', row.company) ?? '';
    if (blank(row.direction)) errs.add('direction', 'is required');
    const substance = required(errs, 'substanceCode', row.substanceCode);
    if (blank(row.quantityKg)) errs.add('quantityKg', 'is required');
    if (blank(row.validFrom)) errs.add('validFrom', 'is required');
    if (blank(row.validTo)) errs.add('validTo', 'is required');
    return {
      licenceNo,
      company,
      direction: fromVocabulary(errs, 'direction', row.direction, DIRECTIONS) as PrecursorDirection,
      substanceCode: substance ? parseSubstance(substance) : '',
      quantityKg: parseNumber(errs, 'quantityKg', row.quantityKg) ?? NaN,
      validFrom: parseDate(errs, 'validFrom', row.validFrom) ?? '',
      validTo: parseDate(errs, 'validTo', row.validTo) ?? '',
    };
  },
  key: (input) => input.licenceNo,
  async write(em, input, idempotencyKey) {
    const { replayed } = await changedRow(
      () => registerPrecursorLicence(em, { ...input, idempotencyKey }),
      'licenceNo',
      `licence ${input.licenceNo} was already imported with other values`,
    );
    return { replayed };
  },
};

export const importers = [seizuresImporter, precursorLicencesImporter];
