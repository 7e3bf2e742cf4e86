export * from './documents.js';
export * from './registry.js';
export * from './shipped.js';
export * from './sql.js';
export * from './checks.js';
