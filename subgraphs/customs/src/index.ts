import type { SubgraphDefinition } from '@pcmt/kit';
import { BorderGate, entities } from './entities.js';
import { importers } from './importers.js';
import { migrations } from './migrations/index.js';
import { CustomsMutations } from './mutations.js';
import { CommunePeriod, ProvincePeriod, references, resolvers } from './resolvers/index.js';
import { seedCustoms } from './seed.js';

/**
 * Hải quan, Bộ đội Biên phòng, Cảnh sát biển: border gates, drug seizures, what was seized and from
 * whom, their hand-over to police cases, and precursor import/export licences and violations.
 */
export const customs: SubgraphDefinition = {
  name: 'customs',
  entities,
  resolvers: [...resolvers, CustomsMutations],
  // Nothing returns the period types: they are entered only through `_entities`, so name them here.
  orphanedTypes: [CommunePeriod, ProvincePeriod],
  references,
  migrations,
  seededWhenAny: BorderGate,
  seed: seedCustoms,
  importers,
};

export default customs;
