import { describe, expect, test } from '@jest/globals';
import { parse } from 'graphql';
import { operationText } from './documents.js';

describe('operationText', () => {
  const document = parse(`
    fragment Z on Commune { name }
    query B { commune(code: "1") { ...Z } }
    query A { communes { code } }
    fragment Unused on Commune { code }`);

  test('the operation a name picks, with only the fragments it uses, printed', () => {
    expect(operationText(document, 'B')).toBe('query B {\n  commune(code: "1") {\n    ...Z\n  }\n}\n\nfragment Z on Commune {\n  name\n}');
    expect(operationText(document, 'A')).toBe('query A {\n  communes {\n    code\n  }\n}');
    expect(operationText(document, 'C')).toBeNull();
    // Two operations and no name: none is picked.
    expect(operationText(document)).toBeNull();
  });

  test('remembered per document and name: asking again (Apollo reuses the parsed document) gives the same text', () => {
    const first = operationText(document, 'B');
    expect(operationText(document, 'B')).toBe(first);
    expect(operationText(document, 'A')).not.toBe(first);
    // Another parse of another text is printed on its own.
    expect(operationText(parse('query B { communes { code } }'), 'B')).toBe('query B {\n  communes {\n    code\n  }\n}');
  });
});
