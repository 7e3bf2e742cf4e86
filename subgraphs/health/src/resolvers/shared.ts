import {
  communePeriodStub,
  communeStub,
  PeriodArgs,
  periodBounds,
  personStub,
  provincePeriodStub,
  stubRef,
  substanceStub,
} from '@pcmt/kit';

// Federation stubs and helpers the health resolver files share. The stubs are made once here: a
// second communeStub() would be a second Commune type.

export const Person = personStub();
export type Person = InstanceType<typeof Person>;

export const Commune = communeStub();
export type Commune = InstanceType<typeof Commune>;

export const Substance = substanceStub();
export type Substance = InstanceType<typeof Substance>;

export const CommunePeriod = communePeriodStub();
export type CommunePeriod = InstanceType<typeof CommunePeriod>;

export const ProvincePeriod = provincePeriodStub();
export type ProvincePeriod = InstanceType<typeof ProvincePeriod>;

export const personOf = (citizenId: string): Person => stubRef(Person, { citizenId });
export const communeOf = (code: string): Commune => stubRef(Commune, { code });
export const substanceOf = (code: string): Substance => stubRef(Substance, { code });

/** Episodes that overlap the period (or all, without one): started by its end, not ended before its start. */
export function overlapWhere(period: PeriodArgs): Record<string, unknown> {
  const { from, to } = periodBounds(period);
  return {
    ...(to ? { startedOn: { $lte: to } } : {}),
    ...(from ? { $or: [{ endedOn: null }, { endedOn: { $gte: from } }] } : {}),
  };
}
