import { runStandalone, syntheticProvince } from '@pcmt/kit';
import { legalAid } from './index.js';

await runStandalone(legalAid, () => syntheticProvince());
