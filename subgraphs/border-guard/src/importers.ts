import { cellCitizenId, cellDay, cellLabel, cellNumber, cellText, labelIndex, type Importer } from '@pcmt/kit';
import { BorderRoute } from './entities.js';
import { type RegisterBorderGuardSeizureInput } from './inputs.js';
import { registerBorderGuardSeizure, SEIZURE_ID } from './writes.js';

/** Route labels the posts' staff type, besides the enum names (matched like headers). */
const ROUTES = labelIndex<BorderRoute>({
  [BorderRoute.LAND_BORDER]: ['Đường bộ', 'Biên giới đất liền', 'Tuyến biên giới đất liền', 'land border', 'land'],
  [BorderRoute.SEA]: ['Đường biển', 'Tuyến biển', 'Biển', 'sea'],
});

/** Sổ theo dõi vụ bắt giữ of a post: one row per seizure of one substance; the persons held as citizen IDs separated by ';'. */
export const seizuresImporter: Importer<RegisterBorderGuardSeizureInput> = {
  name: 'seizures',
  description: 'Vụ bắt giữ của Bộ đội Biên phòng: one row per seizure (one substance), recorded with its suspects',
  columns: {
    id: ['Số vụ', 'Mã vụ bắt giữ', 'seizure id'],
    seizedOn: ['Ngày bắt giữ', 'seized on'],
    communeCode: ['Mã xã', 'commune code'],
    route: ['Tuyến', 'Tuyến vận chuyển', 'route'],
    place: ['Địa điểm', 'place'],
    postCode: ['Mã đồn', 'Đồn biên phòng', 'post code'],
    substanceCode: ['Mã chất ma túy', 'Loại ma túy', 'substance code'],
    quantityKg: ['Khối lượng (kg)', 'Khối lượng', 'kg'],
    suspects: ['Số CCCD đối tượng', 'CCCD', 'suspects'],
  },
  parse(row, errs) {
    const seizedOn = cellDay(errs, 'seizedOn', row.seizedOn);
    const route = cellLabel(errs, 'route', row.route, ROUTES);
    const quantityKg = cellNumber(errs, 'quantityKg', row.quantityKg);
    const input: RegisterBorderGuardSeizureInput = {
      id: cellText(row.id)?.toUpperCase() ?? '',
      seizedOn: seizedOn ?? '',
      communeCode: cellText(row.communeCode) ?? '',
      route: route as BorderRoute,
      place: cellText(row.place) ?? '',
      postCode: cellText(row.postCode)?.toUpperCase() ?? null,
      items: [{ substanceCode: cellText(row.substanceCode)?.toUpperCase() ?? '', quantityKg: quantityKg ?? 0 }],
      suspects: (cellText(row.suspects) ?? '').split(/[;,\s]+/).filter(Boolean).map((s) => cellCitizenId(s)),
    };
    // Format checks here too, so a bad row lists every problem before anything touches the database.
    errs.check(SEIZURE_ID.test(input.id), 'id', 'must be a seizure number BP-YYYY-NNNNN');
    errs.communeCodeFormat('communeCode', input.communeCode);
    input.suspects!.forEach((id, i) => errs.citizenId(`suspects.${i}`, id));
    return input;
  },
  key: (input) => `id:${input.id}`,
  async write(em, input, idempotencyKey) {
    const { replayed } = await registerBorderGuardSeizure(em, { ...input, idempotencyKey });
    return { replayed };
  },
};

export const importers = [seizuresImporter];
