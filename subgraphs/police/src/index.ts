import type { SubgraphContext, SubgraphDefinition } from '@pcmt/kit';
import { entities, Person } from './entities.js';
import { importers } from './importers.js';
import { migrations } from './migrations/index.js';
import { PoliceMutations } from './mutations.js';
import { CommunePeriod, ProvincePeriod, references, resolvers } from './resolvers/index.js';
import { seedPolice } from './seed.js';

/**
 * A person reached from another agency's record (a legal-aid request, an enrolment, a seizure) is
 * answered as `person()` answers: only when they live in the caller's area. Otherwise any officer
 * could learn anyone's name, birth year and sex by writing a record that names them in their own
 * commune. Police's own records (cases, files) reach their persons through their field resolvers.
 */
async function personInArea(ref: { citizenId: string }, ctx: SubgraphContext): Promise<Person | null> {
  const person = await ctx.loaders.one(Person, 'citizenId').load(ref.citizenId);
  await ctx.area.ready;
  return person && ctx.area.covers(person.communeCode) ? person : null;
}

/**
 * Công an tỉnh: the population register, drug cases (seized items, suspects, wanted persons), hotspots,
 * retail dealers, illegal cultivation, management files and the communes' drug-situation classification.
 */
export const police: SubgraphDefinition = {
  name: 'police',
  entities,
  resolvers: [...resolvers, PoliceMutations],
  // Reached only through _entities: nothing in Query returns them.
  orphanedTypes: [CommunePeriod, ProvincePeriod],
  references: { ...references, Person: { __resolveReference: personInArea } },
  migrations,
  seededWhenAny: Person,
  seed: seedPolice,
  importers,
};

export default police;
