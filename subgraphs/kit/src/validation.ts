import { GraphQLError, parse, visit, type ASTNode, type GraphQLFormattedError, type Source } from 'graphql';
import { isLocalDate } from './scalars.js';

export interface FieldError {
  field: string;
  message: string;
}

export const CITIZEN_ID_PATTERN = /^\d{12}$/;
export const COMMUNE_CODE_PATTERN = /^\d{5}$/;

/** Today in Vietnam (UTC+7), as YYYY-MM-DD: "in the future" is judged by the province's calendar. */
export function todayInVietnam(now = new Date()): string {
  return new Date(now.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
}

/**
 * Collects every problem with one input before refusing it, so an agency system sees all
 * field errors at once: `extensions.fieldErrors` lists them, `extensions.field` names the first.
 */
export class InputErrors {
  readonly errors: FieldError[] = [];

  add(field: string, message: string): this {
    this.errors.push({ field, message });
    return this;
  }

  /** Records `message` for `field` unless `ok`; returns `ok`. */
  check(ok: boolean, field: string, message: string): boolean {
    if (!ok) this.add(field, message);
    return ok;
  }

  get any(): boolean {
    return this.errors.length > 0;
  }

  toGraphQLError(): GraphQLError {
    const summary = this.errors.map((e) => `${e.field}: ${e.message}`).join('; ');
    return new GraphQLError(`Invalid input — ${summary}`, {
      extensions: { code: 'BAD_USER_INPUT', field: this.errors[0]?.field, fieldErrors: this.errors },
    });
  }

  throwIfAny(): void {
    if (this.any) throw this.toGraphQLError();
  }

  citizenId(field: string, value: unknown): boolean {
    return this.check(typeof value === 'string' && CITIZEN_ID_PATTERN.test(value), field, 'must be a 12-digit citizen identity number (CCCD)');
  }

  communeCodeFormat(field: string, value: unknown): boolean {
    return this.check(typeof value === 'string' && COMMUNE_CODE_PATTERN.test(value), field, 'must be a 5-digit commune code');
  }

  /** A real calendar date, optionally not after today and not before `notBefore`. */
  date(field: string, value: unknown, opts: { notFuture?: boolean; notBefore?: string; today?: string } = {}): boolean {
    if (!isLocalDate(value)) {
      return this.add(field, 'must be a date YYYY-MM-DD'), false;
    }
    if (opts.notFuture && value > (opts.today ?? todayInVietnam())) return this.add(field, 'must not be in the future'), false;
    if (opts.notBefore && value < opts.notBefore) return this.add(field, `must not be before ${opts.notBefore}`), false;
    return true;
  }

  range(field: string, value: unknown, min: number, max: number, unit = ''): boolean {
    return this.check(typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max, field, `must be between ${min} and ${max}${unit ? ' ' + unit : ''}`);
  }

  text(field: string, value: unknown, opts: { max?: number; required?: boolean } = {}): boolean {
    if (value == null || value === '') return this.check(!opts.required, field, 'is required');
    return this.check(typeof value === 'string' && value.trim().length > 0 && value.length <= (opts.max ?? 255), field, `must be text of at most ${opts.max ?? 255} characters`);
  }

  /** One of an enum's values (or of a list). */
  oneOf<T extends string>(field: string, value: unknown, values: Record<string, T> | readonly T[]): value is T {
    const allowed: readonly T[] = Array.isArray(values) ? values : Object.values(values);
    return this.check(allowed.includes(value as T), field, `must be one of ${allowed.join(', ')}`);
  }

  /** A positive integer id as GraphQL sends it (a string), or null after a field error. */
  positiveId(field: string, value: unknown): number | null {
    const n = Number(value);
    if (value === '' || value == null || !Number.isSafeInteger(n) || n < 1) {
      this.add(field, 'must be a positive integer id');
      return null;
    }
    return n;
  }

  /** A status change allowed by `lifecycle` (from → the states it may move to). */
  transition<S extends string>(field: string, lifecycle: Record<S, readonly S[]>, from: S, to: S): boolean {
    return this.check(from === to || (lifecycle[from] ?? []).includes(to), field, `cannot change from ${from} to ${to}`);
  }
}

/**
 * C0 control characters but tab and newline, DEL and the C1 block: invisible in every screen and
 * report, and PostgreSQL refuses NUL in text outright (an "Internal error" instead of a field error).
 */
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;

const codePoint = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** One string of an input: Windows line ends become \n, text NFC; null when it holds a control character. */
export function cleanText(value: string): { text: string; control: null } | { text: null; control: { char: string; at: number } } {
  const text = value.replace(/\r\n/g, '\n').normalize('NFC');
  const found = CONTROL_CHARACTER.exec(text);
  return found ? { text: null, control: { char: codePoint(found[0]), at: found.index } } : { text, control: null };
}

const isWalkable = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !(v instanceof Date) && !ArrayBuffer.isView(v);

/**
 * Input hygiene for a whole write input, done once for every write (see `idempotentWrite`):
 * every string, however deep, is refused if it holds a control character (a field error named
 * like the writes name theirs: `note`, `items[0].description`) and otherwise NFC-normalised in
 * place — Vietnamese typed on some keyboards arrives decomposed ("ê" + U+0301), and decomposed
 * text is stored, compared and counted as a different word.
 */
export function cleanInput(input: unknown, errs = new InputErrors()): InputErrors {
  const walk = (holder: Record<string, unknown> | unknown[], key: string | number, path: string) => {
    const value = (holder as Record<string | number, unknown>)[key];
    if (typeof value === 'string') {
      const cleaned = cleanText(value);
      if (cleaned.control) errs.add(path, `must not contain control characters (${cleaned.control.char} at position ${cleaned.control.at})`);
      else if (cleaned.text !== value) (holder as Record<string | number, unknown>)[key] = cleaned.text;
    } else if (Array.isArray(value)) {
      value.forEach((_, i) => walk(value, i, `${path}[${i}]`));
    } else if (isWalkable(value)) {
      for (const k of Object.keys(value)) walk(value, k, path ? `${path}.${k}` : k);
    }
  };
  if (Array.isArray(input)) input.forEach((_, i) => walk(input, i, `[${i}]`));
  else if (isWalkable(input)) for (const k of Object.keys(input)) walk(input, k, k);
  return errs;
}

// graphql-js words for a value the schema refuses, in variables and in literals. The refused value
// is printed into the message and may hold anything; the reason after the last "; " does not.
const VARIABLE_VALUE = /^Variable "\$(\w+)" got invalid value /;
const VARIABLE_PATH = / at "(\w+(?:\.\w+|\[\d+\])+)"$/;
const VARIABLE_MISSING = /^Variable "\$(\w+)" of (?:required|non-null) type "[^"]+" (?:was not provided|must not be null)\.$/;
const LITERAL_VALUE = /^Expected value of type "[^"]+", found /;
const MISSING_FIELD = /^Field "(?:\w+\.)?(\w+)" of required type "[^"]+" was not provided\.$/;
const UNKNOWN_FIELD = /^Field "(\w+)" is not defined by type "[^"]+"\./;

function splitReason(message: string): { before: string; reason: string | null } {
  const i = message.lastIndexOf('; ');
  return i < 0 ? { before: message, reason: null } : { before: message.slice(0, i), reason: message.slice(i + 2) };
}

/** `input.items[0].unit` → `items[0].unit`: fields are named inside the argument, as the writes name them ('' for the argument itself). */
const insideArgument = (path: string) => /^\w+\.(.*)$/s.exec(path)?.[1] ?? '';
const join = (parent: string, field: string) => (parent ? `${parent}.${field}` : field);

/** Where a literal sits in the document, from the argument down: `input.items[0].unit`. */
function literalPath(source: Source | undefined, node: ASTNode | undefined): string | null {
  const start = node?.loc?.start;
  if (!source || !node || start === undefined) return null;
  let found: string | null = null;
  visit(parse(source), {
    enter(n, _key, parent, _path, ancestors) {
      if (found !== null || n.kind !== node.kind || n.loc?.start !== start) return;
      // `ancestors` stops above `parent`; arrays among them are the lists of children.
      const chain = [...ancestors, parent, n].filter((a): a is ASTNode => !!a && !Array.isArray(a));
      const parts: string[] = [];
      chain.forEach((a, i) => {
        if (a.kind === 'Argument' || a.kind === 'ObjectField') parts.push((parts.length ? '.' : '') + a.name.value);
        else if (a.kind === 'ListValue' && chain[i + 1]) parts.push(`[${a.values.indexOf(chain[i + 1] as never)}]`);
      });
      found = parts.join('');
    },
  });
  return found;
}

/** A refusal by the schema, worded like the writes' own: the field named, `is required` for a missing one. */
function fieldError(base: string, reason: string, fallback: string): FieldError {
  const missing = MISSING_FIELD.exec(reason);
  if (missing) return { field: join(base, missing[1]), message: 'is required' };
  const unknown = UNKNOWN_FIELD.exec(reason);
  if (unknown) return { field: join(base, unknown[1]), message: 'is not a field of this input' };
  return { field: base || fallback, message: reason };
}

/**
 * A value the schema itself refuses before any resolver runs (a malformed LocalDate, an unknown
 * enum value, a missing field), as a field error like every other validation error: null when
 * `error` is of another kind. Variables arrive as BAD_USER_INPUT, literals as validation errors.
 */
export function schemaValueFieldError(formatted: GraphQLFormattedError, error: unknown): FieldError | null {
  const code = formatted.extensions?.code;
  const message = formatted.message;
  if (code === 'BAD_USER_INPUT') {
    const variable = VARIABLE_VALUE.exec(message)?.[1];
    if (variable) {
      const { before, reason } = splitReason(message);
      const at = VARIABLE_PATH.exec(before)?.[1];
      return fieldError(at ? insideArgument(at) || at : '', reason ?? 'is not a valid value', variable);
    }
    const missing = VARIABLE_MISSING.exec(message);
    return missing ? { field: missing[1], message: 'is required' } : null;
  }
  if (code !== 'GRAPHQL_VALIDATION_FAILED') return null;
  const literal = LITERAL_VALUE.test(message);
  if (!literal && !MISSING_FIELD.test(message) && !UNKNOWN_FIELD.test(message)) return null;
  const gql = [error, (error as { originalError?: unknown })?.originalError].find((e): e is GraphQLError => e instanceof GraphQLError && !!e.source);
  const at = literalPath(gql?.source, gql?.nodes?.[0]);
  if (at === null) return null;
  // An unknown field is reported at the field itself, whose name the path already ends with.
  if (UNKNOWN_FIELD.test(message)) return { field: insideArgument(at) || at, message: 'is not a field of this input' };
  if (literal) return { field: insideArgument(at) || at, message: splitReason(message).reason ?? 'is not a valid value' };
  return fieldError(insideArgument(at), message, at);
}
