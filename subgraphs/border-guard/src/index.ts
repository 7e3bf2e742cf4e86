import type { SubgraphDefinition } from '@pcmt/kit';
import { BorderPost, entities } from './entities.js';
import { importers } from './importers.js';
import { migrations } from './migrations/index.js';
import { BorderGuardMutations } from './mutations.js';
import { Commune, CommunePeriod, DrugCase, Person, ProvincePeriod, references, resolvers } from './resolvers/index.js';
import { seedBorderGuard } from './seed.js';

/**
 * Bộ đội Biên phòng (the Border Guard): border posts, specialised anti-drug units with their
 * officers and equipment, the seizures it makes in the border area (land border, sea) and their
 * hand-over to police cases, and joint operations with customs and police.
 */
export const borderGuard: SubgraphDefinition = {
  name: 'border-guard',
  entities,
  resolvers: [...resolvers, BorderGuardMutations],
  // Types entered only through `_entities` or extended here: without them type-graphql drops the extension silently
  // (schema:check catches it from the list in subgraphs/kit/src/subgraph-list.ts).
  orphanedTypes: [Person, Commune, DrugCase, CommunePeriod, ProvincePeriod],
  references,
  migrations,
  seededWhenAny: BorderPost,
  seed: seedBorderGuard,
  importers,
};

export default borderGuard;
