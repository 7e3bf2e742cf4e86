export * from './cache.js';
export * from './config.js';
export * from './gateway.js';
export * from './supergraph.js';
export * from './auth.js';
export * from './dev-keys.js';
export * from './roles.js';
