import 'reflect-metadata';
import { GraphQLError } from 'graphql';
import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { Scopes } from './access-rules.js';
import type { Scope } from './access-tags.js';

export const MAX_PAGE_SIZE = 500;

@ArgsType()
export class PageArgs {
  @Field(() => Int, { defaultValue: 50, description: `Page size, 1–${MAX_PAGE_SIZE}.` })
  first: number = 50;

  @Field(() => Int, { defaultValue: 0, description: 'Rows to skip.' })
  offset: number = 0;
}

export function checkPage(args: { first?: number; offset?: number }): { limit: number; offset: number } {
  const limit = args.first ?? 50;
  const offset = args.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new GraphQLError(`first must be between 1 and ${MAX_PAGE_SIZE}`, {
      extensions: { code: 'BAD_USER_INPUT', field: 'first' },
    });
  }
  if (!Number.isInteger(offset) || offset < 0) {
    throw new GraphQLError('offset must be 0 or more', { extensions: { code: 'BAD_USER_INPUT', field: 'offset' } });
  }
  return { limit, offset };
}

/** Slice an already-loaded child list by page arguments. */
export function slicePage<T>(rows: T[], args: { first?: number; offset?: number }): T[] {
  const { limit, offset } = checkPage(args);
  return rows.slice(offset, offset + limit);
}

export interface Page<T> {
  totalCount: number;
  items: T[];
}

/**
 * `XPage { totalCount, items }` for a top-level list. `scopes` are the page type's (`@Scopes`): give
 * it the same scopes as the rows it holds.
 */
export function PageOf<T extends object>(item: ClassType<T>, name = item.name, scopes: readonly Scope[] = []) {
  @ObjectType(`${name}Page`, { description: `One page of ${name} rows and the total that match.` })
  class PageClass {
    @Field(() => Int)
    totalCount!: number;

    @Field(() => [item])
    items!: T[];
  }
  // One at a time, so they print last first, as the committed SDL has them.
  for (const scope of scopes) Scopes(scope)(PageClass);
  return PageClass;
}
