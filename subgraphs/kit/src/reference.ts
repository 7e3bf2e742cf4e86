import type { EntityManager } from '@mikro-orm/core';
import type { InputErrors } from './validation.js';
import type { SyntheticProvince } from './synthetic/province.js';
import { areaOfEm } from './area.js';
import { KnownCommune } from './known-commune.js';

// Still exported here: the kit's other modules and its tests import it from reference.js.
export { KnownCommune };

export async function seedKnownCommunes(em: EntityManager, province: SyntheticProvince): Promise<number> {
  await em.insertMany(KnownCommune, province.communes.map((c) => ({ code: c.code, name: c.name, provinceCode: province.province.code })));
  return province.communes.length;
}

/** Format first, then existence, then the caller's area: the error says which. */
export async function checkCommune(em: EntityManager, errs: InputErrors, field: string, code: unknown): Promise<boolean> {
  if (!errs.communeCodeFormat(field, code)) return false;
  const known = await em.findOne(KnownCommune, { code: code as string });
  if (!errs.check(known !== null, field, `unknown commune code ${code}`)) return false;
  const area = areaOfEm(em);
  // Outside a request (seeds, imports run by an operator) there is no caller area to check.
  if (!area) return true;
  await area.ready;
  return errs.check(area.covers(code as string), field, `commune ${code} is outside your area (địa bàn)`);
}

/** The row with this integer id, or null after a field error (malformed or unknown id). */
export async function findById<T extends object>(em: EntityManager, errs: InputErrors, entity: new (...args: any[]) => T, field: string, value: unknown, label: string): Promise<T | null> {
  const id = errs.positiveId(field, value);
  if (id === null) return null;
  const row = await em.findOne(entity, id as any);
  errs.check(row !== null, field, `unknown ${label} ${id}`);
  return row;
}
