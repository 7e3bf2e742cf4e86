import { runStandalone, syntheticProvince } from '@pcmt/kit';
import { borderGuard } from './index.js';

await runStandalone(borderGuard, () => syntheticProvince());
