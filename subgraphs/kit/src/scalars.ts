import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { GraphQLLocalDate } from 'graphql-scalars';

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar day: 2025-02-30 has the right shape and is still no date. */
export function isLocalDate(value: unknown): value is string {
  return typeof value === 'string' && LOCAL_DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;
}

// Worded like InputErrors.date, so a date the schema refuses reads like one a write refuses.
const DATE_MESSAGE = 'must be a date YYYY-MM-DD';

// A GraphQLError keeps graphql-js from prefixing its own words to a variable's refusal; a literal's
// needs a plain Error, which graphql-js wraps with the node so the field can be found.
function parseDate(value: unknown, literal = false): string {
  if (!isLocalDate(value)) throw literal ? new Error(DATE_MESSAGE) : new GraphQLError(DATE_MESSAGE);
  return value;
}

/**
 * `YYYY-MM-DD`, the only date form used across the graph (dates of events, not instants).
 * graphql-scalars' LocalDate with the same name, description and output, refusing input in the
 * kit's words (the server turns the refusal into a field error naming the field).
 */
export const LocalDate = new GraphQLScalarType({
  name: GraphQLLocalDate.name,
  description: GraphQLLocalDate.description,
  serialize: GraphQLLocalDate.serialize,
  parseValue: parseDate,
  parseLiteral(ast) {
    return parseDate(ast.kind === Kind.STRING ? ast.value : null, true);
  },
  extensions: GraphQLLocalDate.extensions,
});
