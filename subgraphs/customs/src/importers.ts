import { cellCitizenId, cellCommuneCode, cellDay, cellLabel, cellNumber, cellRequired, cellText, InputErrors, labelIndex, normalizeHeader, type Importer } from '@pcmt/kit';
import { GraphQLError } from 'graphql';
import { COUNTRIES } from './countries.js';
import { Conveyance, PrecursorDirection, QuantityUnit, SeizingAgency, SmuggleRoute } from './entities.js';
import { type RegisterPrecursorLicenceInput } from './inputs.js';
import { addSeizedItem, registerPrecursorLicence, type AddSeizedItemInput } from './writes.js';

// Cell values are matched like headers: case, diacritics, spaces and punctuation do not matter.
// Every enum value is listed (`satisfies Record`) so its own name always works.

const AGENCIES = labelIndex({
  [SeizingAgency.CUSTOMS]: ['Hải quan', 'Customs'],
  [SeizingAgency.BORDER_GUARD]: ['Biên phòng', 'Bộ đội Biên phòng', 'BĐBP', 'Border guard'],
  [SeizingAgency.COAST_GUARD]: ['Cảnh sát biển', 'CSB', 'Coast guard'],
} satisfies Record<SeizingAgency, string[]>);

const ROUTES = labelIndex({
  [SmuggleRoute.LAND_BORDER]: ['Đường bộ', 'Biên giới đất liền', 'Tuyến biên giới đất liền', 'Land'],
  [SmuggleRoute.SEA]: ['Đường biển', 'Biển', 'Tuyến biển', 'Sea'],
  [SmuggleRoute.AIR]: ['Hàng không', 'Đường hàng không', 'Air'],
  [SmuggleRoute.POSTAL_EXPRESS]: ['Bưu chính', 'Chuyển phát nhanh', 'Bưu chính, chuyển phát nhanh', 'Postal', 'Express'],
} satisfies Record<SmuggleRoute, string[]>);

const CONVEYANCES = labelIndex({
  [Conveyance.ON_FOOT]: ['Đi bộ', 'On foot'],
  [Conveyance.MOTORBIKE]: ['Xe máy', 'Motorbike'],
  [Conveyance.CAR]: ['Ô tô', 'Xe con', 'Xe khách', 'Car'],
  [Conveyance.TRUCK]: ['Xe tải', 'Container', 'Truck'],
  [Conveyance.BOAT]: ['Tàu', 'Thuyền', 'Tàu thuyền', 'Tàu cá', 'Boat'],
  [Conveyance.AIRCRAFT]: ['Máy bay', 'Aircraft'],
  [Conveyance.PARCEL]: ['Bưu kiện', 'Bưu phẩm', 'Parcel'],
} satisfies Record<Conveyance, string[]>);

const UNITS = labelIndex({
  [QuantityUnit.GRAM]: ['g', 'gam', 'gram'],
  [QuantityUnit.KILOGRAM]: ['kg', 'kilôgam', 'kilogram'],
  [QuantityUnit.TABLET]: ['viên', 'tablet', 'tablets'],
  [QuantityUnit.MILLILITRE]: ['ml', 'mililít', 'millilitre', 'milliliter'],
} satisfies Record<QuantityUnit, string[]>);

const DIRECTIONS = labelIndex({
  [PrecursorDirection.IMPORT]: ['Nhập khẩu', 'NK'],
  [PrecursorDirection.EXPORT]: ['Xuất khẩu', 'XK'],
} satisfies Record<PrecursorDirection, string[]>);

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

function cellCountry(errs: InputErrors, field: string, v: string | undefined): string | null {
  const s = cellText(v);
  if (s === null) return null;
  if (/^[A-Za-z]{2}$/.test(s)) return s.toUpperCase();
  const code = COUNTRY_NAMES.get(normalizeHeader(s));
  if (!code) errs.add(field, `unknown country "${v}": use the ISO 3166-1 alpha-2 code`);
  return code ?? null;
}

/** A catalogue code from its report name or the code itself; required. */
function cellSubstance(errs: InputErrors, field: string, v: string | undefined): string {
  const s = cellRequired(errs, field, v);
  if (s === null) return '';
  return SUBSTANCE_NAMES.get(normalizeHeader(s)) ?? s.toUpperCase().replace(/[\s-]+/g, '_');
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
    // The seizure's own columns may be blank on its later rows, so only the item's are required.
    const optional = { required: false };
    return {
      seizureId: cellRequired(errs, 'seizureId', row.seizureId)?.toUpperCase() ?? '',
      seizedOn: cellDay(errs, 'seizedOn', row.seizedOn, optional),
      agency: cellLabel(errs, 'agency', row.agency, AGENCIES, optional),
      communeCode: cellCommuneCode(row.communeCode),
      gateCode: cellText(row.gateCode)?.toUpperCase() ?? null,
      route: cellLabel(errs, 'route', row.route, ROUTES, optional),
      conveyance: cellLabel(errs, 'conveyance', row.conveyance, CONVEYANCES, optional),
      concealment: cellText(row.concealment),
      originCountry: cellCountry(errs, 'originCountry', row.originCountry),
      transitCountry: cellCountry(errs, 'transitCountry', row.transitCountry),
      destinationCountry: cellCountry(errs, 'destinationCountry', row.destinationCountry),
      substanceCode: cellSubstance(errs, 'substanceCode', row.substanceCode),
      quantity: cellNumber(errs, 'quantity', row.quantity) ?? NaN,
      unit: cellLabel(errs, 'unit', row.unit, UNITS) as QuantityUnit,
      suspects: (row.suspects ?? '').split(/[;,\s]+/).filter(Boolean).map(cellCitizenId),
      drugCaseId: cellText(row.drugCaseId)?.toUpperCase() ?? null,
      handedOverOn: cellDay(errs, 'handedOverOn', row.handedOverOn, optional),
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
    return {
      licenceNo: cellRequired(errs, 'licenceNo', row.licenceNo) ?? '',
      company: cellRequired(errs, 'company', row.company) ?? '',
      direction: cellLabel(errs, 'direction', row.direction, DIRECTIONS) as PrecursorDirection,
      substanceCode: cellSubstance(errs, 'substanceCode', row.substanceCode),
      quantityKg: cellNumber(errs, 'quantityKg', row.quantityKg) ?? NaN,
      validFrom: cellDay(errs, 'validFrom', row.validFrom) ?? '',
      validTo: cellDay(errs, 'validTo', row.validTo) ?? '',
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
