import type { EntityManager } from '@mikro-orm/core';
import type { InputErrors } from './validation.js';

/**
 * How one kind of spreadsheet row becomes a write in a subgraph. The import command reads the
 * file, maps headers to fields, calls `parse` (strings to a typed input, collecting field errors),
 * then `write` through the same code path as the matching mutation, one transaction per row,
 * with `key` as the idempotency key so a re-run imports nothing twice.
 */
export interface Importer<I = any> {
  /** e.g. 'dose-records'; chosen with --kind when a subgraph has several. */
  name: string;
  description: string;
  /** field → accepted headers (Vietnamese and English; matched ignoring case, diacritics and spaces). */
  columns: Record<string, string[]>;
  parse(row: Record<string, string>, errs: InputErrors): I;
  /** Natural key of the row (e.g. enrolment + day), so the same record is never imported twice. */
  key(input: I): string;
  /** Returns whether the row had been imported before (nothing written this time). */
  write(em: EntityManager, input: I, idempotencyKey: string): Promise<{ replayed: boolean }>;
}

/** `Ngày cấp phát` → `ngaycapphat`: headers are matched this way. */
export function normalizeHeader(header: string): string {
  return header
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}
