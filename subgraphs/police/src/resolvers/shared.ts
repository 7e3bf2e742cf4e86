import { communePeriodStub, communeStub, provincePeriodStub, stubRef, substanceStub } from '@pcmt/kit';

// Federation stubs and small helpers every police resolver file uses. The stubs are made once
// here: a second communeStub() would be a second Commune type.

export const Commune = communeStub();
export type Commune = InstanceType<typeof Commune>;

export const Substance = substanceStub();
export type Substance = InstanceType<typeof Substance>;

export const CommunePeriod = communePeriodStub();
export type CommunePeriod = InstanceType<typeof CommunePeriod>;

export const ProvincePeriod = provincePeriodStub();
export type ProvincePeriod = InstanceType<typeof ProvincePeriod>;

export const communeOf = (code: string): Commune => stubRef(Commune, { code });

/** `{ column: null }` or `{ column: { $ne: null } }` for a yes/no filter on a date being set. */
export const isSet = (column: string, flag: boolean | undefined | null): Record<string, unknown> =>
  flag == null ? {} : { [column]: flag ? { $ne: null } : null };
