import { describe, expect, test } from '@jest/globals';
import { readPurpose } from './purpose.js';

describe('declared purpose', () => {
  test('is decoded, normalised and kept when it says something', () => {
    expect(readPurpose(encodeURIComponent('Điều tra vụ án VA-2026-00901'))).toEqual({ ok: true, purpose: 'Điều tra vụ án VA-2026-00901' });
    // Decomposed Vietnamese (another keyboard) is stored composed.
    expect(readPurpose(encodeURIComponent('Ðie\u0300u tri\u0323'.normalize('NFD')))).toEqual({ ok: true, purpose: 'Ðie\u0300u tri\u0323'.normalize('NFC') });
    expect(readPurpose('  follow-up   visit ')).toEqual({ ok: true, purpose: 'follow-up visit' });
  });

  test('blanks are no purpose; punctuation, digits or control characters are refused', () => {
    expect(readPurpose(undefined)).toEqual({ ok: true, purpose: null });
    expect(readPurpose('%20')).toEqual({ ok: true, purpose: null });
    expect(readPurpose('%09%20')).toEqual({ ok: true, purpose: null });
    for (const bad of ['.', '-%20-', '123', 'x', '%0Aaudit%20forged']) expect(readPurpose(bad)).toMatchObject({ ok: false });
  });

  test('malformed percent-encoding and repeated headers are refused, not crashed on', () => {
    expect(readPurpose('%E0%A4%A')).toEqual({ ok: false, reason: 'x-pcmt-purpose is not valid URL-encoded text' });
    expect(readPurpose('100%')).toMatchObject({ ok: false });
    expect(readPurpose(['a', 'b'])).toMatchObject({ ok: false });
    expect(readPurpose('a'.repeat(201))).toMatchObject({ ok: false });
  });
});
