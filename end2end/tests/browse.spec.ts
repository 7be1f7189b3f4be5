import { expect, test } from '@playwright/test';
import { ADMIN, BASE, hasJs, login, ready, shot, at, HOME } from './helpers';

test.beforeEach(async ({ page }, testInfo) => {
  await login(page, testInfo, ADMIN);
});

test('copy buttons show only where they work; the command is always there', async ({ page }, testInfo) => {
  await page.goto(at('/r/library/alpine/-/tag/3.20'));
  await ready(page, testInfo);
  const pull = page.getByTestId('pull-commands');
  await expect(pull.locator('code.pull-cmd').first()).toBeVisible();
  await expect(pull.locator('code.pull-cmd').first()).toContainText('/library/alpine:3.20');
  if (hasJs(testInfo)) {
    await expect(pull.locator('button.copy').first()).toBeVisible();
  } else {
    await expect(pull.locator('button.copy')).toHaveCount(2);
    await expect(pull.locator('button.copy').first()).toBeHidden();
  }
});

test('repositories are grouped by namespace and filter', async ({ page }, testInfo) => {
  await expect(page.getByTestId('repo-count')).toHaveText(/^\d+ repositories$/);
  await expect(page.getByRole('heading', { name: 'team-a/backend' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'my_tool.cli' })).toBeVisible();
  await shot(page, testInfo, 'repositories');

  const box = page.getByRole('searchbox', { name: 'Filter repositories' });
  if (testInfo.project.name === 'js') {
    // Live, as you type: no navigation.
    await box.pressSequentially('team-a');
    await expect(page.getByTestId('repo-count')).toHaveText(/^2 of \d+ repositories$/);
    await expect(page).toHaveURL(HOME);
  } else {
    await box.fill('team-a');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect(page).toHaveURL(/\?q=team-a$/);
    await expect(page.getByTestId('repo-count')).toHaveText(/^2 of \d+ repositories$/);
  }
  // The list is filtered (the overview above it is not part of the list).
  await expect(page.locator('.groups').getByRole('link', { name: 'alpine' })).toHaveCount(0);
  await shot(page, testInfo, 'repositories-filtered');
});

test('tags sort by version and by date, kept in the URL', async ({ page }, testInfo) => {
  await page.locator('.groups').getByRole('link', { name: 'api', exact: true }).click();
  await expect(page).toHaveURL(/\/r\/team-a\/backend\/api$/);
  await ready(page, testInfo);
  const order = () => page.locator('tr[data-tag]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-tag')));
  await expect.poll(order).toEqual(['v1.10.0', 'v1.2.0', 'v1.9.0', 'v2.0.0-rc1']);
  await shot(page, testInfo, 'repository');

  await page.getByRole('link', { name: 'version', exact: true }).click();
  await expect(page).toHaveURL(/\?sort=version$/);
  await expect.poll(order).toEqual(['v2.0.0-rc1', 'v1.10.0', 'v1.9.0', 'v1.2.0']);

  await page.getByRole('link', { name: 'date', exact: true }).click();
  await expect(page).toHaveURL(/\?sort=date$/);
  await expect.poll(order).toEqual(['v1.2.0', 'v1.10.0', 'v2.0.0-rc1', 'v1.9.0']);
  await shot(page, testInfo, 'repository-by-date');

  // Sizes, dates and the shared-digest marker are on the alpine page.
  await page.goto(at('/r/library/alpine'));
  await expect(page.locator('tr[data-tag="latest"] .shared')).toHaveText('same digest as 3.20');
  await expect(page.locator('tr[data-tag="3.18"] time')).toContainText('2024-03-15 10:00 UTC');
});

test('a tag page shows config, layers, history and the raw manifest', async ({ page }, testInfo) => {
  await page.goto(at('/r/team-a/backend/api'));
  await ready(page, testInfo);
  await page.locator('table.tags').getByRole('link', { name: 'v1.9.0' }).click();
  await expect(page).toHaveURL(/\/r\/team-a\/backend\/api\/-\/tag\/v1.9.0$/);
  await expect(page.getByRole('heading', { name: 'team-a/backend/api:v1.9.0' })).toBeVisible();
  await expect(page.getByTestId('digest')).toHaveText(/^sha256:[0-9a-f]{64}$/);
  await expect(page.getByText('/app/server').first()).toBeVisible();
  await expect(page.getByText('8080/tcp')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Layers (2)' })).toBeVisible();
  await expect(page.locator('.history .badge')).toHaveText(['empty layer']);
  await expect(page.locator('details.raw pre')).toBeHidden();
  await page.getByText('Raw manifest JSON').click();
  await expect(page.locator('details.raw pre')).toContainText('"schemaVersion": 2');
  await shot(page, testInfo, 'tag');

  await page.goto(at('/r/team-a/frontend/web/-/tag/2.0'));
  await expect(page.getByRole('heading', { name: 'Platforms (2)' })).toBeVisible();
  await expect(page.getByTestId('platform-choice')).toHaveText(['linux/amd64', 'linux/arm64/v8']);
  await expect(page.locator('section.platform h3')).toContainText('linux/amd64');
  await page.getByTestId('platform-choice').filter({ hasText: 'linux/arm64/v8' }).click();
  await expect(page.locator('section.platform h3')).toContainText('linux/arm64/v8');
  await expect(page.locator('section.platform')).toHaveCount(1);
  // The pull command by tag and by digest; deleting comes last.
  await expect(page.getByTestId('pull-commands')).toContainText('/team-a/frontend/web:2.0');
  await expect(page.getByTestId('pull-commands')).toContainText('/team-a/frontend/web@sha256:');
  await shot(page, testInfo, 'tag-multi-arch');
});

test('unknown repositories get a clear not-found page', async ({ page }, testInfo) => {
  const resp = await page.goto(at('/r/no/such/repo'));
  expect(resp?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
  await shot(page, testInfo, 'not-found');
});

// Run with and without BERTH_BASE_PATH: no link, form, script or stylesheet
// may leave the base path (behind a proxy it would miss Berth).
test('every link, form and asset stays under the base path', async ({ page }) => {
  for (const path of ['/', '/r/library/alpine', '/r/library/alpine/-/tag/3.19', '/activity', '/admin/audit']) {
    const resp = await page.goto(at(path));
    expect(resp?.status(), path).toBe(200);
    const targets = await page.evaluate(() => [
      ...Array.from(document.querySelectorAll('a[href]')).map((e) => e.getAttribute('href')!),
      ...Array.from(document.querySelectorAll('form[action]')).map((e) => e.getAttribute('action')!),
      ...Array.from(document.querySelectorAll('link[href]')).map((e) => e.getAttribute('href')!),
      ...Array.from(document.querySelectorAll('script[src]')).map((e) => e.getAttribute('src')!),
    ]);
    const local = targets.filter((t) => t.startsWith('/'));
    expect(local.length, path).toBeGreaterThan(3);
    for (const t of local) {
      expect(t === BASE || t.startsWith(`${BASE}/`) || t.startsWith(`${BASE}?`), `${path}: ${t}`).toBe(true);
    }
  }
});
