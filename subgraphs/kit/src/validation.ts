import { GraphQLError } from 'graphql';

export interface FieldError {
  field: string;
  message: string;
}

export const CITIZEN_ID_PATTERN = /^\d{12}$/;
export const COMMUNE_CODE_PATTERN = /^\d{5}$/;
const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

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
    if (typeof value !== 'string' || !LOCAL_DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
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
