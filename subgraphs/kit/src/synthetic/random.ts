import { Faker, base, vi } from '@faker-js/faker';

/** A seeded generator: the same seed and stream name always give the same sequence. */
export function rngFor(seed: number, stream: string): Faker {
  const f = new Faker({ locale: [vi, base] });
  let h = seed >>> 0;
  for (const ch of stream) h = (Math.imul(h ^ ch.charCodeAt(0), 2654435761) >>> 0);
  f.seed([seed, h]);
  return f;
}

export function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return isoDate(d);
}

export function dayBetween(f: Faker, from: string, to: string): string {
  return isoDate(f.date.between({ from: `${from}T00:00:00Z`, to: `${to}T00:00:00Z` }));
}
