import { buildSubgraphSchema, printSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import type { GraphQLSchema } from 'graphql';
import { gql } from 'graphql-tag';
import { buildSchema, createResolversMap, type NonEmptyArray } from 'type-graphql';
import { enforceScopeTags } from './access.js';

export const FEDERATION_LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@tag", "@inaccessible"])`;

export type ReferenceResolvers = Record<string, { __resolveReference: (ref: any, ctx: any, info: any) => unknown }>;

export interface FederatedSchemaOptions {
  resolvers: NonEmptyArray<Function>;
  orphanedTypes?: Function[];
  references?: ReferenceResolvers;
}

/** type-graphql builds the types; @apollo/subgraph adds `_entities`/`_service` and the federation directives. */
export async function buildFederatedSchema(opts: FederatedSchemaOptions): Promise<GraphQLSchema> {
  const plain = await buildSchema({
    resolvers: opts.resolvers,
    orphanedTypes: opts.orphanedTypes,
    skipCheck: true,
    validate: false,
    emitSchemaFile: false,
  });
  const resolvers = createResolversMap(plain) as Record<string, any>;
  for (const [type, ref] of Object.entries(opts.references ?? {})) {
    resolvers[type] = { ...resolvers[type], ...ref };
  }
  return enforceScopeTags(
    buildSubgraphSchema({
      typeDefs: gql`${FEDERATION_LINK}\n${printSchemaWithDirectives(plain)}`,
      resolvers,
    }),
  );
}

/** The SDL committed as `schema/<name>.graphql` and fed to composition. */
export function printSdl(schema: GraphQLSchema): string {
  return printSubgraphSchema(schema).trim() + '\n';
}
