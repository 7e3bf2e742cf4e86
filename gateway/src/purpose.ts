/**
 * The declared purpose of a read (x-pcmt-purpose, URL-encoded so Vietnamese survives HTTP
 * headers). It is written into the audit log, so it must say something: at least two letters once
 * decoded; blanks alone count as no purpose at all.
 */
export type PurposeCheck = { ok: true; purpose: string | null } | { ok: false; reason: string };

export const PURPOSE_MAX = 200;

export function readPurpose(header: string | string[] | undefined): PurposeCheck {
  if (header === undefined) return { ok: true, purpose: null };
  if (Array.isArray(header)) return { ok: false, reason: 'give x-pcmt-purpose once' };
  let decoded: string;
  try {
    decoded = decodeURIComponent(header);
  } catch {
    return { ok: false, reason: 'x-pcmt-purpose is not valid URL-encoded text' };
  }
  // Control characters would let a purpose forge lines in logs and exports.
  if (/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/.test(decoded)) return { ok: false, reason: 'x-pcmt-purpose must not contain control characters' };
  const purpose = decoded.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (purpose === '') return { ok: true, purpose: null };
  if ((purpose.match(/\p{L}/gu) ?? []).length < 2) return { ok: false, reason: 'x-pcmt-purpose must say in words why the data is read' };
  if (purpose.length > PURPOSE_MAX) return { ok: false, reason: `x-pcmt-purpose is longer than ${PURPOSE_MAX} characters` };
  return { ok: true, purpose };
}
