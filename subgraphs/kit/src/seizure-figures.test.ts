import { describe, expect, test } from '@jest/globals';
import type { Figure, PreviousFigure } from './figures.js';
import { seizureFigures, type SeizureFiguresOptions } from './seizure-figures.js';

class Seizure {}
class Item {}

const options = (over: Partial<SeizureFiguresOptions> = {}): SeizureFiguresOptions => ({
  seizure: Seizure,
  item: Item,
  kgColumn: 'quantityKg',
  prefix: 'borderGuard',
  all: { name: 'borderGuardSeizures', description: 'all' },
  routes: {
    landBorder: { route: 'LAND_BORDER', description: 'land' },
    seaRoute: { route: 'SEA', description: 'sea', notHandedOver: 'sea, kept' },
  },
  handedOver: 'handed',
  routeKg: { landBorder: { route: 'LAND_BORDER', description: 'land kg' } },
  kgNotHandedOver: 'kg kept',
  dates: { agency: 'borderGuard', since: 'since', through: 'through' },
  ...over,
});

describe('seizureFigures', () => {
  test('names each figure from the prefix and route keys, in the published field order', () => {
    expect(Object.keys(seizureFigures(options()))).toEqual([
      'borderGuardSeizures',
      'borderGuardLandBorderSeizures',
      'borderGuardSeaRouteSeizures',
      'borderGuardSeizuresHandedOver',
      'borderGuardSeaRouteSeizuresNotHandedOver',
      'borderGuardSeaRouteSeizuresNotHandedOverLastYear',
      'borderGuardLandBorderSeizedKg',
      'borderGuardSeizedKgNotHandedOver',
      'borderGuardSeizuresSince',
      'borderGuardSeizuresThrough',
    ]);
    // No prefix: the names as customs publishes them; all kilograms after all seizures, Through before Since.
    const customs = Object.keys(seizureFigures(options({ prefix: '', allKg: { name: 'borderSeizedKg', description: 'kg' }, dates: { agency: 'customs', since: 's', through: 't' }, throughFirst: true })));
    expect(customs.slice(0, 3)).toEqual(['borderGuardSeizures', 'borderSeizedKg', 'landBorderSeizures']);
    expect(customs.slice(-4)).toEqual(['landBorderSeizedKg', 'seizedKgNotHandedOver', 'customsSeizuresThrough', 'customsSeizuresSince']);
  });

  test('counts seizures by seizure day, sums the items\' kilograms by their seizure\'s day, and "not handed over" means no police case', () => {
    const f = seizureFigures(options()) as Record<string, Figure & PreviousFigure>;
    expect(f.borderGuardSeizures).toEqual({ entity: Seizure, period: 'seizedOn', description: 'all' });
    expect(f.borderGuardSeizuresHandedOver.where).toEqual({ drugCaseId: { $ne: null } });
    expect(f.borderGuardSeaRouteSeizuresNotHandedOver.where).toEqual({ route: 'SEA', drugCaseId: null });
    expect(f.borderGuardSeaRouteSeizuresNotHandedOverLastYear).toEqual({ previousOf: 'borderGuardSeaRouteSeizuresNotHandedOver', lastYear: true });
    expect(f.borderGuardLandBorderSeizedKg).toMatchObject({ entity: Item, aggregate: { sum: 'quantityKg' }, period: 'seizure.seizedOn', where: { seizure: { route: 'LAND_BORDER' } } });
    expect(f.borderGuardSeizedKgNotHandedOver.where).toEqual({ seizure: { drugCaseId: null } });
    expect(f.borderGuardSeizuresSince).toMatchObject({ entity: Seizure, aggregate: { min: 'seizedOn' } });
    expect(f.borderGuardSeizuresSince.period).toBeUndefined();
    expect(f.borderGuardSeizuresThrough.aggregate).toEqual({ max: 'seizedOn' });
  });
});
