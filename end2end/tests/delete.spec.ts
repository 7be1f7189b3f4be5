import { expect, test } from '@playwright/test';
import { ADMIN, VIEWER, login, ready, shot } from './helpers';

test('an admin deletes a tag after seeing every tag that goes with it', async ({ page }, testInfo) => {
  const repo = `e2e/delete-${testInfo.project.name}`;
  await login(page, testInfo, ADMIN, `/r/${repo}`);
  await expect(page.locator('tr[data-tag]')).toHaveCount(3);
  await page.getByLabel('Select doomed', { exact: true }).check();
  await page.getByRole('button', { name: 'Delete selected…' }).click();
  await expect(page).toHaveURL(new RegExp(`/r/${repo}/-/delete\\?tag=doomed$`));
  await ready(page, testInfo);
  // The sibling warning names the alias that disappears too.
  await expect(page.getByTestId('sibling-warning')).toBeVisible();
  await expect(page.locator('td.siblings')).toHaveText('doomed-alias');
  await shot(page, testInfo, 'delete-confirm');
  await page.getByRole('button', { name: 'Delete 1 manifest' }).click();
  if (testInfo.project.name === 'js') {
    // Deleted in place, with progress and the result.
    await expect(page.getByText('Deleted 1 of 1 manifest(s).')).toBeVisible();
    await shot(page, testInfo, 'delete-done');
    await page.getByRole('link', { name: 'Back to the repository' }).click();
  } else {
    await expect(page).toHaveURL(new RegExp(`/r/${repo}\\?deleted=1$`));
    await expect(page.getByText(/Deleted 1 manifest\./)).toBeVisible();
    await shot(page, testInfo, 'delete-done');
  }
  await page.reload();
  await expect(page.locator('tr[data-tag]')).toHaveCount(1);
  await expect(page.locator('tr[data-tag="keep"]')).toHaveCount(1);
});

test('a viewer sees no delete controls', async ({ page }, testInfo) => {
  await login(page, testInfo, VIEWER, '/r/library/alpine');
  await expect(page.locator('.role')).toHaveText('viewer');
  await expect(page.locator('tr[data-tag]')).toHaveCount(4);
  await expect(page.locator('input[type=checkbox]')).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Delete/ })).toHaveCount(0);
  await shot(page, testInfo, 'viewer-repository');
  await page.goto('/r/library/alpine/-/tag/3.19');
  await expect(page.getByRole('link', { name: /Delete/ })).toHaveCount(0);
  const resp = await page.goto('/r/library/alpine/-/delete?tag=3.19');
  expect(resp?.status()).toBe(403);
});
