import { loadGatewayConfig } from './config.js';
import { startGateway } from './gateway.js';

const config = loadGatewayConfig();
const gateway = await startGateway(config);
gateway.log.info({ url: gateway.url }, 'gateway ready');

// This process owns its signals (node is PID 1's only child under `init: true`): the first SIGTERM
// or SIGINT drains in-flight requests and exits 0; later ones are noted and ignored.
let stopping = false;
const stop = async (signal: NodeJS.Signals) => {
  if (stopping) {
    gateway.log.info({ signal }, 'already shutting down');
    return;
  }
  stopping = true;
  gateway.log.info({ signal, graceMs: config.shutdownGraceMs }, 'shutting down');
  // close() cuts what is left after the grace period; this bounds a close() that hangs anyway,
  // so the process is gone before the orchestrator's SIGKILL.
  setTimeout(() => {
    gateway.log.error('shutdown did not finish in time; exiting');
    process.exit(1);
  }, config.shutdownGraceMs + 5_000).unref();
  try {
    await gateway.close();
  } catch (err) {
    gateway.log.error({ err }, 'shutdown failed');
    process.exit(1);
  }
  gateway.log.info('stopped');
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
