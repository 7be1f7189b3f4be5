import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { ADMIN, BASE, PAGES, at, login, ready } from './helpers';

// axe-core on every page, in both themes and both languages (chosen with
// the preference cookies, as the header's switches do): no serious or
// critical violation of WCAG 2.1 A/AA, colour contrast included.

const THEMES = ['light', 'dark'];
const LANGUAGES = ['en', 'zh-CN'];

test('every page passes axe in both themes and both languages', async ({ page, baseURL }, testInfo) => {
  test.skip(BASE !== '', 'once per suite run');
  test.setTimeout(240_000);
  await login(page, testInfo, ADMIN);
  const found: string[] = [];
  const check = async (where: string) => {
    const result = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze();
    for (const v of result.violations) {
      if (v.impact === 'serious' || v.impact === 'critical') {
        const targets = v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ');
        found.push(`${where}: ${v.id} (${v.impact}) ${v.nodes.length}× e.g. ${targets}`);
      }
    }
  };
  for (const theme of THEMES) {
    for (const lang of LANGUAGES) {
      await page.context().addCookies([
        { name: 'berth_theme', value: theme, url: baseURL! },
        { name: 'berth_lang', value: lang, url: baseURL! },
      ]);
      for (const [name, p] of PAGES) {
        const resp = await page.goto(at(p));
        // A screenshot of an error page is no screenshot of the page.
        expect(resp?.status(), `${name}: ${p}`).toBe(name === 'not-found' ? 404 : 200);
        await ready(page, testInfo);
        await check(`${name} ${theme} ${lang}`);
      }
      // The delete dialog, open.
      await page.goto(at('/r/library/alpine'));
      await ready(page, testInfo);
      await page.locator('tr[data-tag="3.18"] input[type=checkbox]').check();
      await page.locator('button.danger[type=submit]').click();
      await expect(page.locator('dialog[open] button.danger')).toBeVisible();
      await check(`delete-dialog ${theme} ${lang}`);
      await page.keyboard.press('Escape');
    }
  }
  // The login page, logged out.
  await page.context().clearCookies();
  await page.goto(at('/login'));
  await check('login');
  expect(found, found.join('\n')).toEqual([]);
});
