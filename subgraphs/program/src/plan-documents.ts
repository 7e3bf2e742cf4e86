/**
 * The plans the seed documents set (shared/seeds): each target with the line it comes from.
 * A province uses its own plans' targets (the newest document first) and the national programme's
 * for what they do not set. Where a document leaves a number, a date or a deadline open, the plan
 * says so in its note instead of inventing one.
 */
export type PlanComparator = 'AT_LEAST' | 'ABOVE' | 'AT_MOST' | 'BELOW';
export const PLAN_COMPARATORS: readonly PlanComparator[] = ['AT_LEAST', 'ABOVE', 'AT_MOST', 'BELOW'];

export interface PlanTargetDoc {
  indicatorId: string;
  comparator: PlanComparator;
  target: number;
  baseline?: number | null;
  baselineYear?: number | null;
  deadline: string;
  seedLine: string;
}

export interface PlanDoc {
  id: string;
  provinceCode: string | null;
  title: string;
  documentNumber: string | null;
  documentDate: string | null;
  issuer: string;
  sourceLink: string | null;
  note: string | null;
  targets: PlanTargetDoc[];
}

const Y2030 = '2030-12-31';
const Y2025 = '2025-12-31';
const Y2020 = '2020-12-31';

/** 004 II.3 a–i: the national programme's 2030 indicators, as Ninh Bình restates them. */
const PROGRAMME_2030: PlanTargetDoc[] = [
  { indicatorId: 'a', comparator: 'BELOW', target: 0, deadline: Y2030, seedLine: 'a) Hằng năm, giảm số người nghiện ma túy, người sử dụng trái phép chất ma túy; phấn đấu đến hết năm 2030 đạt mục tiêu tỉnh không ma túy.' },
  ...['b1', 'b2', 'b3'].map((indicatorId): PlanTargetDoc => ({
    indicatorId, comparator: 'AT_LEAST', target: 100, deadline: Y2030,
    seedLine: 'b) Phấn đấu 100% các điểm tổ chức, chứa chấp sử dụng trái phép chất ma túy, đối tượng bán lẻ chất ma túy và 100% diện tích trồng trái phép cây có chứa chất ma túy được phát hiện và triệt phá.',
  })),
  ...['c1', 'c2'].map((indicatorId): PlanTargetDoc => ({
    indicatorId, comparator: 'ABOVE', target: 80, deadline: Y2030,
    seedLine: 'c) Trên 80% các đơn vị và cán bộ, chiến sĩ lực lượng chuyên trách phòng, chống tội phạm về ma túy thuộc Bộ đội Biên phòng được trang bị vũ khí, công cụ hỗ trợ, phương tiện kỹ thuật nghiệp vụ hiện đại',
  })),
  { indicatorId: 'd1', comparator: 'ABOVE', target: 3, deadline: Y2030, seedLine: 'd) Hằng năm, số vụ phạm tội về ma túy được phát hiện, bắt giữ tại tuyến đường biển, chuyển phát nhanh tăng trên 3%' },
  { indicatorId: 'd2', comparator: 'ABOVE', target: 3, deadline: Y2030, seedLine: 'd) số vụ phạm tội về ma túy có tổ chức xuyên quốc gia được phát hiện, bắt giữ tăng trên 3%' },
  { indicatorId: 'd3', comparator: 'ABOVE', target: 5, deadline: Y2030, seedLine: 'd) số vụ phạm tội về ma túy lợi dụng không gian mạng được phát hiện, triệt phá tăng trên 5%' },
  { indicatorId: 'dd1', comparator: 'ABOVE', target: 80, deadline: Y2030, seedLine: 'đ) Trên 80% số trạm y tế cấp xã … đủ điều kiện xác định tình trạng nghiện ma túy.' },
  { indicatorId: 'dd2', comparator: 'AT_LEAST', target: 100, deadline: Y2030, seedLine: 'đ) … và 100% cơ sở cai nghiện ma túy công lập đủ điều kiện xác định tình trạng nghiện ma túy.' },
  { indicatorId: 'e', comparator: 'ABOVE', target: 70, deadline: Y2030, seedLine: 'e) … trên 70% xã, phường có người nghiện ma túy bố trí điểm tiếp nhận và tư vấn cai nghiện ma túy đủ điều kiện theo quy định' },
  { indicatorId: 'e1', comparator: 'AT_LEAST', target: 100, deadline: Y2030, seedLine: 'e) Phấn đấu 100% cơ sở cai nghiện ma túy công lập bảo đảm điều kiện theo quy định của Luật Phòng, chống ma túy' },
  { indicatorId: 'e3', comparator: 'AT_LEAST', target: 0, deadline: Y2030, seedLine: 'e) … duy trì công tác cai nghiện ma túy tự nguyện tại gia đình, cộng đồng' },
  { indicatorId: 'g1', comparator: 'AT_LEAST', target: 100, deadline: Y2030, seedLine: 'g) … phấn đấu tổ chức tuyên truyền, phổ biến, giáo dục pháp luật, kiến thức, kỹ năng về phòng, chống ma túy cho người học tại 100% nhà trường' },
  { indicatorId: 'g2', comparator: 'ABOVE', target: 70, deadline: Y2030, seedLine: 'g) … và trên 70% người lao động tại các khu công nghiệp, khu chế xuất.' },
  { indicatorId: 'g3', comparator: 'ABOVE', target: 80, deadline: Y2030, seedLine: 'g) Trên 80% các cơ quan truyền thông chủ lực đa phương tiện và cơ quan báo chí có lượng độc giả lớn có chuyên trang, chuyên mục, chuyên đề về phòng, chống ma túy' },
  { indicatorId: 'h', comparator: 'AT_LEAST', target: 100, deadline: Y2030, seedLine: 'h) Phấn đấu trợ giúp pháp lý cho 100% số người vi phạm pháp luật liên quan đến ma túy, … thuộc diện trợ giúp pháp lý khi có yêu cầu.' },
  { indicatorId: 'i1', comparator: 'AT_LEAST', target: 100, deadline: Y2030, seedLine: 'i) Bảo đảm cơ sở vật chất và duy trì điều trị cho 100% người nghiện các chất dạng thuốc phiện' },
  { indicatorId: 'i2', comparator: 'ABOVE', target: 90, deadline: Y2030, seedLine: 'i) … trên 90% người nghiện ma túy, người sử dụng trái phép chất ma túy, người cai nghiện ma túy, người tham gia điều trị nghiện ma túy, người sau cai nghiện ma túy được tư vấn, hỗ trợ và can thiệp về y tế, tâm lý.' },
];

export const SEEDED_PLANS: PlanDoc[] = [
  {
    id: 'VN-7619-QD-BCA-2025',
    provinceCode: null,
    title: 'Chương trình mục tiêu quốc gia phòng, chống ma túy đến năm 2030 (chỉ tiêu chủ yếu, mục II.3)',
    documentNumber: '7619/QĐ-BCA',
    documentDate: '2025-09-08',
    issuer: 'Bộ trưởng Bộ Công an',
    sourceLink: '004_e340fb47985fa660.txt',
    note: 'Targets as restated by Ninh Bình (004, II.3 a–i); the decision itself is not among the seeds.',
    targets: PROGRAMME_2030,
  },
  {
    id: 'NB-KH-MTQG-2030',
    provinceCode: '37',
    title: 'Kế hoạch thực hiện Chương trình mục tiêu quốc gia phòng, chống ma túy đến năm 2030',
    documentNumber: null,
    documentDate: null,
    issuer: 'Ủy ban nhân dân tỉnh Ninh Bình',
    sourceLink: '004_e340fb47985fa660.txt',
    note: 'The extract shows neither number nor date (it cites Nghị quyết 01-NQ/TU of 08/12/2025, so it is later); its targets are the national ones.',
    targets: PROGRAMME_2030,
  },
  {
    id: 'QN-32-CT-TU-2023',
    provinceCode: '22',
    title: 'Chỉ thị về tăng cường, nâng cao hiệu quả công tác phòng, chống và kiểm soát ma túy trong tình hình mới',
    documentNumber: '32-CT/TU',
    documentDate: '2023-05-05',
    issuer: 'Ban Thường vụ Tỉnh ủy Quảng Ninh',
    sourceLink: '000_2c99ea28af25ce9e.txt',
    note: 'Goals for 2023–2025; "giảm từ 5% đến 10% người nghiện": the lower bound (−5 %) is the target.',
    targets: [
      { indicatorId: 'a', comparator: 'AT_MOST', target: -5, deadline: Y2025, seedLine: 'hằng năm giảm từ 5% đến 10% người nghiện ma túy hiện có' },
      { indicatorId: 'f2', comparator: 'AT_MOST', target: -10, deadline: Y2025, seedLine: 'giảm ít nhất 10% xã, phường, thị trấn có tệ nạn ma túy' },
      { indicatorId: 'f1', comparator: 'ABOVE', target: 50, deadline: Y2025, seedLine: 'nâng tổng số xã, phường, thị trấn không tệ nạn ma túy lên trên 50% … vào năm 2025' },
    ],
  },
  {
    id: 'QN-3086-QD-UBND-2011',
    provinceCode: '22',
    title: 'Kế hoạch thực hiện "Chiến lược quốc gia phòng, chống và kiểm soát ma túy ở Việt Nam đến năm 2020 và định hướng đến năm 2030"',
    documentNumber: '3086/QĐ-UBND',
    documentDate: '2011-09-30',
    issuer: 'Ủy ban nhân dân tỉnh Quảng Ninh',
    sourceLink: '001_28602833d669a948.txt',
    note: 'Targets to 2020 (mục II.2); the newer Chỉ thị 32-CT/TU (000) replaces what both set.',
    targets: [
      { indicatorId: 'managed', comparator: 'AT_LEAST', target: 100, deadline: Y2020, seedLine: '100% số người nghiện ma túy được phát hiện và quản lý' },
      { indicatorId: 'relapse', comparator: 'AT_MOST', target: -10, deadline: Y2020, seedLine: 'giảm từ 10% đến 15% tỷ lệ tái nghiện so với hiện nay' },
      { indicatorId: 'border', comparator: 'ABOVE', target: 70, deadline: Y2020, seedLine: 'Nâng tỷ lệ phát hiện, thu giữ ma túy tại khu vực biên giới lên trên 70% so với tổng số ma túy thu giữ trong toàn tỉnh' },
      { indicatorId: 'f1', comparator: 'AT_LEAST', target: 70, deadline: Y2020, seedLine: 'phấn đấu đạt 70% số xã, phường, thị trấn, khu dân cư … không có tệ nạn ma túy' },
    ],
  },
  {
    id: 'LS-CTR-36-CT-TW',
    provinceCode: '20',
    title: 'Chương trình hành động của Ban Thường vụ Tỉnh ủy thực hiện Chỉ thị số 36-CT/TW ngày 16/8/2019 của Bộ Chính trị',
    documentNumber: null,
    documentDate: null,
    issuer: 'Ban Thường vụ Tỉnh ủy Lạng Sơn',
    sourceLink: '002_3d645d8e24d25ce0.txt',
    note: 'The programme states aims, not figures: "xử lý triệt để" is read as 100 %; every other target is the national programme\'s. Number and date are not in the extract (after 16/8/2019).',
    targets: [
      { indicatorId: 'b2', comparator: 'AT_LEAST', target: 100, deadline: Y2030, seedLine: 'tích cực đấu tranh, triệt phá các đường dây mua bán, vận chuyển ma túy xuyên quốc gia, các điểm bán lẻ ma túy trên địa bàn' },
      { indicatorId: 'b3', comparator: 'AT_LEAST', target: 100, deadline: Y2030, seedLine: 'Xử lý triệt để tình trạng trồng cây có chất ma túy' },
    ],
  },
  {
    id: 'CB-NQ-BTVTU-PCMT',
    provinceCode: '04',
    title: 'Nghị quyết về tăng cường sự lãnh đạo của Đảng đối với công tác phòng, chống, kiểm soát và cai nghiện ma túy trên địa bàn tỉnh Cao Bằng',
    documentNumber: null,
    documentDate: null,
    issuer: 'Ban Thường vụ Tỉnh ủy Cao Bằng',
    sourceLink: '003_3b27ca0396cb8291.txt',
    note: 'Number and date are not in the extract; its targets run to 2025 against 2023. Baseline of drug-free communes: 16 of 161 (145/161 có tệ nạn, 88,2 %).',
    targets: [
      { indicatorId: 'f1', comparator: 'AT_LEAST', target: 12, baseline: 9.9, baselineYear: 2023, deadline: Y2025, seedLine: 'phấn đấu đến năm 2025, toàn tỉnh có tối thiểu 12% số xã, phường, thị trấn trong sạch, không có tệ nạn về ma túy' },
      { indicatorId: 'f2', comparator: 'AT_MOST', target: -5, baselineYear: 2023, deadline: Y2025, seedLine: 'kéo giảm 05% mức độ phức tạp của số xã, phường, thị trấn có tội phạm và tệ nạn ma túy (so với năm 2023)' },
      { indicatorId: 'managed', comparator: 'AT_LEAST', target: 100, deadline: Y2025, seedLine: '100% người nghiện ma túy, người sử dụng trái phép chất ma túy trên địa bàn được rà soát, phát hiện, lập hồ sơ quản lý.' },
      { indicatorId: 'b1', comparator: 'AT_LEAST', target: 100, deadline: Y2025, seedLine: '3.2. Rà soát, đấu tranh, triệt xóa 100% các điểm, tụ điểm, đối tượng mua bán, tàng trữ, sản xuất, vận chuyển, tổ chức sử dụng trái phép chất ma túy' },
      { indicatorId: 'b3', comparator: 'AT_LEAST', target: 100, deadline: Y2025, seedLine: 'Phát hiện, xóa bỏ 100% diện tích trồng cây có chứa chất ma túy' },
      { indicatorId: 'units', comparator: 'AT_LEAST', target: 100, deadline: Y2025, seedLine: '100% cơ quan, đơn vị, trường học đạt tiêu chuẩn không có ma túy.' },
    ],
  },
];
