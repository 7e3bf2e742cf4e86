import { GraphQLError } from 'graphql';
import { CITIZEN_ID_PATTERN, COMMUNE_CODE_PATTERN } from './validation.js';

// Query arguments are refused at once (there is nothing to collect, unlike a write's input),
// with the argument named: `communeCode must be 5 digits`.

export function badArgument(field: string, message: string): GraphQLError {
  return new GraphQLError(`${field} ${message}`, { extensions: { code: 'BAD_USER_INPUT', field } });
}

/** An optional argument that, when given, must match `pattern`; `rule` says how, for the caller. */
export function checkArgument(value: string | null | undefined, pattern: RegExp, field: string, rule: string): void {
  if (value != null && !pattern.test(value)) throw badArgument(field, `must be ${rule}`);
}

export const checkCommuneCodeArgument = (code: string | null | undefined, field = 'communeCode'): void => checkArgument(code, COMMUNE_CODE_PATTERN, field, '5 digits');

export const checkCitizenIdArgument = (citizenId: string | null | undefined): void => checkArgument(citizenId, CITIZEN_ID_PATTERN, 'citizenId', '12 digits');

/** An integer id argument (GraphQL IDs arrive as strings). */
export function intArgument(id: string | number, field = 'id'): number {
  const n = Number(id);
  if (!Number.isSafeInteger(n) || n < 1) throw badArgument(field, 'must be a positive integer');
  return n;
}

/** Only the filters that were given: `{ status: undefined }` must not become `status IS NULL`. */
export const given = (filters: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined && v !== null));
