import { addDays, dayBetween, insertInChunks, rngFor, type Em, type Progress, type SeedCounts, type SyntheticProvince } from '@pcmt/kit';
import { Activity, Campaign, CampaignChannel, School, SchoolLevel, TargetGroup } from './entities.js';

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

const PARTICIPANTS: Record<Exclude<CampaignChannel, 'SCHOOL'>, { min: number; max: number }> = {
  COMMUNITY: { min: 30, max: 400 },
  MASS_MEDIA: { min: 500, max: 5000 },
  SOCIAL_MEDIA: { min: 100, max: 3000 },
  WORKPLACE: { min: 20, max: 500 },
};

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

/** Writes the education part of the synthetic province: schools, campaigns and their activities. */
export async function seedEducation(em: Em, p: SyntheticProvince, progress: Progress): Promise<SeedCounts> {
  const f = rngFor(p.seed, 'education');

  const schools = schoolPlan(p).map((s) => ({ ...s, students: f.number.int(STUDENTS[s.level]) }));
  await insertInChunks(em, School, schools, 500, (d) => progress('schools', d, schools.length));
  // Ids come from the database; read them back in insertion order to link activities.
  const schoolRows = await em.find(School, {}, { orderBy: { id: 'asc' }, fields: ['id', 'communeCode'] });
  const schoolsByCommune = new Map<string, number[]>();
  for (const s of schoolRows) {
    let ids = schoolsByCommune.get(s.communeCode);
    if (!ids) schoolsByCommune.set(s.communeCode, (ids = []));
    ids.push(s.id);
  }
  const studentsById = new Map(schoolRows.map((s, i) => [s.id, schools[i].students]));

  const perYear = campaignCount(p) / 2;
  const campaigns: Omit<Campaign, 'id'>[] = [];
  for (const y of [p.year - 1, p.year]) {
    for (let i = 0; i < perYear; i++) {
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
      campaigns.push({ name, organiser: org.name, channel, targetGroup, startsOn, endsOn, actionMonth });
    }
  }
  await insertInChunks(em, Campaign, campaigns as Campaign[], 500, (d) => progress('campaigns', d, campaigns.length));
  const campaignIds = (await em.find(Campaign, {}, { orderBy: { id: 'asc' }, fields: ['id'] })).map((c) => c.id);

  const activities: Array<Omit<Activity, 'id' | 'campaign' | 'school'> & { campaign: number; school: number | null }> = [];
  campaigns.forEach((c, i) => {
    const n = f.number.int(ACTIVITIES_PER_CAMPAIGN);
    for (let k = 0; k < n; k++) {
      const commune = f.helpers.arrayElement(p.communes);
      const school = c.channel === CampaignChannel.SCHOOL ? f.helpers.arrayElement(schoolsByCommune.get(commune.code)!) : null;
      const heldOn = c.actionMonth && f.number.float() < 0.25 ? `${c.startsOn.slice(0, 4)}-06-26` : dayBetween(f, c.startsOn, c.endsOn);
      const participants = school
        ? Math.round(studentsById.get(school)! * f.number.float({ min: 0.3, max: 1 }))
        : f.number.int(PARTICIPANTS[c.channel as Exclude<CampaignChannel, 'SCHOOL'>]);
      const title = heldOn.endsWith('-06-26')
        ? 'Mít tinh hưởng ứng Ngày toàn dân phòng, chống ma túy 26/6'
        : f.helpers.arrayElement(ACTIVITY_TITLES[c.channel]);
      activities.push({ campaign: campaignIds[i], title, heldOn, communeCode: commune.code, school, participants });
    }
  });
  await insertInChunks(em, Activity, activities as any, 500, (d) => progress('activities', d, activities.length));

  return { school: schools.length, campaign: campaigns.length, awareness_activity: activities.length };
}
