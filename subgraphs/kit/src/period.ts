import 'reflect-metadata';
import { GraphQLError } from 'graphql';
import { ArgsType, Field, Int } from 'type-graphql';
import { LocalDate } from './scalars.js';

/** A reporting period: a calendar year, or an explicit from/to (inclusive). */
@ArgsType()
export class PeriodArgs {
  @Field(() => Int, { nullable: true, description: 'Calendar year (năm báo cáo)' })
  year?: number;

  @Field(() => LocalDate, { nullable: true, description: 'First day, inclusive' })
  from?: string;

  @Field(() => LocalDate, { nullable: true, description: 'Last day, inclusive' })
  to?: string;
}

export function periodBounds(p: { year?: number | null; from?: string | null; to?: string | null }): { from?: string; to?: string } {
  if (p.year != null) {
    if (!Number.isInteger(p.year) || p.year < 1990 || p.year > 2100) {
      throw new GraphQLError('year must be between 1990 and 2100', { extensions: { code: 'BAD_USER_INPUT', field: 'year' } });
    }
    if (p.from || p.to) {
      throw new GraphQLError('give either year or from/to, not both', { extensions: { code: 'BAD_USER_INPUT', field: 'year' } });
    }
    return { from: `${p.year}-01-01`, to: `${p.year}-12-31` };
  }
  const from = p.from ? String(p.from).slice(0, 10) : undefined;
  const to = p.to ? String(p.to).slice(0, 10) : undefined;
  if (from && to && from > to) {
    throw new GraphQLError('from must not be after to', { extensions: { code: 'BAD_USER_INPUT', field: 'from' } });
  }
  return { from, to };
}

/** MikroORM condition for a date column inside the period, or {} for "all time". */
export function periodWhere(column: string, p: { year?: number | null; from?: string | null; to?: string | null }): Record<string, unknown> {
  const { from, to } = periodBounds(p);
  if (!from && !to) return {};
  return { [column]: { ...(from ? { $gte: from } : {}), ...(to ? { $lte: to } : {}) } };
}

export type PeriodKind = 'YEAR' | 'QUARTER' | 'MONTH';

export interface ReportingPeriod {
  /** '2025', '2025-Q2' or '2025-06'. */
  id: string;
  kind: PeriodKind;
  from: string;
  to: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** A reporting period id (kỳ báo cáo) as dates; throws BAD_USER_INPUT on anything else. */
export function parsePeriod(id: string, field = 'period'): ReportingPeriod {
  const bad = () => new GraphQLError(`${field} must be a year (2025), a quarter (2025-Q2) or a month (2025-06)`, { extensions: { code: 'BAD_USER_INPUT', field } });
  const m = /^(\d{4})(?:-Q([1-4])|-(\d{2}))?$/.exec(id);
  if (!m) throw bad();
  const year = Number(m[1]);
  if (year < 1990 || year > 2100) throw bad();
  if (m[2]) {
    const q = Number(m[2]);
    const first = (q - 1) * 3 + 1;
    return { id, kind: 'QUARTER', from: `${year}-${pad(first)}-01`, to: `${year}-${pad(first + 2)}-${lastDay(year, first + 2)}` };
  }
  if (m[3]) {
    const month = Number(m[3]);
    if (month < 1 || month > 12) throw bad();
    return { id, kind: 'MONTH', from: `${year}-${pad(month)}-01`, to: `${year}-${pad(month)}-${lastDay(year, month)}` };
  }
  return { id, kind: 'YEAR', from: `${year}-01-01`, to: `${year}-12-31` };
}

/** The period of the same length just before: 2025 → 2024, 2025-Q1 → 2024-Q4, 2025-01 → 2024-12. */
export function previousPeriod(id: string): string {
  const p = parsePeriod(id);
  const year = Number(id.slice(0, 4));
  if (p.kind === 'YEAR') return String(year - 1);
  if (p.kind === 'QUARTER') {
    const q = Number(id.slice(6));
    return q === 1 ? `${year - 1}-Q4` : `${year}-Q${q - 1}`;
  }
  const month = Number(id.slice(5));
  return month === 1 ? `${year - 1}-12` : `${year}-${pad(month - 1)}`;
}

/** The same period one year earlier: 2025 → 2024, 2025-Q2 → 2024-Q2, 2025-06 → 2024-06 (year-on-year change). */
export function samePeriodLastYear(id: string): string {
  parsePeriod(id);
  return `${Number(id.slice(0, 4)) - 1}${id.slice(4)}`;
}

/** MikroORM condition for a date column inside a reporting period. */
export function inPeriod(column: string, period: ReportingPeriod): Record<string, unknown> {
  return { [column]: { $gte: period.from, $lte: period.to } };
}
