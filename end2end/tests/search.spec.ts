// Search across the registry from the header's box: a plain GET form, so
// the same steps pass with JavaScript on and off.
import { expect, test } from '@playwright/test';
import { ADMIN, VIEWER, at, hasJs, indexed, login, ready } from './helpers';

test('the header search finds tags across repositories and opens one', async ({ page }, testInfo) => {
  await login(page, testInfo, ADMIN);
  await indexed(page);
  await page.goto(at('/'));
  await ready(page, testInfo);
  const box = page.getByRole('searchbox', { name: 'Search the registry (press /)' });
  await box.fill('alpine');
  await box.press('Enter');
  await expect(page).toHaveURL(/\/search\?q=alpine$/);
  await expect(page.getByTestId('search-summary')).toContainText('in 1 repository');
  const group = page.locator('section.search-group[data-repository="library/alpine"]');
  await expect(group.getByRole('link', { name: 'library/alpine' })).toBeVisible();
  await group.getByRole('link', { name: '3.19', exact: true }).click();
  await expect(page).toHaveURL(/\/r\/library\/alpine\/-\/tag\/3\.19$/);
});

test('search by platform and kind, and a mistake explained', async ({ page }, testInfo) => {
  await login(page, testInfo, VIEWER);
  await page.goto(at('/search?q=' + encodeURIComponent('platform:linux/arm64 kind:index')));
  await expect(page.locator('tr[data-hit="team-a/frontend/web:2.0"]')).toBeVisible();
  await expect(page.locator('tr[data-hit^="library/alpine:"]')).toHaveCount(0);
  const resp = await page.goto(at('/search?q=kind%3Acar'));
  expect(resp?.status()).toBe(400);
  await expect(page.getByRole('alert')).toContainText('There is no kind “car”');
});

test('the registry page shows the index and syncs on request', async ({ page }, testInfo) => {
  await login(page, testInfo, ADMIN);
  await indexed(page);
  await expect(page.getByTestId('index-holds')).toContainText('repositories');
  await page.getByTestId('index-sync-now').click();
  await expect(page).toHaveURL(/\/admin\/registry\?sync=asked$/);
  await expect(page.getByText('A sync was asked for')).toBeVisible();
});

test('with JavaScript, matches show under the box as you type; Esc closes them', async ({ page }, testInfo) => {
  test.skip(!hasJs(testInfo), 'needs JavaScript');
  await login(page, testInfo, ADMIN);
  await indexed(page);
  await page.goto(at('/activity'));
  await ready(page, testInfo);
  await page.keyboard.press('/');
  await page.keyboard.type('alpin');
  const list = page.getByTestId('search-suggestions');
  await expect(list.locator('a[data-suggestion="library/alpine:3.19"]')).toBeVisible();
  await expect(list.getByRole('link', { name: 'All results for “alpin”' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(list).toHaveCount(0);
  await page.keyboard.type('e');
  await list.locator('a[data-suggestion="library/alpine:3.19"]').click();
  await expect(page).toHaveURL(/\/r\/library\/alpine\/-\/tag\/3\.19$/);
});
