import { runStandalone, syntheticProvince } from '@pcmt/kit';
import { program } from './index.js';

await runStandalone(program, () => syntheticProvince());
