/**
 * ISO 3166-1 alpha-2 codes of the countries that appear on trafficking routes into, through and out
 * of Vietnam (UNODC World Drug Report, Vietnamese customs reports), with their Vietnamese names.
 * A seizure's origin, transit and destination must be one of these: a short list catches typos
 * ('VM', 'LO') that a bare two-letter pattern would let through. Add a country here when a new
 * route shows up.
 */
export const COUNTRIES: Readonly<Record<string, string>> = {
  VN: 'Việt Nam',
  // Golden Triangle and neighbours
  CN: 'Trung Quốc',
  LA: 'Lào',
  KH: 'Campuchia',
  MM: 'Myanmar',
  TH: 'Thái Lan',
  // Region
  MY: 'Malaysia',
  SG: 'Singapore',
  ID: 'Indonesia',
  PH: 'Philippines',
  HK: 'Hồng Kông (Trung Quốc)',
  MO: 'Ma Cao (Trung Quốc)',
  TW: 'Đài Loan (Trung Quốc)',
  JP: 'Nhật Bản',
  KR: 'Hàn Quốc',
  IN: 'Ấn Độ',
  PK: 'Pakistan',
  AF: 'Afghanistan',
  IR: 'Iran',
  AE: 'Các Tiểu vương quốc Ả Rập Thống nhất',
  AU: 'Úc',
  NZ: 'New Zealand',
  // Europe
  DE: 'Đức',
  FR: 'Pháp',
  NL: 'Hà Lan',
  BE: 'Bỉ',
  GB: 'Anh',
  ES: 'Tây Ban Nha',
  IT: 'Ý',
  PL: 'Ba Lan',
  CZ: 'Séc',
  RU: 'Nga',
  TR: 'Thổ Nhĩ Kỳ',
  // Americas and Africa
  US: 'Hoa Kỳ',
  CA: 'Canada',
  MX: 'Mexico',
  BR: 'Brazil',
  CO: 'Colombia',
  PE: 'Peru',
  BO: 'Bolivia',
  NG: 'Nigeria',
  ZA: 'Nam Phi',
};

export const isCountryCode = (code: unknown): code is string => typeof code === 'string' && Object.hasOwn(COUNTRIES, code);
