import { addDays, dayBetween, insertInChunks, rngFor, SUBSTANCE_CODES, type Em, type Progress, type SeedCounts, type SyntheticCommune, type SyntheticProvince } from '@pcmt/kit';
import { AntiDrugOfficer, AntiDrugTeam, AntiDrugTeamKind, BorderGuardSeizedItem, BorderGuardSeizure, BorderGuardSuspect, BorderPost, BorderRoute, JointOperation, PostSector } from './entities.js';

type Faker = ReturnType<typeof rngFor>;

/** Seizures per year at scale 1: the border guard's share of the province's border seizures. */
const SEIZURES_PER_YEAR = 120;
const RANKS = ['Thiếu úy', 'Trung úy', 'Thượng úy', 'Đại úy', 'Thiếu tá', 'Trung tá', 'Thượng tá'];
const LAND_PLACES = ['Lối mở gần mốc', 'Đường mòn qua khe núi gần mốc', 'Bản giáp biên, gần mốc', 'Khu vực cửa khẩu phụ, mốc'];
const SEA_PLACES = ['Vùng biển cách bờ', 'Cửa sông, cách bờ', 'Bến cá ven biển, cách cảng'];
const OPERATION_NAMES = ['Chuyên án', 'Kế hoạch phối hợp tuần tra', 'Kế hoạch cao điểm tấn công trấn áp tội phạm ma túy'];

/** ASCII initials of a commune name, e.g. 'Tân Lạc' → 'TL'. */
function initials(name: string): string {
  return name
    .replace(/[đĐ]/g, 'D')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/\s+/)
    .map((w) => w[0]?.toUpperCase() ?? '')
    .join('');
}

/** One post per border commune; every fourth guards the sea (a coastal stretch of the province). */
function makePosts(communes: SyntheticCommune[], where: SyntheticProvince['profile']) {
  const border = communes.filter((c) => c.border);
  const used = new Set<string>();
  // Provinces seeded together: ids and codes apart (serial 0 is the demo province, unchanged).
  const first = where.serial * 1000;
  const prefix = where.serial ? `${where.code}-` : '';
  // Posts guard the sea only where there is one; a province without a land border guards only its coast.
  const sector = (i: number) => (!where.landBorder || (where.coastal && i % 4 === 3) ? PostSector.SEA : PostSector.LAND);
  return (border.length ? border : communes.slice(0, 1)).map((c, i) => {
    const base = `DBP-${prefix}${initials(c.name)}`;
    let code = base;
    for (let n = 2; used.has(code); n++) code = `${base}${n}`;
    used.add(code);
    return { id: first + i + 1, code, name: `Đồn Biên phòng ${c.name}${code === base ? '' : ` ${code.slice(base.length)}`}`, sector: sector(i), communeCode: c.code };
  });
}

/** Equipped before the data year (most), during it, or not yet: indicator c sits around 80 %. */
function equippedDay(f: Faker, since: string, year: number): string | null {
  const r = f.number.float();
  const start = since > `${year - 1}-01-01` ? since : `${year - 1}-01-01`;
  if (r < 0.55) return start < `${year - 1}-12-31` ? dayBetween(f, start, `${year - 1}-12-31`) : since;
  if (r < 0.82) return dayBetween(f, since > `${year}-01-01` ? since : `${year}-01-01`, `${year}-12-31`);
  return null;
}

/** Writes the border guard's part of the synthetic province: posts, units, officers, joint operations, seizures. */
export async function seedBorderGuard(em: Em, p: SyntheticProvince, progress: Progress): Promise<SeedCounts> {
  const f = rngFor(p.seed, 'border-guard');
  const posts = makePosts(p.communes, p.profile);
  const first = p.profile.serial * 1000;
  await insertInChunks(em, BorderPost, posts, 500, (d) => progress('border posts', d, posts.length));

  // A team at every post, and the province's task force at the first post's commune.
  const teams = posts.map((post, i) => {
    const establishedOn = dayBetween(f, `${p.year - 4}-01-01`, `${p.year - 1}-06-30`);
    return { id: first + i + 1, code: `TCT-${post.code.slice(4)}`, name: `Tổ công tác chuyên trách PCMT, ${post.name}`, kind: AntiDrugTeamKind.POST_TEAM, post: post.id as any, communeCode: post.communeCode, establishedOn, equippedOn: equippedDay(f, establishedOn, p.year) };
  });
  const forceOn = `${p.year - 5}-03-01`;
  teams.push({ id: first + teams.length + 1, code: `DDN-${p.province.code}`, name: `Đội đặc nhiệm PCMT và tội phạm, BĐBP tỉnh ${p.province.name}`, kind: AntiDrugTeamKind.TASK_FORCE, post: null as any, communeCode: posts[0].communeCode, establishedOn: forceOn, equippedOn: `${p.year - 2}-09-15` });
  await insertInChunks(em, AntiDrugTeam, teams, 500, (d) => progress('anti-drug units', d, teams.length));

  let serial = 0;
  const officers = teams.flatMap((t) =>
    Array.from({ length: t.kind === AntiDrugTeamKind.TASK_FORCE ? f.number.int({ min: 10, max: 14 }) : f.number.int({ min: 3, max: 7 }) }, () => {
      const joinedOn = f.number.float() < 0.85 ? dayBetween(f, t.establishedOn, `${p.year - 1}-12-31`) : dayBetween(f, `${p.year}-01-01`, `${p.year}-11-30`);
      const leftOn = f.number.float() < 0.1 ? dayBetween(f, addDays(joinedOn, 30) < `${p.year}-12-31` ? addDays(joinedOn, 30) : `${p.year}-12-31`, `${p.year}-12-31`) : null;
      const equippedOn = equippedDay(f, joinedOn, p.year);
      return {
        serviceNumber: `BP${p.province.code}${String(++serial).padStart(5, '0')}`,
        fullName: f.person.fullName(),
        rank: f.helpers.arrayElement(RANKS),
        team: t.id as any,
        joinedOn,
        leftOn,
        equippedOn: equippedOn && leftOn && equippedOn > leftOn ? null : equippedOn,
      };
    }),
  );
  await insertInChunks(em, AntiDrugOfficer, officers, 500, (d) => progress('anti-drug officers', d, officers.length));

  const operations = [p.year - 1, p.year].flatMap((y) =>
    Array.from({ length: Math.max(2, Math.round(8 * p.scale)) }, (_, i) => {
      const startedOn = dayBetween(f, `${y}-01-01`, `${y}-10-31`);
      const withCustoms = f.number.float() < 0.6;
      const policeCase = f.number.float() < 0.5 ? f.helpers.arrayElement(p.cases.filter((c) => c.reportedOn.startsWith(String(y)))) : null;
      return {
        code: `PH-${y}-${String(p.profile.serial * 100 + i + 1).padStart(2, '0')}`,
        name: `${f.helpers.arrayElement(OPERATION_NAMES)} ${String(i + 1).padStart(2, '0')}/${y}`,
        communeCode: f.helpers.arrayElement(posts).communeCode,
        startedOn,
        endedOn: addDays(startedOn, f.number.int({ min: 20, max: 90 })),
        // Customs or police, at least one of them.
        withCustoms,
        withPolice: !withCustoms || policeCase !== null || f.number.float() < 0.5,
        drugCaseId: policeCase?.id ?? null,
      };
    }),
  );
  // No explicit ids: PostgreSQL's sequence would not move past them and the next registered operation would collide.
  await insertInChunks(em, JointOperation, operations, 500, (d) => progress('joint operations', d, operations.length));
  const operationId = new Map((await em.find(JointOperation, {}, { fields: ['id', 'code'] })).map((o) => [o.code, o.id]));

  const seizures: Array<Record<string, unknown>> = [];
  const items: Array<Record<string, unknown>> = [];
  const suspects: Array<Record<string, unknown>> = [];
  for (const y of [p.year - 1, p.year]) {
    const n = Math.max(2, Math.round(SEIZURES_PER_YEAR * p.scale));
    for (let i = 0; i < n; i++) {
      const post = f.helpers.arrayElement(posts);
      const route = post.sector === PostSector.SEA ? BorderRoute.SEA : BorderRoute.LAND_BORDER;
      const seizedOn = dayBetween(f, `${y}-01-01`, `${y}-12-31`);
      // Handed over to a police case opened on or after the seizure, within the week or on the day the case was opened.
      const later = p.cases.filter((c) => c.reportedOn >= seizedOn && c.reportedOn <= addDays(seizedOn, 60));
      const handed = later.length && f.number.float() < 0.45 ? f.helpers.arrayElement(later) : null;
      const within = addDays(seizedOn, f.number.int({ min: 0, max: 7 }));
      const operation = operations.find((o) => o.startedOn <= seizedOn && seizedOn <= o.endedOn && f.number.float() < 0.5) ?? null;
      const id = `BP-${y}-${String(p.profile.serial * 10_000 + i + 1).padStart(5, '0')}`;
      const team = teams.find((t) => t.post === (post.id as any)) ?? null;
      seizures.push({
        id,
        seizedOn,
        communeCode: post.communeCode,
        route,
        place: `${f.helpers.arrayElement(route === BorderRoute.SEA ? SEA_PLACES : LAND_PLACES)} ${f.number.int({ min: 1, max: 400 })}${route === BorderRoute.SEA ? ' hải lý' : ''}`,
        post: post.id,
        team: team && f.number.float() < 0.7 ? team.id : teams[teams.length - 1].id,
        jointOperation: operation ? operationId.get(operation.code) : null,
        drugCaseId: handed?.id ?? null,
        handedOverOn: handed ? (handed.reportedOn < within ? handed.reportedOn : within) : null,
      });
      for (const code of f.helpers.arrayElements([...SUBSTANCE_CODES], { min: 1, max: 2 })) {
        items.push({ seizure: id, substanceCode: code, quantityKg: Math.round((0.05 + f.number.float() ** 3 * 40) * 1000) / 1000 });
      }
      const held = handed ? handed.suspects.map((s) => s.citizenId) : f.number.float() < 0.5 ? [f.helpers.arrayElement(p.persons).citizenId] : [];
      for (const citizenId of new Set(held)) suspects.push({ seizure: id, citizenId });
    }
  }
  await insertInChunks(em, BorderGuardSeizure, seizures as any[], 500, (d) => progress('border-guard seizures', d, seizures.length));
  await insertInChunks(em, BorderGuardSeizedItem, items as any[], 500, (d) => progress('border-guard seized items', d, items.length));
  await insertInChunks(em, BorderGuardSuspect, suspects as any[], 500, (d) => progress('border-guard suspects', d, suspects.length));

  return {
    border_post: posts.length,
    anti_drug_team: teams.length,
    anti_drug_officer: officers.length,
    joint_operation: operations.length,
    border_guard_seizure: seizures.length,
    border_guard_seized_item: items.length,
    border_guard_suspect: suspects.length,
  };
}
