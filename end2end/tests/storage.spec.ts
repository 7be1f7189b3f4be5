// Where the space goes: the landing page's overview, and /storage with its
// server-drawn SVG charts. Plain HTML, so the same steps pass with
// JavaScript on and off.
import { expect, test } from '@playwright/test';
import { ADMIN, VIEWER, at, indexed, login, shot } from './helpers';

test('the landing page sums up the registry and leads to storage', async ({ page }, testInfo) => {
  await login(page, testInfo, ADMIN);
  await indexed(page);
  await page.goto(at('/'));
  const overview = page.getByTestId('dashboard');
  await expect(overview).toBeVisible();
  await expect(page.getByTestId('dashboard-repositories')).toHaveText(/^[1-9][0-9,]*$/);
  await expect(page.getByTestId('dashboard-largest').locator('li')).not.toHaveCount(0);
  await expect(page.getByTestId('dashboard-recent').locator('li')).not.toHaveCount(0);
  // The repository list is still there, below.
  await expect(page.locator('li[data-repo="library/alpine"]')).toBeVisible();
  await overview.getByRole('link', { name: 'Where the space goes →' }).click();
  await expect(page).toHaveURL(/\/storage$/);

  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Storage');
  await expect(page.getByTestId('storage-total')).toHaveText(/[0-9.]+ [KMG]?B/);
  const alpine = page.getByTestId('storage-repositories').locator('tr[data-repository="library/alpine"]');
  await expect(alpine).toBeVisible();
  // Its own and shared bytes add up to its total.
  const bytes = async (col: string) => Number(await alpine.locator(`td[data-col="${col}"]`).getAttribute('data-bytes'));
  const total = Number(await alpine.locator('td[data-bytes]').first().getAttribute('data-bytes'));
  expect(await bytes('exclusive') + await bytes('shared')).toBe(total);
  await expect(page.locator('svg.chart.bars')).toBeVisible();
  await expect(page.locator('svg.chart.bars a')).not.toHaveCount(0);
  await expect(page.locator('svg.chart.line path.chart-line')).toBeVisible();
  await expect(page.getByTestId('storage-layers').locator('tbody tr')).not.toHaveCount(0);
  await shot(page, testInfo, 'storage');
  // A bar is a link to its repository.
  await page.locator('svg.chart.bars a').first().click();
  await expect(page).toHaveURL(/\/r\/.+/);
});

test('a viewer sees storage for the repositories they can read', async ({ page }, testInfo) => {
  await login(page, testInfo, VIEWER);
  await page.goto(at('/storage'));
  await expect(page.getByTestId('storage-scope')).toContainText('Only the repositories you can read');
  await expect(page.getByTestId('storage-repositories').locator('tr[data-repository="library/alpine"]')).toBeVisible();
});
