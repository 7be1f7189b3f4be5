import { expect, test } from '@playwright/test';
import { ADMIN, VIEWER, login, ready, shot, at } from './helpers';

// The registry sends its notifications to Berth (see global-setup.ts); the
// seeded pushes arrive once Berth answers, so pages are reloaded until then.

test('the audit log shows logins, filters them and exports them', async ({ page }, testInfo) => {
  await login(page, testInfo, ADMIN);
  await page.getByRole('link', { name: 'Audit log' }).click();
  await expect(page).toHaveURL(/\/admin\/audit$/);
  await ready(page, testInfo);
  const loginRow = page.locator('tr[data-action="login"][data-result="ok"]').first();
  await expect(loginRow).toContainText('admin');
  await expect(loginRow).toContainText('127.0.0.1');
  await shot(page, testInfo, 'audit');

  await page.locator('select[name=action]').selectOption('login');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/action=login/);
  await expect(page.locator('tr[data-action]').first()).toHaveAttribute('data-action', 'login');
  await expect(page.locator('tr[data-action="logout"]')).toHaveCount(0);

  // The export carries the same filter and the session's cookie.
  const href = await page.getByTestId('export-jsonl').getAttribute('href');
  expect(href).toContain('action=login');
  const resp = await page.request.get(href!);
  expect(resp.status()).toBe(200);
  const rows = (await resp.text()).trim().split('\n').map((l) => JSON.parse(l));
  expect(rows.length).toBeGreaterThan(0);
  expect(rows.every((r) => r.action === 'login')).toBe(true);
});

test('viewers are not shown the audit log', async ({ page }, testInfo) => {
  await login(page, testInfo, VIEWER);
  await expect(page.getByRole('link', { name: 'Audit log' })).toHaveCount(0);
  const resp = await page.goto(at('/admin/audit'));
  expect(resp?.status()).toBe(403);
  await expect(page.locator('tr[data-action]')).toHaveCount(0);
});

test('activity lists the pushes the registry reported', async ({ page }, testInfo) => {
  await login(page, testInfo, ADMIN);
  await page.getByRole('link', { name: 'Activity', exact: true }).click();
  await expect(page).toHaveURL(/\/activity$/);
  // Delivered once Berth was up: retried by the registry every second.
  await expect(async () => {
    await page.reload();
    await expect(page.locator('tr[data-action="push"][data-event-repository="library/alpine"]').first()).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await ready(page, testInfo);
  await shot(page, testInfo, 'activity');

  await page.locator('select[name=action]').selectOption('pull');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/action=pull/);
  await expect(page.locator('tr[data-action="push"]')).toHaveCount(0);
});

test('the tag list has pull columns and sorts by them', async ({ page }, testInfo) => {
  await login(page, testInfo, ADMIN, '/r/library/alpine');
  await expect(page.getByRole('columnheader', { name: 'Last pulled' })).toBeVisible();
  await expect(page.getByRole('columnheader', { name: 'Pulls (30 d)' })).toBeVisible();
  await expect(page.getByTestId('pulls-30d').first()).toHaveText(/^\d+$/);
  await page.getByRole('link', { name: 'pulls', exact: true }).click();
  await expect(page).toHaveURL(/\?sort=pulls$/);
  await ready(page, testInfo);
  await expect(page.locator('tr[data-tag]').first()).toBeVisible();
  await shot(page, testInfo, 'tags-pull-columns');
});
