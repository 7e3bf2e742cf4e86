// Every word the dashboard shows, in Vietnamese and English, and the formats of each language
// (numbers, percents, dates, periods). The one place to change wording: dashboard.js and the Excel
// export read from here; test/dashboard.test.ts checks neither view leaks the other language.
(function () {
  'use strict';

  const TEXT = {
    vi: {
      title: 'Chương trình phòng, chống ma túy — chỉ tiêu đến năm 2030',
      period: 'Kỳ báo cáo', year: 'Năm', quarter: 'Quý', month: 'Tháng', wholeYear: 'Cả năm', wholeQuarter: 'Cả quý',
      show: 'Xem', print: 'In', exportExcel: 'Xuất Excel', save: 'Lưu', languageSwitch: 'English',
      needToken: 'Hoặc dán mã truy cập (token) của hệ thống:',
      signIn: 'Đăng nhập', signOut: 'Đăng xuất',
      province: 'Tỉnh', indicator: 'Chỉ tiêu', indicators: 'Các chỉ tiêu', value: 'Kết quả', target: 'Mục tiêu', status: 'Đánh giá',
      deadline: 'Thời hạn', source: 'Văn bản nguồn', definition: 'Cách tính', code: 'Mã',
      trend: 'Diễn biến qua các kỳ', chosenIndicator: 'Chỉ tiêu đang xem',
      communes: 'Xã, phường, đặc khu', commune: 'Xã, phường', communeCode: 'Mã xã',
      searchIndicator: 'Tìm chỉ tiêu', searchIndicatorHint: 'Tên hoặc mã chỉ tiêu', searchCommune: 'Tìm xã, phường', searchCommuneHint: 'Tên hoặc mã xã',
      sortHint: 'Bấm vào tiêu đề cột để sắp xếp; bấm vào tên xã để xem chi tiết.',
      noMatch: 'Không có mục nào khớp với từ khóa tìm kiếm.',
      loading: 'Đang tải số liệu…', error: 'Không tải được số liệu', retry: 'Vui lòng thử lại sau giây lát.',
      errUnauthenticated: 'Mã truy cập không hợp lệ hoặc đã hết hạn.',
      errForbidden: 'Tài khoản không được xem số liệu này.',
      errBusy: 'Hệ thống đang bận, vui lòng thử lại sau giây lát.',
      errNetwork: 'Không kết nối được máy chủ.',
      dataAsOf: 'Số liệu đến hết ngày', computedAt: 'tổng hợp lúc',
      changeNote: 'so với cùng kỳ năm trước',
      withheld: 'Ẩn (số liệu nhỏ)', withheldNote: 'Ẩn: tính từ dưới 5 người, không công bố để bảo vệ danh tính.',
      noValue: 'Chưa có số liệu',
      MET: 'Đạt', ON_TRACK: 'Chưa đạt · Đúng tiến độ', OFF_TRACK: 'Chưa đạt · Chậm tiến độ', NO_DATA: 'Chưa có số liệu',
      notMet: 'Chưa đạt', onTrack: 'Đúng tiến độ', behind: 'Chậm tiến độ',
      CONTEXT: 'Số liệu tình hình, không có chỉ tiêu',
      NOT_APPLICABLE: 'Không áp dụng',
      mapTitle: 'Bản đồ các xã theo kết quả chỉ tiêu', mapHint: 'Bấm vào một xã để xem chi tiết; màu đậm là kết quả cao.',
      mapGenerated: 'Hình dạng các xã chỉ để minh họa, không phải địa giới thật (tỉnh chưa nhập ranh giới).', mapImported: 'Ranh giới xã theo dữ liệu địa giới tỉnh đã nhập.',
      mapNoShape: 'Số xã chưa có ranh giới trên bản đồ', mapUnavailable: 'Chưa hiển thị được bản đồ; số liệu các xã xem ở bảng bên cạnh.',
      AT_LEAST: '≥', AT_MOST: '≤', ABOVE: 'trên', BELOW: 'dưới', NONE: '',
      seedLine: 'Theo văn bản', contextTarget: 'Không đặt chỉ tiêu', fall: 'giảm', rise: 'tăng', documentNo: 'số',
      provinceOutsideArea: 'Số liệu toàn tỉnh chỉ hiển thị cho tài khoản được giao địa bàn cả tỉnh; dưới đây là các xã của bạn.',
      detail: 'Chi tiết', figuresTitle: 'Số liệu của các ngành', close: 'Đóng',
      sheetIndicators: 'Chỉ tiêu', sheetCommunes: 'Xã phường', sheetCommune: 'Chi tiết xã',
      exportedAt: 'Xuất lúc', viewOf: 'Kỳ',
      figures: {
        managedUsers: 'Người sử dụng trái phép có hồ sơ quản lý', managedAddicts: 'Người nghiện có hồ sơ quản lý',
        hotspotsDetected: 'Điểm, tụ điểm phát hiện', hotspotsDismantled: 'Điểm, tụ điểm triệt xóa', drugCasesReported: 'Vụ án ma túy',
        methadonePatientsInTreatment: 'Người điều trị methadone', personsCounselled: 'Người được tư vấn',
        schools: 'Trường học', schoolsReached: 'Trường được tuyên truyền',
        borderSeizures: 'Vụ bắt giữ tại biên giới', borderSeizedKg: 'Ma túy thu giữ tại biên giới (kg)',
        eligibleLegalAidRequests: 'Yêu cầu trợ giúp pháp lý đủ điều kiện', servedLegalAidRequests: 'Yêu cầu trợ giúp pháp lý được đáp ứng',
      },
      // Figures shown beside an indicator's value (IndicatorValue.details), by name; percent ones end in Percent.
      details: { stillOperating: 'Còn hoạt động', persons: 'Số người', retentionPercent: 'Tỷ lệ duy trì điều trị' },
      // National view and reporting completeness; {x} are filled by fill().
      nationalTitle: 'Các tỉnh', rankBy: 'Xếp hạng theo chỉ tiêu', rankOrder: 'Thứ tự', rank: 'Hạng',
      rankDesc: 'Từ cao xuống thấp', rankAsc: 'Từ thấp lên cao', rankedOn: 'Xếp hạng theo',
      rankHint: 'Tỉnh chưa có số liệu hoặc bị ẩn xếp cuối. Bấm vào tên tỉnh để xem chi tiết.',
      backToNational: '← Các tỉnh', nationalView: 'Các tỉnh',
      reportingTitle: 'Tỷ lệ báo cáo trong kỳ', reportingLowest: 'Tỷ lệ báo cáo (thấp nhất)',
      reported: '{agency}: đã báo cáo {reported}/{communes} xã ({percent})',
      unreportedMark: 'Chưa đủ báo cáo', unreportedCell: 'Kết quả tính trên số liệu chưa đủ báo cáo',
      unreportedNote: '⚠ Chưa đủ báo cáo: kết quả tính cả trên các xã mà ngành chưa khóa sổ kỳ này, có thể còn thay đổi.',
      sheetNational: 'Xếp hạng các tỉnh',
      agencies: { police: 'Công an', health: 'Y tế', education: 'Giáo dục', customs: 'Hải quan', 'legal-aid': 'Trợ giúp pháp lý', 'border-guard': 'Bộ đội Biên phòng' },
    },
    en: {
      title: 'Drug prevention and control programme — 2030 indicators',
      period: 'Reporting period', year: 'Year', quarter: 'Quarter', month: 'Month', wholeYear: 'Whole year', wholeQuarter: 'Whole quarter',
      show: 'Show', print: 'Print', exportExcel: 'Export to Excel', save: 'Save', languageSwitch: 'Tiếng Việt',
      needToken: 'Or paste a system access token:',
      signIn: 'Sign in', signOut: 'Sign out',
      province: 'Province', indicator: 'Indicator', indicators: 'Indicators', value: 'Result', target: 'Target', status: 'Status',
      deadline: 'Deadline', source: 'Source document', definition: 'How it is computed', code: 'Code',
      trend: 'Trend over the periods', chosenIndicator: 'Indicator shown',
      communes: 'Communes, wards and special zones', commune: 'Commune or ward', communeCode: 'Commune code',
      searchIndicator: 'Find an indicator', searchIndicatorHint: 'Indicator name or code', searchCommune: 'Find a commune', searchCommuneHint: 'Commune name or code',
      sortHint: 'Click a column header to sort; click a commune to see its detail.',
      noMatch: 'Nothing matches the search.',
      loading: 'Loading the figures…', error: 'The figures could not be loaded', retry: 'Please try again in a moment.',
      errUnauthenticated: 'The access token is not valid or has expired.',
      errForbidden: 'This account may not see these figures.',
      errBusy: 'The system is busy, please try again in a moment.',
      errNetwork: 'The server cannot be reached.',
      dataAsOf: 'Figures up to the end of', computedAt: 'compiled at',
      changeNote: 'against the same period last year',
      withheld: 'Withheld (small count)', withheldNote: 'Withheld: computed from fewer than 5 persons, not published to protect identities.',
      noValue: 'No data',
      MET: 'Met', ON_TRACK: 'Not met · On track', OFF_TRACK: 'Not met · Behind', NO_DATA: 'No data',
      notMet: 'Not met', onTrack: 'On track', behind: 'Behind',
      CONTEXT: 'Context figure, no target',
      NOT_APPLICABLE: 'Not applicable',
      mapTitle: 'Map of communes by indicator result', mapHint: 'Click a commune for its detail; darker means a higher result.',
      mapGenerated: 'Commune shapes are illustrative, not true boundaries (the province has not imported its boundaries).', mapImported: 'Commune boundaries as imported by the province.',
      mapNoShape: 'Communes without a boundary on the map', mapUnavailable: 'The map cannot be shown; the communes\' figures are in the table beside it.',
      AT_LEAST: '≥', AT_MOST: '≤', ABOVE: 'over', BELOW: 'under', NONE: '',
      seedLine: 'As the document says', contextTarget: 'No target set', fall: 'a fall', rise: 'a rise', documentNo: 'no.',
      provinceOutsideArea: 'Province-wide figures are shown to accounts whose area is the whole province; your communes are below.',
      detail: 'Detail', figuresTitle: 'Figures of the agencies', close: 'Close',
      sheetIndicators: 'Indicators', sheetCommunes: 'Communes', sheetCommune: 'Commune detail',
      exportedAt: 'Exported at', viewOf: 'Period',
      figures: {
        managedUsers: 'Illegal users with a management file', managedAddicts: 'Addicts with a management file',
        hotspotsDetected: 'Hotspots detected', hotspotsDismantled: 'Hotspots dismantled', drugCasesReported: 'Drug cases',
        methadonePatientsInTreatment: 'Persons in methadone treatment', personsCounselled: 'Persons counselled',
        schools: 'Schools', schoolsReached: 'Schools reached by drug education',
        borderSeizures: 'Seizures at the border', borderSeizedKg: 'Drugs seized at the border (kg)',
        eligibleLegalAidRequests: 'Eligible legal-aid requests', servedLegalAidRequests: 'Legal-aid requests served',
      },
      details: { stillOperating: 'Still operating', persons: 'Persons', retentionPercent: 'Kept in treatment' },
      nationalTitle: 'Provinces', rankBy: 'Rank on the indicator', rankOrder: 'Order', rank: 'Rank',
      rankDesc: 'Highest first', rankAsc: 'Lowest first', rankedOn: 'Ranked on',
      rankHint: 'Provinces without data or withheld come last. Click a province to see its detail.',
      backToNational: '← All provinces', nationalView: 'All provinces',
      reportingTitle: 'Reporting in the period', reportingLowest: 'Reporting (lowest)',
      reported: '{agency}: reported {reported}/{communes} communes ({percent})',
      unreportedMark: 'Incomplete reporting', unreportedCell: 'Computed from incompletely reported data',
      unreportedNote: '⚠ Incomplete reporting: the result includes communes an agency has not closed the period for yet; it may still change.',
      sheetNational: 'Province ranking',
      agencies: { police: 'Police', health: 'Health', education: 'Education', customs: 'Customs', 'legal-aid': 'Legal aid', 'border-guard': 'Border Guard' },
    },
  };

  const LOCALE = { vi: 'vi-VN', en: 'en-GB' };
  const ROMAN = ['I', 'II', 'III', 'IV'];
  const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

  function make(lang) {
    const words = TEXT[lang];
    const t = (key) => words[key] ?? TEXT.vi[key] ?? key;
    const number = (v, digits = 1) => Number(v).toLocaleString(LOCALE[lang], { minimumFractionDigits: 0, maximumFractionDigits: digits });
    // "82,1 %" / "82.1 %"; a change always carries its sign: "+18,6 %", "−5 %".
    const percent = (v, change) => {
      if (v === null || v === undefined) return '—';
      const text = Number(v).toLocaleString(LOCALE[lang], { maximumFractionDigits: 1, signDisplay: change ? 'exceptZero' : 'auto' });
      return `${text.replace('-', '−')} %`;
    };
    const pad = (n) => String(n).padStart(2, '0');
    // dd/mm/yyyy in both languages: what Vietnamese documents use, and unambiguous in en-GB.
    const date = (iso) => {
      const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || '');
      return m ? `${m[3]}/${m[2]}/${m[1]}` : iso || '—';
    };
    const dateTime = (d) => `${pad(d.getHours())}:${pad(d.getMinutes())} ${pad(d.getDate())}/${pad(d.getMonth() + 1)}/${d.getFullYear()}`;
    const period = (p) => {
      let m = /^(\d{4})$/.exec(p);
      if (m) return lang === 'vi' ? `Năm ${m[1]}` : m[1];
      m = /^(\d{4})-Q([1-4])$/.exec(p);
      if (m) return lang === 'vi' ? `Quý ${ROMAN[m[2] - 1]}/${m[1]}` : `Q${m[2]} ${m[1]}`;
      m = /^(\d{4})-(\d{2})$/.exec(p);
      if (m) return lang === 'vi' ? `Tháng ${Number(m[2])}/${m[1]}` : `${MONTHS_EN[m[2] - 1]} ${m[1]}`;
      return p;
    };
    const quarterName = (q) => (lang === 'vi' ? `Quý ${ROMAN[q - 1]}` : `Q${q}`);
    const monthName = (m) => (lang === 'vi' ? `Tháng ${m}` : MONTHS_EN[m - 1]);
    const status = (s) => (s in words && /^[A-Z_]+$/.test(s) ? words[s] : s);
    // "{agency}: đã báo cáo {reported}/{communes} xã ({percent})" with the values given.
    const fill = (key, values) => t(key).replace(/\{(\w+)\}/g, (m, name) => (name in values ? String(values[name]) : m));
    const agency = (a) => words.agencies[a] ?? a;
    return { lang, t, fill, number, percent, date, dateTime, period, quarterName, monthName, status, agency, figures: words.figures, details: words.details };
  }

  window.PCMT_I18N = { TEXT, make };
})();
