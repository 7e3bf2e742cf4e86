import { addDays, dayBetween, insertInChunks, rngFor, type Em, type Progress, type SeedCounts, type SyntheticProvince } from '@pcmt/kit';
import { Activity, Campaign, CampaignChannel, Enterprise, MediaOutlet, MediaOutletKind, School, SchoolLevel, SocialPlatform, TargetGroup, WorkerAttendance } from './entities.js';

/** Campaigns per synthetic year at scale 1 (DOMAIN.md: hundreds of campaigns, thousands of activities). */
export const CAMPAIGNS_PER_YEAR = 100;
export const ACTIVITIES_PER_CAMPAIGN = { min: 5, max: 15 };

const SCHOOL_PREFIX: Record<SchoolLevel, string> = {
  PRIMARY: 'Trường Tiểu học',
  LOWER_SECONDARY: 'Trường THCS',
  UPPER_SECONDARY: 'Trường THPT',
  VOCATIONAL: 'Trường Trung cấp nghề',
  COLLEGE: 'Trường Cao đẳng Sư phạm',
};

const STUDENTS: Record<SchoolLevel, { min: number; max: number }> = {
  PRIMARY: { min: 200, max: 900 },
  LOWER_SECONDARY: { min: 150, max: 700 },
  UPPER_SECONDARY: { min: 600, max: 1500 },
  VOCATIONAL: { min: 200, max: 800 },
  COLLEGE: { min: 1000, max: 3000 },
};

interface Organiser {
  name: string;
  channels: CampaignChannel[];
  weight: number;
}

const ORGANISERS: Organiser[] = [
  { name: 'Sở GD&ĐT', channels: [CampaignChannel.SCHOOL], weight: 35 },
  { name: 'Tỉnh đoàn', channels: [CampaignChannel.COMMUNITY, CampaignChannel.SOCIAL_MEDIA], weight: 20 },
  { name: 'Sở VH-TT', channels: [CampaignChannel.COMMUNITY], weight: 15 },
  { name: 'Liên đoàn Lao động tỉnh', channels: [CampaignChannel.WORKPLACE], weight: 15 },
  { name: 'Báo Cao Bằng', channels: [CampaignChannel.MASS_MEDIA, CampaignChannel.SOCIAL_MEDIA], weight: 8 },
  { name: 'Đài PT-TH tỉnh', channels: [CampaignChannel.MASS_MEDIA], weight: 7 },
];

const THEMES: Record<CampaignChannel, string[]> = {
  SCHOOL: ['Tuyên truyền phòng, chống ma túy trong trường học', 'Ngoại khóa "Nói không với ma túy"', 'Hội thi tìm hiểu pháp luật về phòng, chống ma túy'],
  COMMUNITY: ['Tuyên truyền phòng, chống ma túy tại khu dân cư', 'Xây dựng xã, phường không ma túy', 'Chiếu phim, triển lãm tranh cổ động phòng, chống ma túy'],
  MASS_MEDIA: ['Chuyên mục "Phòng, chống ma túy"', 'Loạt phóng sự về tác hại của ma túy tổng hợp'],
  SOCIAL_MEDIA: ['Thanh niên nói không với ma túy trên không gian mạng', 'Cảnh báo "nước vui", "bóng cười", thuốc lá điện tử'],
  WORKPLACE: ['Công nhân, người lao động phòng, chống ma túy', 'Doanh nghiệp không ma túy'],
};

const ACTIVITY_TITLES: Record<CampaignChannel, string[]> = {
  SCHOOL: ['Buổi ngoại khóa phòng, chống ma túy', 'Tiết sinh hoạt dưới cờ chủ đề phòng, chống ma túy', 'Hội thi tìm hiểu pháp luật', 'Tọa đàm "Học đường không ma túy"'],
  COMMUNITY: ['Họp dân tuyên truyền', 'Mít tinh, diễu hành cổ động', 'Chiếu phim lưu động', 'Sân khấu hóa phòng, chống ma túy'],
  MASS_MEDIA: ['Phóng sự truyền hình', 'Bài báo chuyên mục', 'Chương trình phát thanh'],
  SOCIAL_MEDIA: ['Livestream tọa đàm', 'Chuỗi bài đăng trên fanpage', 'Cuộc thi video ngắn'],
  WORKPLACE: ['Tuyên truyền tại khu công nghiệp', 'Tọa đàm tại doanh nghiệp', 'Phát tờ rơi tại nhà xưởng'],
};

const PARTICIPANTS: Record<'COMMUNITY' | 'MASS_MEDIA' | 'SOCIAL_MEDIA', { min: number; max: number }> = {
  COMMUNITY: { min: 30, max: 400 },
  MASS_MEDIA: { min: 500, max: 5000 },
  SOCIAL_MEDIA: { min: 100, max: 3000 },
};

/** Enterprises at scale 1 (issue: ~40–60), three quarters of them in a few industrial parks. */
export const ENTERPRISES = 50;
export const INDUSTRIAL_PARKS = 3;
const IN_PARK_SHARE = 0.75;

const SECTORS = ['May mặc', 'Chế biến nông sản', 'Khai khoáng', 'Vật liệu xây dựng', 'Điện tử', 'Chế biến gỗ', 'Cơ khí', 'Thực phẩm', 'Dược liệu'];

const PLATFORMS: { value: SocialPlatform | null; weight: number }[] = [
  { value: SocialPlatform.FACEBOOK, weight: 40 },
  { value: SocialPlatform.ZALO, weight: 30 },
  { value: SocialPlatform.TIKTOK, weight: 15 },
  { value: SocialPlatform.YOUTUBE, weight: 7 },
  { value: SocialPlatform.OTHER, weight: 3 },
  // Run on several platforms at once.
  { value: null, weight: 5 },
];

/**
 * The province's press (cơ quan báo chí cấp tỉnh): 10 outlets, 5 of them main (chủ lực), 4 of
 * those with a dedicated column — one opened in June of the data year, so the figure moves with the period.
 */
export function mediaOutletPlan(p: SyntheticProvince): Omit<MediaOutlet, 'id'>[] {
  const P = p.province.name;
  const y = p.year;
  const o = (name: string, kind: MediaOutletKind, main: boolean, columnSince: string | null, columnName: string | null) => ({ name, kind, main, provinceCode: p.province.code, columnSince, columnName });
  return [
    o(`Báo ${P}`, MediaOutletKind.NEWSPAPER, true, `${y - 6}-03-01`, 'Phòng, chống ma túy'),
    o(`Đài Phát thanh và Truyền hình ${P}`, MediaOutletKind.RADIO_TELEVISION, true, `${y - 7}-06-26`, 'Vì cuộc sống không ma túy'),
    o(`Báo ${P} điện tử`, MediaOutletKind.ONLINE_NEWS, true, `${y}-06-01`, 'Nói không với ma túy'),
    o(`Cổng Thông tin điện tử tỉnh ${P}`, MediaOutletKind.ONLINE_NEWS, true, `${y - 4}-01-15`, 'Phòng, chống tội phạm và tệ nạn ma túy'),
    o(`Tạp chí Văn nghệ ${P}`, MediaOutletKind.MAGAZINE, true, null, null),
    o(`Bản tin An ninh ${P}`, MediaOutletKind.NEWSPAPER, false, `${y - 3}-09-01`, 'Cảnh giác với ma túy'),
    o(`Trang thông tin điện tử Tỉnh đoàn ${P}`, MediaOutletKind.ONLINE_NEWS, false, `${y - 2}-03-26`, 'Tuổi trẻ nói không với ma túy'),
    o(`Trang thông tin điện tử Liên đoàn Lao động tỉnh ${P}`, MediaOutletKind.ONLINE_NEWS, false, null, null),
    o(`Tạp chí Khoa học và Công nghệ ${P}`, MediaOutletKind.MAGAZINE, false, null, null),
    o(`Bản tin Thông tin đối ngoại ${P}`, MediaOutletKind.MAGAZINE, false, null, null),
  ];
}

/** Schools of the synthetic province: a primary and a lower-secondary school in every commune, more in wards. */
export function schoolPlan(p: SyntheticProvince): { level: SchoolLevel; communeCode: string; name: string }[] {
  const plan: { level: SchoolLevel; communeCode: string; name: string }[] = [];
  const add = (level: SchoolLevel, c: { code: string; name: string }) => plan.push({ level, communeCode: c.code, name: `${SCHOOL_PREFIX[level]} ${c.name}` });
  const wards = p.communes.filter((c) => c.kind === 'WARD');
  for (const c of p.communes) {
    add(SchoolLevel.PRIMARY, c);
    add(SchoolLevel.LOWER_SECONDARY, c);
    // Upper-secondary schools serve several communes: one per ward (the old district towns).
    if (c.kind === 'WARD') add(SchoolLevel.UPPER_SECONDARY, c);
  }
  // The provincial capital's ward hosts the vocational school and the college.
  if (wards.length) {
    add(SchoolLevel.VOCATIONAL, wards[0]);
    add(SchoolLevel.COLLEGE, wards[0]);
  }
  return plan;
}

export function campaignCount(p: SyntheticProvince): number {
  return 2 * Math.max(1, Math.round(CAMPAIGNS_PER_YEAR * p.scale));
}

export function enterpriseCount(p: SyntheticProvince): number {
  return Math.max(5, Math.round(ENTERPRISES * p.scale));
}

type ActivityRow = Omit<Activity, 'id' | 'campaign' | 'school' | 'enterprise'> & { campaign: number; school: number | null; enterprise: number | null };

/** Writes the education part of the synthetic province: schools, enterprises, press, campaigns and their activities. */
export async function seedEducation(em: Em, p: SyntheticProvince, progress: Progress): Promise<SeedCounts> {
  const f = rngFor(p.seed, 'education');

  const schools = schoolPlan(p).map((s) => ({ ...s, students: f.number.int(STUDENTS[s.level]) }));
  await insertInChunks(em, School, schools, 500, (d) => progress('schools', d, schools.length));
  // Ids come from the database; read them back in insertion order to link activities.
  // Only this province's rows: another province may have been seeded before it.
  const ours = { communeCode: { $in: p.communes.map((c) => c.code) } };
  const schoolRows = await em.find(School, ours, { orderBy: { id: 'asc' }, fields: ['id', 'communeCode'] });
  const schoolsByCommune = new Map<string, number[]>();
  for (const s of schoolRows) {
    let ids = schoolsByCommune.get(s.communeCode);
    if (!ids) schoolsByCommune.set(s.communeCode, (ids = []));
    ids.push(s.id);
  }
  const studentsById = new Map(schoolRows.map((s, i) => [s.id, schools[i].students]));

  // Industrial parks sit in a few communes; most enterprises are there, the rest scattered.
  const parkCommunes = f.helpers.arrayElements(p.communes, Math.min(p.communes.length, Math.max(1, Math.round(INDUSTRIAL_PARKS * p.scale))));
  const enterprises: Omit<Enterprise, 'id'>[] = [];
  for (let i = 0; i < enterpriseCount(p); i++) {
    const inPark = f.number.float() < IN_PARK_SHARE;
    const commune = inPark ? f.helpers.arrayElement(parkCommunes) : f.helpers.arrayElement(p.communes);
    const form = f.helpers.arrayElement(['Công ty TNHH', 'Công ty Cổ phần']);
    enterprises.push({
      name: `${form} ${f.helpers.arrayElement(SECTORS)} ${commune.name} ${i + 1}`,
      communeCode: commune.code,
      industrialPark: inPark ? `Khu công nghiệp ${commune.name}` : null,
      workers: inPark ? f.number.int({ min: 150, max: 2500 }) : f.number.int({ min: 15, max: 250 }),
    });
  }
  await insertInChunks(em, Enterprise, enterprises as Enterprise[], 500, (d) => progress('enterprises', d, enterprises.length));
  const enterpriseIds = (await em.find(Enterprise, ours, { orderBy: { id: 'asc' }, fields: ['id'] })).map((e) => e.id);

  const outlets = mediaOutletPlan(p);
  await insertInChunks(em, MediaOutlet, outlets as MediaOutlet[], 500, (d) => progress('media outlets', d, outlets.length));

  const perYear = campaignCount(p) / 2;
  const campaigns: Omit<Campaign, 'id'>[] = [];
  for (const y of [p.year - 1, p.year]) {
    // Every year opens with the trade unions' "Tháng Công nhân" (May): workers are always reached.
    campaigns.push({
      name: `Tháng Công nhân ${y}: công nhân, người lao động phòng, chống ma túy`,
      organiser: 'Liên đoàn Lao động tỉnh',
      channel: CampaignChannel.WORKPLACE,
      targetGroup: TargetGroup.WORKERS,
      startsOn: `${y}-05-01`,
      endsOn: `${y}-05-31`,
      actionMonth: false,
      nationalDay: false,
      socialPlatform: null,
    });
    for (let i = 1; i < perYear; i++) {
      const org = f.helpers.weightedArrayElement(ORGANISERS.map((o) => ({ value: o, weight: o.weight })));
      const channel = f.helpers.arrayElement(org.channels);
      const targetGroup =
        channel === CampaignChannel.SCHOOL ? TargetGroup.STUDENTS
        : channel === CampaignChannel.WORKPLACE ? TargetGroup.WORKERS
        : org.name === 'Tỉnh đoàn' ? TargetGroup.YOUTH
        : f.number.float() < 0.2 ? TargetGroup.HIGH_RISK
        : TargetGroup.GENERAL_PUBLIC;
      // Schools are closed in June, so the action month is run by the other organisers.
      const actionMonth = channel !== CampaignChannel.SCHOOL && f.number.float() < 0.35;
      // About half of the action-month campaigns also mark the national day, 26/6.
      const nationalDay = actionMonth && f.number.float() < 0.5;
      let startsOn: string;
      let endsOn: string;
      let name: string;
      if (actionMonth) {
        startsOn = `${y}-06-01`;
        endsOn = `${y}-06-30`;
        name = `Tháng hành động phòng, chống ma túy ${y}: ${f.helpers.arrayElement(THEMES[channel]).toLowerCase()}`;
      } else if (channel === CampaignChannel.SCHOOL) {
        // Inside a term: spring (Jan–May) or autumn (Sept–Dec).
        const spring = f.number.float() < 0.5;
        startsOn = spring ? dayBetween(f, `${y}-01-05`, `${y}-04-30`) : dayBetween(f, `${y}-09-05`, `${y}-11-30`);
        const termEnd = spring ? `${y}-05-31` : `${y}-12-31`;
        endsOn = addDays(startsOn, f.number.int({ min: 14, max: 90 }));
        if (endsOn > termEnd) endsOn = termEnd;
        const sy = spring ? y - 1 : y;
        name = `${f.helpers.arrayElement(THEMES[channel])} năm học ${sy}–${sy + 1}`;
      } else {
        startsOn = dayBetween(f, `${y}-01-01`, `${y}-11-30`);
        endsOn = addDays(startsOn, f.number.int({ min: 7, max: 120 }));
        if (endsOn > `${y}-12-31`) endsOn = `${y}-12-31`;
        name = `${f.helpers.arrayElement(THEMES[channel])} ${y}`;
      }
      const socialPlatform = channel === CampaignChannel.SOCIAL_MEDIA ? f.helpers.weightedArrayElement(PLATFORMS) : null;
      campaigns.push({ name, organiser: org.name, channel, targetGroup, startsOn, endsOn, actionMonth, nationalDay, socialPlatform });
    }
  }
  const [lastCampaign] = await em.find(Campaign, {}, { fields: ['id'], orderBy: { id: 'desc' }, limit: 1 });
  await insertInChunks(em, Campaign, campaigns as Campaign[], 500, (d) => progress('campaigns', d, campaigns.length));
  const campaignIds = (await em.find(Campaign, { id: { $gt: lastCampaign?.id ?? 0 } }, { orderBy: { id: 'asc' }, fields: ['id'] })).map((c) => c.id);

  const activities: ActivityRow[] = [];
  campaigns.forEach((c, i) => {
    // Workplace activities are planned per enterprise below.
    if (c.channel === CampaignChannel.WORKPLACE) return;
    const n = f.number.int(ACTIVITIES_PER_CAMPAIGN);
    for (let k = 0; k < n; k++) {
      const commune = f.helpers.arrayElement(p.communes);
      const school = c.channel === CampaignChannel.SCHOOL ? f.helpers.arrayElement(schoolsByCommune.get(commune.code)!) : null;
      const heldOn = c.nationalDay && f.number.float() < 0.4 ? `${c.startsOn.slice(0, 4)}-06-26` : dayBetween(f, c.startsOn, c.endsOn);
      const participants = school
        ? Math.round(studentsById.get(school)! * f.number.float({ min: 0.3, max: 1 }))
        : f.number.int(PARTICIPANTS[c.channel as keyof typeof PARTICIPANTS]);
      const title = c.nationalDay && heldOn.endsWith('-06-26')
        ? 'Mít tinh hưởng ứng Ngày toàn dân phòng, chống ma túy 26/6'
        : f.helpers.arrayElement(ACTIVITY_TITLES[c.channel]);
      activities.push({ campaign: campaignIds[i], title, heldOn, communeCode: commune.code, school, enterprise: null, participants });
    }
  });

  // Each year almost every industrial-park enterprise is reached, each for 60–95 % of its workers
  // (about 70 % overall; indicator g asks for >70 %), in one to three sessions; outside the parks about half are.
  // Every workplace session keeps its attendance list (social-insurance numbers): a later session of the
  // year also sees some workers of an earlier one, so attendances exceed persons. From its own stream.
  const a = rngFor(p.seed, 'education-attendance');
  const lists: string[][] = [];
  // Workers numbered per province: its code, then eight digits (10, like a mã số BHXH).
  let firstWorker = 0;
  const workerBase = enterprises.map((e) => ((firstWorker += e.workers), firstWorker - e.workers));
  const workerKey = (i: number, n: number) => `${p.province.code}${String(workerBase[i] + (n % enterprises[i].workers)).padStart(8, '0')}`;
  for (const y of [p.year - 1, p.year]) {
    const yearCampaigns = campaigns.map((c, i) => ({ c, id: campaignIds[i] })).filter(({ c }) => c.channel === CampaignChannel.WORKPLACE && c.startsOn.startsWith(String(y)));
    let turn = 0;
    enterprises.forEach((e, i) => {
      const share = e.industrialPark
        ? f.number.float() < 0.05 ? 0 : f.number.float({ min: 0.6, max: 0.95 })
        : f.number.float() < 0.5 ? 0 : f.number.float({ min: 0.3, max: 0.8 });
      let left = Math.round(e.workers * share);
      if (left === 0) return;
      const sessions = Math.min(left, left > 600 ? 3 : left > 200 ? 2 : 1);
      // This year's workers reached: a run of the enterprise's register from a random worker on.
      let next = a.number.int({ min: 0, max: e.workers - 1 });
      const seen: string[] = [];
      for (let s = sessions; s > 0; s--) {
        const fresh = s === 1 ? left : Math.round(left / s);
        left -= fresh;
        const list = Array.from({ length: fresh }, () => workerKey(i, next++));
        // Some come again: up to a fifth of the session are workers of an earlier one this year.
        const again = seen.length ? a.helpers.arrayElements(seen, a.number.int({ min: 0, max: Math.min(seen.length, Math.round(fresh / 5)) })) : [];
        seen.push(...list);
        lists.push([...list, ...again]);
        const participants = fresh + again.length;
        // Round-robin, so every workplace campaign of the year has activities.
        const { c, id } = yearCampaigns[turn++ % yearCampaigns.length];
        activities.push({
          campaign: id,
          title: f.helpers.arrayElement(ACTIVITY_TITLES.WORKPLACE),
          heldOn: dayBetween(f, c.startsOn, c.endsOn),
          communeCode: e.communeCode,
          school: null,
          enterprise: enterpriseIds[i],
          participants,
        });
      }
    });
  }
  await insertInChunks(em, Activity, activities as any, 500, (d) => progress('activities', d, activities.length));

  // The workplace activities' ids, in the order they were written (the order of `lists`).
  const workplace = await em.find(Activity, { enterprise: { $in: enterpriseIds } }, { orderBy: { id: 'asc' }, fields: ['id'] });
  if (workplace.length !== lists.length) throw new Error(`education seed: ${workplace.length} workplace activities for ${lists.length} attendance lists`);
  const attendance = workplace.flatMap((w, k) => lists[k].map((workerKey) => ({ activity: w.id as any, workerKey })));
  await insertInChunks(em, WorkerAttendance, attendance as any, 1000, (d) => progress('worker attendance', d, attendance.length));

  return {
    school: schools.length,
    enterprise: enterprises.length,
    media_outlet: outlets.length,
    campaign: campaigns.length,
    awareness_activity: activities.length,
    worker_attendance: attendance.length,
  };
}
