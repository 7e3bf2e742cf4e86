import { runStandalone, syntheticProvince } from '@pcmt/kit';
import { customs } from './index.js';

await runStandalone(customs, () => syntheticProvince());
