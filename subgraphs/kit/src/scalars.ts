import { GraphQLLocalDate } from 'graphql-scalars';

/** `YYYY-MM-DD`, the only date form used across the graph (dates of events, not instants). */
export const LocalDate = GraphQLLocalDate;
