import { normalizeHeader } from './importing.js';
import type { InputErrors } from './validation.js';

// Spreadsheet cells as agency staff type them. Each reader trims, returns null for a blank cell
// (after a field error when the cell is required) and for a value it cannot read (after a field
// error naming the value), so one bad cell never stops the rest of the row from being checked.

export const isBlank = (raw: string | undefined): boolean => raw == null || raw.trim() === '';

/** Trimmed text, or null when blank. */
export function cellText(raw: string | undefined): string | null {
  return isBlank(raw) ? null : raw!.trim();
}

/** Trimmed text; a field error when blank. */
export function cellRequired(errs: InputErrors, field: string, raw: string | undefined): string | null {
  if (isBlank(raw)) {
    errs.add(field, 'is required');
    return null;
  }
  return raw!.trim();
}

interface Need {
  /** Blank is an error (default) or simply no value. */
  required?: boolean;
}

function blankCell(errs: InputErrors, field: string, raw: string | undefined, need: Need): boolean {
  if (!isBlank(raw)) return false;
  if (need.required ?? true) errs.add(field, 'is required');
  return true;
}

/**
 * A day: `2025-03-07`, or day first as written in Vietnam: `7/3/2025`, `07-03-2025`, `07.03.2025`
 * (Excel date cells reach the importer as YYYY-MM-DD). 30 February is refused here.
 */
export function cellDay(errs: InputErrors, field: string, raw: string | undefined, need: Need = {}): string | null {
  if (blankCell(errs, field, raw, need)) return null;
  const text = raw!.trim();
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  const vn = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : vn ? [vn[3], vn[2], vn[1]] : [];
  const day = y ? `${y}-${m!.padStart(2, '0')}-${d!.padStart(2, '0')}` : '';
  const real = y !== undefined && !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) && new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) === day;
  if (!real) {
    errs.add(field, `"${raw}" is not a date (YYYY-MM-DD or DD/MM/YYYY)`);
    return null;
  }
  return day;
}

interface NumberNeed extends Need {
  /** Only whole numbers. */
  whole?: boolean;
  /** A unit staff write after the number (`60 mg`), dropped before reading. */
  unit?: string;
}

/**
 * A number as typed in Vietnam or elsewhere: `1.234,5` and `1 234,5` (dot or space for
 * thousands, comma for decimals), `1,234.5`, `1234.5`; a lone comma is a decimal comma (`1,5`),
 * except in a whole number, where `1,200` is twelve hundred.
 */
export function cellNumber(errs: InputErrors, field: string, raw: string | undefined, need: NumberNeed = {}): number | null {
  if (blankCell(errs, field, raw, need)) return null;
  let text = raw!.trim().replace(/[\s\u00a0]/g, '');
  if (need.unit) text = text.replace(new RegExp(`${need.unit}$`, 'i'), '');
  if (/^-?\d{1,3}(\.\d{3})+(,\d+)?$/.test(text)) text = text.replace(/\./g, '').replace(',', '.');
  else if (/^-?\d{1,3}(,\d{3})+\.\d+$/.test(text) || (need.whole && /^-?\d{1,3}(,\d{3})+$/.test(text))) text = text.replace(/,/g, '');
  else if (/^-?\d+,\d+$/.test(text)) text = text.replace(',', '.');
  const n = /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(n) || (need.whole && !Number.isInteger(n))) {
    errs.add(field, `"${raw}" is not ${need.whole ? 'a whole number' : 'a number'}${need.unit ? ` of ${need.unit}` : ''}`);
    return null;
  }
  return n;
}

const YES = ['co', 'x', 'yes', 'y', 'true', '1', 'dung'];
const NO = ['khong', 'no', 'n', 'false', '0', 'sai'];

/** Có/Không, x, yes/no, 1/0; null when blank. */
export function cellYesNo(errs: InputErrors, field: string, raw: string | undefined): boolean | null {
  const value = normalizeHeader(raw ?? '');
  if (!value) return null;
  if (YES.includes(value)) return true;
  if (NO.includes(value)) return false;
  errs.add(field, `must be Có/Không (yes/no), not "${raw}"`);
  return null;
}

/** Every way a value may be written (its name and its labels) → the value, compared as headers are. */
export function labelIndex<E extends string>(labels: Partial<Record<E, string[]>>): Map<string, E> {
  const index = new Map<string, E>();
  for (const [value, names] of Object.entries(labels) as Array<[E, string[]]>) {
    for (const name of [value, ...names]) {
      const key = normalizeHeader(name);
      // A label of punctuation only ("?") would catch every "-" typed into an unused cell.
      if (!key) throw new Error(`label "${name}" of ${value} has no letters or digits`);
      index.set(key, value);
    }
  }
  return index;
}

/** An enum value from its name or a label, ignoring case, diacritics, spaces and punctuation. */
export function cellLabel<E extends string>(errs: InputErrors, field: string, raw: string | undefined, index: Map<string, E>, need: Need & { hint?: string } = {}): E | null {
  // "-" or "/" in a label column means nothing was written.
  if (blankCell(errs, field, normalizeHeader(raw ?? '') ? raw : '', need)) return null;
  const value = index.get(normalizeHeader(raw!));
  if (value === undefined) {
    errs.add(field, `unknown value "${raw!.trim()}"; use ${need.hint ?? [...new Set(index.values())].join(', ')} or their Vietnamese names`);
    return null;
  }
  return value;
}

/**
 * A CCCD number: 12 digits. Excel drops leading zeros from number cells, and every province of
 * the north is coded 001–039, so 10 or 11 digits get their zeros back; anything shorter is left
 * for the write's own check to refuse (a 9-digit old CMND is not a CCCD).
 */
export function cellCitizenId(raw: string | undefined): string {
  const text = (raw ?? '').replace(/\s/g, '');
  return /^\d{10,11}$/.test(text) ? text.padStart(12, '0') : text;
}

/** A commune code: 5 digits, the zeros Excel drops from a number cell given back (`1003` → `01003`); null when blank. */
export function cellCommuneCode(raw: string | undefined): string | null {
  const text = cellText(raw);
  if (text === null) return null;
  return /^\d{1,4}$/.test(text) ? text.padStart(5, '0') : text;
}
