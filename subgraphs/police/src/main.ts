import { runStandalone, syntheticProvince } from '@pcmt/kit';
import { police } from './index.js';

await runStandalone(police, () => syntheticProvince());
