import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import {
  getNamedType,
  isEnumType,
  isObjectType,
  isInterfaceType,
  Kind,
  parse,
  type GraphQLField,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type SelectionSetNode,
  type GraphQLObjectType,
  type GraphQLInterfaceType,
} from 'graphql';

// What an analyst takes away from the explorer: one list of a query's answer as a table a spreadsheet
// opens as it is — headers staff read (the Vietnamese term of each field's description, or English
// words), statuses as words, numbers rounded, and withheld or missing cells said so, never a silent blank.

export type ExportLanguage = 'vi' | 'en';

export interface ExportTable {
  headers: string[];
  rows: unknown[][];
}

interface Column {
  key: string;
  header: string;
  /** Enum value → words, for status-like columns. */
  values?: Map<string, string>;
}

const WITHHELD: Record<ExportLanguage, Record<string, string>> = {
  vi: { FORBIDDEN: '[không có quyền xem]', SUPPRESSED: '[ẩn: dưới 5 người]', MISSING: '[thiếu số liệu]' },
  en: { FORBIDDEN: '[no access]', SUPPRESSED: '[withheld: under 5 persons]', MISSING: '[data missing]' },
};

/** `borderSeizures` → `Border seizures`; `ON_TRACK` → `On track`. */
const words = (name: string) => {
  const spaced = name.includes('_') ? name.toLowerCase().replace(/_/g, ' ') : name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
};

/** The staff term a description opens with (`Số vụ bắt giữ tại biên giới: …` → `Số vụ bắt giữ tại biên giới`), when it opens with one. */
function vietnameseTerm(description: string | null | undefined): string | null {
  if (!description) return null;
  const lead = description.split(/[:\n(]|\s[—–-]\s/)[0].trim();
  return lead.length > 0 && lead.length <= 80 && /[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]/i.test(lead) ? lead : null;
}

/** Every field path the query selects under the exported list, with its schema field (for headers and enum words). */
function fieldsUnder(schema: GraphQLSchema | undefined, query: string | undefined, listPath: string[]): Map<string, GraphQLField<unknown, unknown>> {
  const out = new Map<string, GraphQLField<unknown, unknown>>();
  if (!schema || !query) return out;
  let doc;
  try {
    doc = parse(query);
  } catch {
    return out;
  }
  const fragments = new Map(doc.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).map((d: any) => [d.name.value, d]));
  const walk = (set: SelectionSetNode | undefined, type: GraphQLObjectType | GraphQLInterfaceType, path: string[]) => {
    for (const sel of set?.selections ?? []) {
      if (sel.kind === Kind.FIELD) {
        const field = type.getFields()[sel.name.value];
        if (!field) continue;
        const here = [...path, sel.alias?.value ?? sel.name.value];
        out.set(here.join('.'), field);
        const inner = getNamedType(field.type);
        if (sel.selectionSet && (isObjectType(inner) || isInterfaceType(inner))) walk(sel.selectionSet, inner, here);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        const t = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : type;
        if (t && (isObjectType(t) || isInterfaceType(t))) walk(sel.selectionSet, t, path);
      } else if (sel.kind === Kind.FRAGMENT_SPREAD) {
        const f: any = fragments.get(sel.name.value);
        const t = f && schema.getType(f.typeCondition.name.value);
        if (t && (isObjectType(t) || isInterfaceType(t))) walk(f.selectionSet, t, path);
      }
    }
  };
  for (const def of doc.definitions) {
    if (def.kind !== Kind.OPERATION_DEFINITION) continue;
    const root = def.operation === 'query' ? schema.getQueryType() : def.operation === 'mutation' ? schema.getMutationType() : null;
    if (root) walk(def.selectionSet, root, []);
  }
  // Keys relative to a list item.
  const prefix = listPath.join('.') + '.';
  const relative = new Map<string, GraphQLField<unknown, unknown>>();
  for (const [k, f] of out) if (k.startsWith(prefix)) relative.set(k.slice(prefix.length), f);
  return relative;
}

function findList(v: unknown, path: string[] = []): { list: unknown[]; path: string[] } | undefined {
  if (Array.isArray(v)) return { list: v, path };
  if (v && typeof v === 'object') {
    for (const [k, child] of Object.entries(v)) {
      const found = findList(child, [...path, k]);
      if (found) return found;
    }
  }
  return undefined;
}

function flatten(v: unknown, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  if (Array.isArray(v)) {
    // Lists of indicator values become one column per indicator id; other lists are joined.
    if (v.length && v.every((x) => x && typeof x === 'object' && (x as any).indicator?.id)) {
      for (const x of v as any[]) flatten({ ...x, indicator: undefined }, `${prefix}${x.indicator.id}.`, out);
    } else out[prefix.slice(0, -1)] = v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : x)).join('; ');
  } else if (v && typeof v === 'object') {
    for (const [k, child] of Object.entries(v)) if (child !== undefined) flatten(child, `${prefix}${k}.`, out);
  } else out[prefix.slice(0, -1)] = v;
  return out;
}

/**
 * A text cell that a spreadsheet would run as a formula (=, +, -, @, or a tab or carriage return
 * before one) gets a leading apostrophe, which Excel and LibreOffice show as plain text. Numbers stay numbers.
 */
export function inertCell(v: unknown): unknown {
  return typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

/** Floats as the screen shows them: at most two decimals (no `75.14705000000001`). */
const rounded = (v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 100) / 100 : v);

export interface ExportInput {
  data: unknown;
  errors?: readonly GraphQLFormattedError[];
  /** Dot path of the list to export; the first list in the answer otherwise. */
  path?: string;
  query?: string;
  schema?: GraphQLSchema;
  language?: ExportLanguage;
}

/** The exported list as headers and rows of cells. */
export function exportTable(input: ExportInput): ExportTable {
  const language = input.language ?? 'en';
  const found = input.path
    ? { list: input.path.split('.').reduce<any>((v, k) => v?.[k], input.data), path: input.path.split('.') }
    : findList(input.data);
  if (!found || !Array.isArray(found.list)) throw new Error('no list in the result to export');
  const flat = found.list.map((item) => flatten(item));
  const all = [...new Set(flat.flatMap((r) => Object.keys(r)))];
  // An object that is null in some rows (refused, missing) is no column of its own: its fields are.
  const keys = all.filter((k) => !all.some((other) => other.startsWith(k + '.')));

  // Cells an error stands behind: not blank but said so.
  const marks = new Map<string, string>();
  for (const e of input.errors ?? []) {
    const p = (e.path ?? []).map(String);
    if (p.length <= found.path.length || p.slice(0, found.path.length).join('.') !== found.path.join('.')) continue;
    const row = p[found.path.length];
    const code = String(e.extensions?.code ?? '');
    const mark = code === 'FORBIDDEN' ? WITHHELD[language].FORBIDDEN : WITHHELD[language].MISSING;
    marks.set(`${row}:${p.slice(found.path.length + 1).join('.')}`, mark);
  }

  const fields = fieldsUnder(input.schema, input.query, found.path);
  const columns: Column[] = keys.map((key) => {
    // A column under a list of indicator values carries the indicator id, which no field has: try without each segment.
    const parts = key.split('.');
    const field = fields.get(key) ?? parts.map((_, i) => fields.get(parts.filter((_, j) => j !== i).join('.'))).find(Boolean);
    const last = key.split('.').pop()!;
    const parent = key.split('.').slice(0, -1).join(' · ');
    const term = language === 'vi' ? vietnameseTerm(field?.description) : null;
    const name = term ?? words(last);
    const inner = field ? getNamedType(field.type) : undefined;
    const values = isEnumType(inner)
      ? new Map(inner.getValues().map((v) => [v.name, language === 'vi' ? vietnameseTerm(v.description) ?? (v.description?.split(/[:\n]/)[0].trim() || words(v.name)) : words(v.name)]))
      : undefined;
    return { key, header: parent ? `${parent} · ${name}` : name, values };
  });

  const rows = flat.map((r, i) =>
    columns.map((c) => {
      // The error may stand on the cell or on an object above it (a whole agency's figures).
      const segments = c.key.split('.');
      const mark = segments.map((_, n) => marks.get(`${i}:${segments.slice(0, segments.length - n).join('.')}`)).find(Boolean);
      let v = r[c.key];
      if ((v === null || v === undefined) && mark) return mark;
      // An indicator withheld for small cells says so on its value.
      if ((v === null || v === undefined) && c.key.endsWith('.value') && r[c.key.replace(/\.value$/, '.suppressed')] === true) return WITHHELD[language].SUPPRESSED;
      if (typeof v === 'string' && c.values?.has(v)) v = c.values.get(v);
      return inertCell(rounded(v));
    }),
  );
  return { headers: columns.map((c) => c.header), rows };
}

/**
 * CSV Excel opens as it is: UTF-8 with BOM; in Vietnamese, `;` between cells and a decimal comma (what
 * Excel expects under Vietnamese regional settings), in English `,` and a decimal point.
 */
export function tableToCsv(table: ExportTable, language: ExportLanguage): string {
  const vi = language === 'vi';
  const rows = vi ? table.rows.map((r) => r.map((v) => (typeof v === 'number' ? String(v).replace('.', ',') : v))) : table.rows;
  return '\uFEFF' + stringify([table.headers, ...rows], { delimiter: vi ? ';' : ',' });
}

/** The same table as an Excel workbook: numbers as numbers, headers bold and frozen. */
export async function tableToXlsx(table: ExportTable, sheetName = 'PCMT'): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(sheetName.slice(0, 31));
  sheet.addRow(table.headers).font = { bold: true };
  for (const r of table.rows) sheet.addRow(r as ExcelJS.CellValue[]);
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  sheet.columns.forEach((c) => (c.width = 18));
  return Buffer.from(await book.xlsx.writeBuffer());
}
