import { expect, test } from '@playwright/test';
import { ADMIN, hasJs, login, ready, at } from './helpers';

// The interactive parts are islands on server-rendered pages; these check
// the ones the other specs do not reach. Without JavaScript the same pages
// work as plain forms and links (the nojs project runs every other spec).

test('the copy button copies a row\'s pull command', async ({ page, context }, testInfo) => {
  test.skip(!hasJs(testInfo), 'needs JavaScript');
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await login(page, testInfo, ADMIN, '/r/library/alpine');
  const row = page.locator('tr[data-tag="3.19"]');
  const command = (await row.locator('.pull-cmd').textContent()) ?? '';
  expect(command).toMatch(/^docker pull \S+\/library\/alpine:3\.19$/);
  await row.getByRole('button', { name: 'Copy' }).click();
  await expect(row.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(command);

  // The tag page's copy button too.
  await page.goto(at('/r/library/alpine/-/tag/3.19'));
  await ready(page, testInfo);
  // By tag (the first), then by digest.
  await page.getByRole('button', { name: 'Copy' }).first().click();
  await expect(page.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(command);
});

test('compare needs exactly two ticked and delete one or more; without JavaScript the buttons stay usable', async ({ page }, testInfo) => {
  await login(page, testInfo, ADMIN, '/r/library/alpine');
  await ready(page, testInfo);
  const compare = page.getByRole('button', { name: 'Compare the two ticked' });
  const del = page.getByRole('button', { name: 'Delete selected…' });
  if (!hasJs(testInfo)) {
    // The pages they lead to say what was wrong (compare: "takes exactly two").
    await expect(compare).toBeEnabled();
    await expect(del).toBeEnabled();
    await page.getByLabel('Select 3.18', { exact: true }).check();
    await compare.click();
    await expect(page.getByTestId('compare-count')).toContainText('Compare takes two tags, and 1 was ticked');
    return;
  }
  await expect(compare).toBeDisabled();
  await expect(del).toBeDisabled();
  await page.getByLabel('Select 3.18', { exact: true }).check();
  await expect(compare).toBeDisabled();
  await expect(del).toBeEnabled();
  await page.getByLabel('Select 3.19', { exact: true }).check();
  await expect(compare).toBeEnabled();
  await page.getByLabel('Select 3.20', { exact: true }).check();
  await expect(compare).toBeDisabled();
  await page.getByLabel('Select 3.20', { exact: true }).uncheck();
  await compare.click();
  await expect(page).toHaveURL(/\/-\/compare\?tag=3\.18&tag=3\.19$/);
});

test('the delete dialog is modal, Esc closes it, and the ticks stay', async ({ page }, testInfo) => {
  test.skip(!hasJs(testInfo), 'needs JavaScript');
  await login(page, testInfo, ADMIN, '/r/library/alpine');
  const tick = page.getByLabel('Select 3.18', { exact: true });
  await tick.check();
  await page.getByRole('button', { name: 'Delete selected…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete images' });
  await expect(dialog.getByRole('button', { name: 'Delete 1 manifest' })).toBeVisible();
  // Modal: focus is inside the dialog, and Tab keeps it there.
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => !!document.activeElement?.closest('dialog'))).toBe(true);
  }
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  // Nothing was deleted, so the page stays as it was, ticks included.
  await expect(tick).toBeChecked();
  await expect(page.locator('tr[data-tag="3.18"]')).toHaveCount(1);
});

test('a page ships no row twice: a row is table HTML and nothing else', async ({ page }, testInfo) => {
  await login(page, testInfo, ADMIN, '/r/library/alpine');
  // The HTML as served: every row once, and what a row holds (its pull
  // command) nowhere outside the rows: not in a script, not in props.
  const served = await (await page.request.get(at('/r/library/alpine'))).text();
  const rows = served.match(/<tr data-tag="[^"]*">[\s\S]*?<\/tr>/g) ?? [];
  const tags = rows.map((r) => r.match(/^<tr data-tag="([^"]*)"/)![1]);
  expect(tags).toContain('3.18');
  expect(new Set(tags).size).toBe(tags.length);
  expect(rows.join('')).toContain('library/alpine:3.18');
  let outside = served;
  for (const r of rows) outside = outside.replace(r, '');
  expect(outside).not.toContain('library/alpine:3.18');
  expect(outside).toContain('<leptos-island');
  // In the browser, after the islands woke (with JavaScript), the same rows
  // and no more.
  await ready(page, testInfo);
  const live = await page.locator('tr[data-tag]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-tag')));
  expect(live).toEqual(tags);
});

test('the WASM is fetched after the page has loaded, and never preloaded', async ({ page }, testInfo) => {
  test.skip(!hasJs(testInfo), 'needs JavaScript');
  await login(page, testInfo, ADMIN);
  // Record when the page's load event fires and when the bundle is asked for.
  const wasm: number[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('.wasm')) wasm.push(Date.now());
  });
  await page.goto(at('/r/library/alpine'));
  const loaded = await page.evaluate(() => performance.timeOrigin + performance.getEntriesByType('navigation')[0].toJSON().loadEventStart);
  await ready(page, testInfo);
  expect(await page.locator('head link[rel="preload"], head link[rel="modulepreload"]').count()).toBe(0);
  expect(wasm.length).toBe(1);
  expect(wasm[0]).toBeGreaterThanOrEqual(Math.floor(loaded));
  // And the islands are live.
  await expect(page.locator('body[data-hydrated="true"] leptos-island')).not.toHaveCount(0);
});

test('Chromium gets the page in zstd and the bundle in its precompressed brotli', async ({ page }, testInfo) => {
  test.skip(!hasJs(testInfo), 'needs JavaScript');
  const encodings = new Map<string, string>();
  page.on('response', async (r) => {
    // The first answer of each kind: later ones may come from the browser's
    // cache (or as a 304), without the encoding they were sent in.
    const kind = r.request().resourceType() === 'document' ? 'page' : r.url().split('.').pop() ?? '';
    if (r.status() !== 200 || encodings.has(kind)) return;
    encodings.set(kind, (await r.allHeaders())['content-encoding'] ?? 'identity');
  });
  await login(page, testInfo, ADMIN);
  await page.goto(at('/r/library/alpine'));
  await ready(page, testInfo);
  await expect.poll(() => encodings.get('wasm')).toBe('br');
  expect(encodings.get('page')).toBe('zstd');
  expect(encodings.get('css')).toBe('br');
});

test('keyboard: / focuses the search box, j and k move through rows, Enter opens one', async ({ page }, testInfo) => {
  test.skip(!hasJs(testInfo), 'needs JavaScript');
  await login(page, testInfo, ADMIN);
  await page.keyboard.press('/');
  await expect(page.getByRole('searchbox', { name: 'Search the registry (press /)' })).toBeFocused();

  await page.goto(at('/r/team-a/backend/api'));
  await ready(page, testInfo);
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await page.keyboard.press('k');
  await expect(page.locator('tr.current')).toHaveAttribute('data-tag', 'v1.2.0');
  await expect(page.locator('tr.current').getByRole('link', { name: 'v1.2.0' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/r\/team-a\/backend\/api\/-\/tag\/v1\.2\.0$/);
});
