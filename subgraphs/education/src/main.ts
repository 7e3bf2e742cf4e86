import { runStandalone, syntheticProvince } from '@pcmt/kit';
import { education } from './index.js';

await runStandalone(education, () => syntheticProvince());
