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
