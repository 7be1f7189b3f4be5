import { expect, test } from '@playwright/test';
import { ADMIN, VIEWER, indexed, login, ready, shot, at } from './helpers';

test('an admin deletes a tag after seeing every tag that goes with it', async ({ page }, testInfo) => {
  const repo = `e2e/delete-${testInfo.project.name}`;
  await login(page, testInfo, ADMIN, `/r/${repo}`);
  // What the delete frees comes from the index.
  await indexed(page);
  await page.goto(at(`/r/${repo}`));
  await ready(page, testInfo);
  await expect(page.locator('tr[data-tag]')).toHaveCount(3);
  await page.getByLabel('Select doomed', { exact: true }).check();
  await page.getByRole('button', { name: 'Delete selected…' }).click();

  if (testInfo.project.name === 'js') {
    // An in-page dialog: no navigation, fresh digests from the server.
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByTestId('sibling-warning')).toBeVisible();
    await expect(dialog.locator('td.siblings')).toHaveText('doomed-alias');
    await expect(dialog.getByTestId('frees')).toContainText(/garbage-collect would free/);
    await expect(page).toHaveURL(new RegExp(`/r/${repo}$`));
    await shot(page, testInfo, 'delete-dialog');
    await dialog.getByRole('button', { name: 'Delete 1 manifest' }).click();
    await expect(dialog.getByText('Deleted 1 of 1 manifest.')).toBeVisible();
    await shot(page, testInfo, 'delete-done');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expect(page.locator('tr[data-tag]')).toHaveCount(1);

    // The tag page's delete link opens the confirm page, which deletes in place.
    await page.locator('table.tags').getByRole('link', { name: 'keep' }).click();
    await page.getByRole('link', { name: 'Delete this image…' }).click();
    await expect(page).toHaveURL(new RegExp(`/r/${repo}/-/delete\\?tags=keep$`));
    await ready(page, testInfo);
    await expect(page.getByTestId('sibling-warning')).toHaveCount(0);
    await page.getByRole('button', { name: 'Delete 1 manifest' }).click();
    await expect(page.getByText('Deleted 1 of 1 manifest.')).toBeVisible();
    await page.goto(at(`/r/${repo}`));
    await expect(page.locator('tr[data-tag]')).toHaveCount(0);
  } else {
    await expect(page).toHaveURL(new RegExp(`/r/${repo}/-/delete\\?tag=doomed$`));
    await expect(page.getByTestId('sibling-warning')).toBeVisible();
    await expect(page.locator('td.siblings')).toHaveText('doomed-alias');
    await expect(page.getByTestId('frees')).toContainText(/garbage-collect would free/);
    await shot(page, testInfo, 'delete-confirm');
    await page.getByRole('button', { name: 'Delete 1 manifest' }).click();
    await expect(page).toHaveURL(new RegExp(`/r/${repo}\\?deleted=1$`));
    await expect(page.getByText(/Deleted 1 manifest\./)).toBeVisible();
    await shot(page, testInfo, 'delete-done');
    await expect(page.locator('tr[data-tag]')).toHaveCount(1);
    await expect(page.locator('tr[data-tag="keep"]')).toHaveCount(1);
  }
});

test('a viewer sees no delete controls', async ({ page }, testInfo) => {
  await login(page, testInfo, VIEWER, '/r/library/alpine');
  await expect(page.locator('.role')).toHaveText('viewer');
  await expect(page.locator('tr[data-tag]')).toHaveCount(4);
  // The tick boxes only lead to the compare page.
  await expect(page.getByRole('button', { name: 'Compare the two ticked' })).toHaveCount(1);
  await expect(page.getByRole('button', { name: /Delete/ })).toHaveCount(0);
  await shot(page, testInfo, 'viewer-repository');
  await page.goto(at('/r/library/alpine/-/tag/3.19'));
  await expect(page.getByRole('link', { name: /Delete/ })).toHaveCount(0);
  const resp = await page.goto(at('/r/library/alpine/-/delete?tag=3.19'));
  expect(resp?.status()).toBe(403);
  // Nor the admin-only registry page.
  await expect(page.getByRole('link', { name: 'Registry', exact: true })).toHaveCount(0);
  expect((await page.goto(at('/admin/registry')))?.status()).toBe(403);
});

// Real data: one image under 300 tags (`e2e/one-image`, build-001…300).
test('one image under 300 tags: short rows, and a delete that names 20 then counts the rest', async ({ page }, testInfo) => {
  const repo = 'e2e/one-image';
  await login(page, testInfo, ADMIN, `/r/${repo}`);
  await ready(page, testInfo);
  await expect(page.locator('tr[data-tag]')).toHaveCount(300);
  // A row names three of the 299 others and links the rest to the tag page.
  const row = page.locator('tr[data-tag="build-001"]');
  await expect(row.locator('.shared')).toContainText('build-002, build-003, build-004');
  await expect(row.locator('.shared')).not.toContainText('build-005');
  const more = row.getByTestId('same-digest-more');
  await expect(more).toHaveText('+296 more: same image');
  await more.click();
  await expect(page).toHaveURL(/\/-\/tag\/build-001#same-digest$/);
  await expect(page.locator('#same-digest')).toContainText('build-300');

  await page.goto(at(`/r/${repo}`));
  await ready(page, testInfo);
  await page.getByLabel('Select build-001', { exact: true }).check();
  await page.getByRole('button', { name: 'Delete selected…' }).click();
  if (testInfo.project.name === 'js') {
    // The dialog names 20 of the tags that go with it; the rest open on a click.
    const cell = page.getByRole('dialog').locator('td.siblings');
    const named = (await cell.getByTestId('siblings-named').innerText()).split(', ');
    expect(named).toHaveLength(20);
    expect(named[0]).toBe('build-002');
    const rest = cell.getByTestId('more-siblings');
    await expect(rest.locator('summary')).toHaveText('and 279 more');
    await rest.locator('summary').click();
    await expect(rest).toContainText('build-300');
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);
  } else {
    // The confirmation page names every one of them.
    await expect(page).toHaveURL(/\/-\/delete\?/);
    const all = (await page.locator('td.siblings').innerText()).split(', ');
    expect(all).toHaveLength(299);
    expect(all).toContain('build-300');
  }
  // Nothing was deleted.
  await page.goto(at(`/r/${repo}`));
  await expect(page.locator('tr[data-tag]')).toHaveCount(300);
});
