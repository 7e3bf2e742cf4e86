import { test } from '@jest/globals';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';

/** The browser tests' chromium: Debian's unless PCMT_CHROMIUM says otherwise. */
export const CHROMIUM = process.env.PCMT_CHROMIUM ?? '/usr/bin/chromium';

export const DESKTOP = { width: 1440, height: 900 };
export const PHONE = { width: 390, height: 844 };

/**
 * `test` for a test that needs the browser. CI installs Debian's chromium, so there a missing one
 * fails; a developer machine without it skips loudly instead. They run in the SQLite run only: a
 * page is the same whichever database the subgraphs use (the PostgreSQL run checks the same answers
 * through the API), and a second browser run would cost CI minutes for nothing new.
 */
export function browserTests(what: string): typeof test {
  if (process.env.PCMT_TEST_POSTGRES_URL) {
    console.warn(`${what} browser tests run on the default (SQLite) run only`);
    return test.skip as typeof test;
  }
  if (existsSync(CHROMIUM)) return test;
  console.warn(`${what} browser tests skipped: no ${CHROMIUM} (apt-get install chromium)`);
  return process.env.CI ? test : (test.skip as typeof test);
}

/** Headless chromium without the background traffic that would show up as failed requests; undefined when missing. */
export async function launchBrowser(): Promise<Browser | undefined> {
  if (!existsSync(CHROMIUM)) return undefined;
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Every console error, page error, failed request and HTTP error of a page from now on, for the
 * test to expect empty. `ignoreConsole` leaves out console errors the page cannot help (a favicon).
 */
export function pageProblems(page: Page, ignoreConsole: (m: ConsoleMessage) => boolean = () => false): string[] {
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && !ignoreConsole(m) && problems.push(`console: ${m.text()} (${m.location().url})`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()}: ${r.url()}`));
  return problems;
}

/**
 * The text a reader sees, leaving out hidden parts and names of places and documents quoted in the
 * other language (`lang`); map tooltips (checked on their own) hold a place name beside the status words.
 */
export function visibleText(page: Page, lang: 'vi' | 'en'): Promise<string> {
  return page.evaluate((viewLang) => {
    const root = (globalThis as any).document.body.cloneNode(true);
    for (const n of root.querySelectorAll(`[lang]:not([lang="${viewLang}"]), script, datalist, [hidden], svg title`)) n.remove();
    return root.innerText ?? root.textContent;
  }, lang);
}
