import { loadGatewayConfig } from './config.js';
import { startGateway } from './gateway.js';

const gateway = await startGateway(loadGatewayConfig());
gateway.log.info({ url: gateway.url }, 'gateway ready');
const stop = async () => {
  await gateway.close();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
