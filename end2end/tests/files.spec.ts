import { expect, test } from '@playwright/test';
import { ADMIN, VIEWER, at, login, ready, shot } from './helpers';

// The demo's library/alpine: 3.18 and 3.19 each have two one-file layers,
// /etc/os-release (VERSION=…) and /bin/tool.

test('browse an image\'s files, filter, pick a layer, open and download a file', async ({ page }, testInfo) => {
  await login(page, testInfo, VIEWER, '/r/library/alpine/-/tag/3.19');
  await page.getByTestId('browse-files').click();
  await expect(page).toHaveURL(/\/r\/library\/alpine\/-\/files\/3\.19$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Files of library/alpine:3.19');
  const rows = page.getByTestId('files-table').locator('tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(page.getByTestId('size-bars')).toContainText('/bin:');
  await shot(page, testInfo, 'files');

  // The filter is a GET form: it works with and without JavaScript.
  await page.getByTestId('files-filter').fill('OS-REL');
  await page.getByRole('button', { name: 'Show', exact: true }).click();
  await expect(page).toHaveURL(/q=OS-REL/);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('/etc/os-release');

  // One layer.
  await page.getByTestId('files-filter').fill('');
  await page.getByTestId('files-layer').selectOption({ index: 2 });
  await page.getByRole('button', { name: 'Show', exact: true }).click();
  await expect(page).toHaveURL(/layer=1/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Layer 2 of library/alpine:3.19');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('/bin/tool');

  // Open a file from the merged view, and download it.
  await page.goto(at('/r/library/alpine/-/files/3.19'));
  await page.getByRole('link', { name: '/etc/os-release' }).first().click();
  await expect(page).toHaveURL(/path=%2Fetc%2Fos%2Drelease/);
  await expect(page.getByTestId('file-text')).toContainText('VERSION=3.19');
  await shot(page, testInfo, 'file-open');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('download').click(),
  ]);
  expect(download.suggestedFilename()).toBe('os-release');
  const chunks: Buffer[] = [];
  for await (const c of (await download.createReadStream())!) chunks.push(c as Buffer);
  expect(Buffer.concat(chunks).toString()).toBe('VERSION=3.19\n');

  // A path the image does not have.
  const resp = await page.goto(at('/r/library/alpine/-/files/3.19?path=%2Fetc%2Fshadow'));
  expect(resp?.status()).toBe(404);
  await expect(page.getByRole('alert')).toContainText('The image has no /etc/shadow');
});

test('compare two ticked tags, and "compare with…" from a tag page', async ({ page }, testInfo) => {
  await login(page, testInfo, VIEWER, '/r/library/alpine');
  await ready(page, testInfo);
  await page.locator('tr[data-tag="3.18"] input[type=checkbox]').check();
  await page.locator('tr[data-tag="3.19"] input[type=checkbox]').check();
  await page.getByRole('button', { name: 'Compare the two ticked' }).click();
  await expect(page).toHaveURL(/\/-\/compare\?tag=3\.18&tag=3\.19$/);
  await expect(page.getByTestId('compare-file-counts')).toHaveText('0 added, 0 removed, 2 changed');
  await expect(page.getByTestId('compare-layers').locator('tr[data-change="added"]')).toHaveCount(2);
  const diff = page.locator('pre[data-path="/etc/os-release"]');
  await expect(diff).toContainText('-VERSION=3.18');
  await expect(diff).toContainText('+VERSION=3.19');
  await shot(page, testInfo, 'compare');

  await page.goto(at('/r/library/alpine/-/tag/3.20'));
  const menu = page.getByTestId('compare-with');
  await menu.getByRole('combobox').selectOption('3.18');
  await menu.getByRole('button', { name: 'Compare' }).click();
  await expect(page).toHaveURL(/\/-\/compare\?a=3\.20&b=3\.18$/);
  await expect(page.getByTestId('compare-summary')).toContainText('library/alpine:3.20');
  await expect(page.getByTestId('compare-file-counts')).toContainText('changed');
});

test('an admin reaches the files from each layer of the layer table', async ({ page }, testInfo) => {
  await login(page, testInfo, ADMIN, '/r/library/alpine/-/tag/3.18');
  await page.locator('table.layers').first().getByRole('link', { name: 'files' }).first().click();
  await expect(page).toHaveURL(/files\/3\.18\?layer=0$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Layer 1 of library/alpine:3.18');
});
