import { runStandalone, syntheticProvince } from '@pcmt/kit';
import { health } from './index.js';

await runStandalone(health, () => syntheticProvince());
