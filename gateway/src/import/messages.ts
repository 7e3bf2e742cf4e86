// What a clerk reads in the error file: the reason in Vietnamese, naming the column by the header
// the clerk's own sheet uses. The checks themselves speak English (agency systems read them through
// the API); this is the one place that says them again for a person with a spreadsheet open.

type Rule = [RegExp, (m: RegExpExecArray, column: string) => string];

const RULES: Rule[] = [
  [/^is required$/, (_, c) => `Ô «${c}» đang để trống; cột này bắt buộc phải điền`],
  [/^is required (when|unless|on) (.*)$/, (m, c) => `Ô «${c}» đang để trống; phải điền trong trường hợp này (${m[2]})`],
  [/^"(.*)" is not a date/, (m, c) => `«${m[1]}» ở cột «${c}» không phải là ngày có thật; ghi theo dạng ngày/tháng/năm, ví dụ 07/03/2025`],
  [/^"(.*)" is not a whole number/, (m, c) => `«${m[1]}» ở cột «${c}» không phải là số nguyên`],
  [/^"(.*)" is not a number/, (m, c) => `«${m[1]}» ở cột «${c}» không phải là số`],
  [/^must be Có\/Không \(yes\/no\), not "(.*)"$/, (m, c) => `Cột «${c}» ghi Có hoặc Không (hoặc x), không ghi «${m[1]}»`],
  [/^unknown value "(.*)"; use (.*) or their Vietnamese names$/, (m, c) => `«${m[1]}» không có trong danh mục của cột «${c}»; xem các giá trị được dùng trong tệp mẫu (nút «Tải tệp mẫu» ở trang /import, hoặc npm run import -- <đơn vị> --template)`],
  [/^must be a 12-digit citizen identity number \(CCCD\)$/, (_, c) => `Cột «${c}» phải là số CCCD đủ 12 chữ số (nếu Excel làm mất số 0 ở đầu, hãy định dạng cột là Văn bản)`],
  [/^must be a 5-digit commune code$/, (_, c) => `Cột «${c}» phải là mã xã gồm 5 chữ số`],
  [/^unknown commune code (.*)$/, (m) => `Mã xã ${m[1]} không có trong danh mục đơn vị hành chính của tỉnh (sau sắp xếp từ 01/07/2025)`],
  [/^commune (.*) is outside your area/, (m) => `Xã ${m[1]} nằm ngoài địa bàn của người nhập; dòng này do đơn vị phụ trách địa bàn đó nhập`],
  [/^no person with citizen ID (.*) in the register$/, (m) => `Chưa có người mang số CCCD ${m[1]} trong cơ sở dữ liệu dân cư của công an; kiểm tra lại số CCCD`],
  [/^must not be in the future$/, (_, c) => `Ngày ở cột «${c}» chưa đến (sau hôm nay)`],
  [/^is listed twice$/, (_, c) => `Giá trị ở cột «${c}» bị ghi hai lần`],
  [/^unknown (school|enterprise|campaign|media outlet|case|seizure|licence|border gate|substance code) (.*)$/, (m, c) => `Cột «${c}»: không tìm thấy ${NOUNS[m[1]] ?? m[1]} ${m[2]}`],
  [/^must be a whole number( of mg)?$/, (m, c) => `Cột «${c}» phải là số nguyên${m[1] ? ' (mg)' : ''}`],
  [/^is not a field of this input$/, (_, c) => `Cột «${c}» không dùng cho loại dữ liệu này`],
];

const NOUNS: Record<string, string> = {
  school: 'trường',
  enterprise: 'doanh nghiệp',
  campaign: 'đợt tuyên truyền',
  'media outlet': 'cơ quan báo chí',
  case: 'vụ án',
  seizure: 'vụ bắt giữ',
  licence: 'giấy phép',
  'border gate': 'cửa khẩu',
  'substance code': 'mã chất',
};

/** The reason for a refused cell in Vietnamese; a reason no rule knows keeps its English text after a Vietnamese lead. */
export function explainInVietnamese(column: string, reason: string): string {
  const text = reason.trim();
  for (const [pattern, say] of RULES) {
    const m = pattern.exec(text);
    if (m) return say(m, column);
  }
  return `Cột «${column}» không hợp lệ: ${text}`;
}
