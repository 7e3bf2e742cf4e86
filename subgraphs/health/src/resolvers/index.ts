import { periodReferences, type SubgraphContext } from '@pcmt/kit';
import { AddictionAssessment, Facility, MethadoneEnrollment } from '../entities.js';
import { figures } from '../figures.js';
import { CommunePeriod, ProvincePeriod, personOf, communeOf } from './shared.js';
// Loaded in this order on purpose: type-graphql prints types and queries in the order their
// classes are declared, and the committed SDL follows the order below.
import { FacilityResolver } from './facilities.js';
import { AddictionAssessmentResolver } from './assessments.js';
import { MethadoneEnrollmentResolver } from './methadone.js';
import { UrineTestResolver } from './urine-tests.js';
import { RehabEpisodeResolver } from './rehab.js';
import { CounsellingResolver } from './counselling.js';
import { PersonResolver } from './persons.js';
import { CommuneResolver } from './communes.js';

export { Commune, CommunePeriod, Person, ProvincePeriod, Substance } from './shared.js';

export const resolvers = [
  FacilityResolver,
  AddictionAssessmentResolver,
  MethadoneEnrollmentResolver,
  UrineTestResolver,
  RehabEpisodeResolver,
  CounsellingResolver,
  PersonResolver,
  CommuneResolver,
  ...figures.resolvers(CommunePeriod, ProvincePeriod),
] as const;

export const references = {
  Facility: {
    __resolveReference: (ref: { id: string | number }, ctx: SubgraphContext) => ctx.loaders.one(Facility, 'id').load(Number(ref.id)),
  },
  AddictionAssessment: {
    __resolveReference: (ref: { id: string | number }, ctx: SubgraphContext) => ctx.loaders.one(AddictionAssessment, 'id').load(Number(ref.id)),
  },
  MethadoneEnrollment: {
    __resolveReference: (ref: { id: string | number }, ctx: SubgraphContext) => ctx.loaders.one(MethadoneEnrollment, 'id').load(Number(ref.id)),
  },
  Person: {
    __resolveReference: (ref: { citizenId: string }) => personOf(ref.citizenId),
  },
  Commune: {
    __resolveReference: (ref: { code: string }) => communeOf(ref.code),
  },
  ...periodReferences(CommunePeriod, ProvincePeriod),
};
