// Spreadsheet import, shared by `npm run import` and the gateway's upload page (/import).
export * from './messages.js';
export * from './run.js';
export * from './sheet.js';
