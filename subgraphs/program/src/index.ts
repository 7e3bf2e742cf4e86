import type { SubgraphDefinition } from '@pcmt/kit';
import { entities, Province } from './entities.js';
import { migrations } from './migrations/index.js';
import { periodReferences, periodResolvers } from './periods.js';
import { IndicatorValuePlanResolver } from './plan-values.js';
import { planResolvers } from './plans.js';
import { reportingResolvers } from './reporting.js';
import { references, resolvers } from './resolvers.js';
import { seedProgram } from './seed.js';

/** Ban Chỉ đạo / standing office: reference data (province, communes, substances) shared by the graph. */
export const program: SubgraphDefinition = {
  name: 'program',
  entities,
  resolvers: [...resolvers, ...periodResolvers, ...planResolvers, IndicatorValuePlanResolver, ...reportingResolvers],
  references: { ...references, ...periodReferences },
  migrations,
  seededWhenAny: Province,
  seed: seedProgram,
};

export default program;
