import 'reflect-metadata';
import { Directive, Field, ID, ObjectType, type ClassType } from 'type-graphql';
import { parsePeriod } from './period.js';
import { CacheMaxAge, FIGURES_MAX_AGE } from './cache-hints.js';

/**
 * Types another agency owns, as a subgraph sees them: just the key, plus whatever fields the
 * subgraph adds through its own resolvers. Each call makes a new class, so each subgraph's schema
 * gets its own type and its own field resolvers.
 */
function stubType<K extends string>(name: string, key: K, description: string, resolvable: boolean): ClassType<Record<K, string>> {
  @ObjectType(name, { description })
  @Directive(`@key(fields: "${key}"${resolvable ? '' : ', resolvable: false'})`)
  class Stub {}
  Field(() => ID)(Stub.prototype, key);
  return Stub as ClassType<Record<K, string>>;
}

export interface StubOptions {
  /** false when the subgraph only points at the entity and adds no fields to it. */
  resolvable?: boolean;
}

export const PERSON_DESCRIPTION = 'A person, keyed by the 12-digit citizen identity number (số định danh cá nhân / CCCD). Identity fields come from the police population register.';
export const COMMUNE_DESCRIPTION = 'Xã/phường/đặc khu, keyed by the official administrative code';
export const DRUG_CASE_DESCRIPTION = 'A drug case (vụ án ma túy) opened by the police.';
export const SUBSTANCE_DESCRIPTION = 'A narcotic substance or precursor (chất ma túy, tiền chất) of the programme catalogue';

export const personStub = (o: StubOptions = {}) => stubType('Person', 'citizenId', PERSON_DESCRIPTION, o.resolvable ?? true);
export const communeStub = (o: StubOptions = {}) => stubType('Commune', 'code', COMMUNE_DESCRIPTION, o.resolvable ?? true);
export const drugCaseStub = (o: StubOptions = {}) => stubType('DrugCase', 'id', DRUG_CASE_DESCRIPTION, o.resolvable ?? false);
export const substanceStub = (o: StubOptions = {}) => stubType('Substance', 'code', SUBSTANCE_DESCRIPTION, o.resolvable ?? false);

/** A reference to another agency's entity: the key is all this subgraph knows. */
export function stubRef<T extends object>(type: ClassType<T>, key: T): T {
  return Object.assign(new type(), key);
}

/**
 * A commune (or province) in one reporting period: the key every agency hangs its figures for
 * that period on, and `program` reads with `@requires` to compute the indicators.
 */
function periodStubType<K extends string>(name: string, placeKey: K, description: string): ClassType<Record<K | 'period', string>> {
  @ObjectType(name, { description })
  @Directive(`@key(fields: "${placeKey} period")`)
  // Figures: short-lived in the gateway's response cache (cache-hints.ts).
  @CacheMaxAge(FIGURES_MAX_AGE)
  class Stub {}
  Field(() => ID, { description: 'Official code' })(Stub.prototype, placeKey);
  Field(() => String, { description: "Kỳ báo cáo: '2025', '2025-Q2' or '2025-06'" })(Stub.prototype, 'period');
  return Stub as ClassType<Record<K | 'period', string>>;
}

export const COMMUNE_PERIOD_DESCRIPTION = 'One commune in one reporting period (kỳ báo cáo): the figures each agency reports for it';
export const PROVINCE_PERIOD_DESCRIPTION = 'One province in one reporting period (kỳ báo cáo): the figures each agency reports for it';

export const communePeriodStub = () => periodStubType('CommunePeriod', 'communeCode', COMMUNE_PERIOD_DESCRIPTION);
export const provincePeriodStub = () => periodStubType('ProvincePeriod', 'provinceCode', PROVINCE_PERIOD_DESCRIPTION);

/** `__resolveReference` of both period types, for a subgraph's `references`: the key is all they hold. */
export function periodReferences(commune: ClassType<Record<'communeCode' | 'period', string>>, province: ClassType<Record<'provinceCode' | 'period', string>>) {
  return {
    CommunePeriod: {
      __resolveReference: (ref: { communeCode: string; period: string }) => {
        parsePeriod(ref.period);
        return stubRef(commune, { communeCode: ref.communeCode, period: ref.period });
      },
    },
    ProvincePeriod: {
      __resolveReference: (ref: { provinceCode: string; period: string }) => {
        parsePeriod(ref.period);
        return stubRef(province, { provinceCode: ref.provinceCode, period: ref.period });
      },
    },
  };
}
