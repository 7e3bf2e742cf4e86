import { describe, expect, test } from '@jest/globals';
import { existsSync } from 'node:fs';
import { vendorPath } from './pages.js';

describe('vendor files', () => {
  test('every front-end library the pages load resolves to a file, whatever its package exports', () => {
    // chart.js 4.5 exports no package.json: the path is found from its entry point.
    for (const name of ['chart.umd.min.js', 'exceljs.min.js', 'react.production.min.js', 'react-dom.production.min.js', 'graphiql.min.js', 'graphiql.min.css']) {
      const path = vendorPath(name);
      expect(path && existsSync(path)).toBe(true);
    }
    expect(vendorPath('unknown.js')).toBeNull();
  });
});
