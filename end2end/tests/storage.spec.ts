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

// What a viewer may not read is left out: that needs a registry that grants
// per repository, and is checked against a token registry in the
// integration tests (search.rs, on_a_token_registry_…). Here, on htpasswd,
// the viewer reads every repository: the page says it is theirs alone, and
// holds exactly what the admin's does.
test('a viewer is told storage counts what they can read, which here is all the admin sees', async ({ page }, testInfo) => {
  await login(page, testInfo, ADMIN);
  await indexed(page);
  await page.goto(at('/storage'));
  await expect(page.getByTestId('storage-scope')).not.toContainText('Only the repositories you can read');
  const adminTotal = await page.getByTestId('storage-total').getAttribute('data-bytes');
  const rows = page.getByTestId('storage-repositories').locator('tr[data-repository]');
  const adminRepos = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-repository')));
  expect(adminRepos).toContain('library/alpine');
  await page.context().clearCookies();

  await login(page, testInfo, VIEWER);
  await page.goto(at('/storage'));
  await expect(page.getByTestId('storage-scope')).toContainText('Only the repositories you can read');
  await expect(page.getByTestId('storage-total')).toHaveAttribute('data-bytes', adminTotal!);
  expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-repository')))).toEqual(adminRepos);
});
