import { expect, test, Page } from '@playwright/test';
import * as path from 'node:path';
import { ADMIN, BASE, PAGES, login, ready, at } from './helpers';

// Every page, desktop and phone, light and dark, as screenshots in
// end2end/artifacts/screens/ (README shows two). Once per suite run: with
// JavaScript on, without a base path.

const SIZES = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };

async function snap(page: Page, name: string) {
  const file = path.resolve(__dirname, '..', 'artifacts', 'screens', `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
}

test('screenshots of every page: desktop and phone, light and dark', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'js' || BASE !== '', 'once per suite run');
  test.setTimeout(180_000);
  await login(page, testInfo, ADMIN);
  for (const scheme of ['light', 'dark'] as const) {
    // Auto theme: the system's setting decides.
    await page.emulateMedia({ colorScheme: scheme });
    for (const [size, viewport] of Object.entries(SIZES)) {
      await page.setViewportSize(viewport);
      for (const [name, p] of PAGES) {
        const resp = await page.goto(at(p));
        // A screenshot of an error page is no screenshot of the page.
        expect(resp?.status(), `${name}: ${p}`).toBe(name === 'not-found' ? 404 : 200);
        await ready(page, testInfo);
        await snap(page, `${name}-${size}-${scheme}`);
      }
    }
  }
  await page.context().clearCookies();
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize(SIZES.desktop);
  await page.goto(at('/login'));
  await snap(page, 'login-desktop-light');
});

test('the theme switch works without JavaScript and the server renders the choice', async ({ page }, testInfo) => {
  await login(page, testInfo, ADMIN, '/r/library/alpine');
  const html = page.locator('html');
  await expect(html).not.toHaveAttribute('data-theme');
  const sw = page.getByTestId('theme-switch');
  await expect(sw.getByRole('link', { name: 'Auto' })).toHaveAttribute('aria-current', 'true');

  await sw.getByRole('link', { name: 'Dark' }).click();
  // Back on the same page, dark from the first byte.
  await expect(page).toHaveURL(new RegExp(`/r/library/alpine$`));
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await expect(sw.getByRole('link', { name: 'Dark' })).toHaveAttribute('aria-current', 'true');
  // The stylesheet may still be loading right after the redirect.
  await expect
    .poll(() => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor))
    .toBe('rgb(13, 17, 23)');
  const resp = await page.goto(at('/'));
  expect(await resp?.text()).toContain('data-theme="dark"');

  // A light choice wins over a dark system setting.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.getByTestId('theme-switch').getByRole('link', { name: 'Light' }).click();
  await expect(html).toHaveAttribute('data-theme', 'light');
  await expect
    .poll(() => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor))
    .toBe('rgb(245, 246, 248)');

  // Auto forgets the choice.
  await page.getByTestId('theme-switch').getByRole('link', { name: 'Auto' }).click();
  await expect(html).not.toHaveAttribute('data-theme');
  await expect
    .poll(() => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor))
    .toBe('rgb(13, 17, 23)');
});

test('a system set to dark gets the dark theme before any choice', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'dark', 'the dark project');
  await login(page, testInfo, ADMIN, '/r/library/alpine');
  await expect(page.locator('html')).not.toHaveAttribute('data-theme');
  await expect
    .poll(() => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor))
    .toBe('rgb(13, 17, 23)');
  // Text stays readable: light on dark.
  const color = await page.evaluate(() => getComputedStyle(document.body).color);
  const [r, g, b] = (color.match(/\d+/g) ?? []).map(Number);
  expect(r + g + b).toBeGreaterThan(500);
});
