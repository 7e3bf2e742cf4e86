import type { SubgraphDefinition } from '@pcmt/kit';
import { entities, Province } from './entities.js';
import { migrations } from './migrations/index.js';
import { periodReferences, periodResolvers } from './periods.js';
import { references, resolvers } from './resolvers.js';
import { seedProgram } from './seed.js';

/** Ban Chỉ đạo / standing office: reference data (province, communes, substances) shared by the graph. */
export const program: SubgraphDefinition = {
  name: 'program',
  entities,
  resolvers: [...resolvers, ...periodResolvers],
  references: { ...references, ...periodReferences },
  migrations,
  seededWhenAny: Province,
  seed: seedProgram,
};

export default program;
