import { expect, test } from '@playwright/test';
import { ADMIN, VIEWER, at, indexed, login, shot } from './helpers';

// Each project has a scratch repository of its own (berth-seed --scratch):
// `keep`, and `doomed` with `doomed-alias` on one digest.
test('an admin writes a policy, reviews its dry run and applies it', async ({ page }, testInfo) => {
  const repo = `e2e/retention-${testInfo.project.name}`;
  const name = `e2e-${testInfo.project.name}`;
  await login(page, testInfo, ADMIN, '/admin/retention');
  // What the plan frees comes from the index.
  await indexed(page);
  await page.goto(at('/admin/retention'));
  await expect(page.getByRole('heading', { name: 'Retention policies' })).toBeVisible();

  const form = page.getByTestId('policy-form');
  // The browser checks the name too: its pattern compiles in Chromium
  // (which reads `pattern` with the `v` flag) and refuses a space.
  const nameField = form.getByLabel('Name', { exact: true });
  await nameField.fill('bad name');
  expect(await nameField.evaluate((el: HTMLInputElement) => el.validity.patternMismatch)).toBe(true);
  await nameField.fill(name);
  expect(await nameField.evaluate((el: HTMLInputElement) => el.validity.valid)).toBe(true);
  await form.getByLabel('Repositories', { exact: true }).fill(repo);
  await form.getByLabel('always keep tags matching (globs, comma-separated)').fill('keep');
  await form.getByRole('button', { name: 'Save policy' }).click();
  await expect(page.getByTestId('retention-saved')).toContainText(`Policy ${name} saved.`);
  const row = page.locator(`tr[data-policy="${name}"]`);
  await expect(row).toContainText('always: keep');
  await shot(page, testInfo, 'retention');

  // The dry run's page follows the run until its plan is there.
  await row.getByRole('button', { name: 'Dry run' }).click();
  await expect(page).toHaveURL(/\/admin\/retention\/runs\/\d+$/);
  await expect(page.getByTestId('run-status')).toHaveText('done', { timeout: 30_000 });
  const plan = page.locator(`.repo-plan[data-repository="${repo}"]`);
  await expect(plan.locator('table.plan-delete tr[data-tag]')).toHaveCount(2);
  await expect(plan.locator('tr[data-tag="doomed"]')).toContainText('matches no keep pattern');
  await expect(plan.locator('tr[data-tag="doomed-alias"]')).toHaveCount(1);
  await expect(page.getByTestId('plan-summary')).toContainText('2 tags, 1 manifest to delete');
  await expect(page.getByTestId('plan-json')).toHaveAttribute('href', /\/plan\.json$/);
  await shot(page, testInfo, 'retention-dry-run');

  // Apply: exactly that manifest goes, audited.
  await page.getByTestId('apply').click();
  await expect(page.getByTestId('run-status')).toHaveText('done', { timeout: 30_000 });
  await expect(page.getByTestId('run-outcome')).toBeVisible();
  await expect(page.getByRole('heading', { name: '1 of 1 manifest deleted' })).toBeVisible();
  await shot(page, testInfo, 'retention-applied');
  await page.goto(at(`/r/${repo}`));
  await expect(page.locator('tr[data-tag]')).toHaveCount(1);
  await expect(page.locator('tr[data-tag="keep"]')).toHaveCount(1);
  await page.goto(at(`/admin/audit?repository=${encodeURIComponent(repo)}`));
  await expect(page.getByTestId('audit-table')).toContainText(`retention policy "${name}"`);

  // Deleting the policy asks first; the dry run and apply are in the log.
  await page.goto(at('/admin/retention'));
  const del = page.locator(`tr[data-policy="${name}"]`).getByTestId('delete-policy');
  await expect(del.getByTestId('delete-policy-confirm')).toBeHidden();
  await del.getByText('Delete policy…').click();
  await expect(del).toContainText(`Delete the policy “${name}”? Only the policy goes`);
  await del.getByTestId('delete-policy-confirm').click();
  await expect(page.locator(`tr[data-policy="${name}"]`)).toHaveCount(0);
  await page.goto(at('/admin/audit?action=policy-delete'));
  await expect(page.getByTestId('audit-table')).toContainText(`policy "${name}"`);
  await page.goto(at('/admin/audit?action=retention-apply'));
  await expect(page.getByTestId('audit-table')).toContainText(`policy "${name}", run `);
});

test('a viewer sees no retention', async ({ page }, testInfo) => {
  await login(page, testInfo, VIEWER, '/');
  await expect(page.locator('nav.main')).not.toContainText('Retention');
  const resp = await page.goto(at('/admin/retention'));
  expect(resp?.status()).toBe(403);
  await expect(page.getByTestId('policy-form')).toHaveCount(0);
});
