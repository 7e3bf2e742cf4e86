import type { AgencyFloor } from './floor.js';

export { Cells, type AgencyFloor, type Execute, type FloorAsk, type Value } from './floor.js';

/** The agencies whose figures the dashboard reads, each with a hand-written floor in `<agency>.ts`. */
export const FLOOR_AGENCIES = ['police', 'health', 'education', 'customs', 'border-guard', 'legal-aid'] as const;

export async function loadFloor(agency: string): Promise<AgencyFloor> {
  return ((await import(`./${agency}.js`)) as { floor: AgencyFloor }).floor;
}
