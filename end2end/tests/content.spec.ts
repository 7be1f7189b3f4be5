import { expect, test } from '@playwright/test';
import { ADMIN, login, ready, shot, at } from './helpers';

// Content from berth-seed's supply-chain set: a buildx index with
// attestations, a cosign signature, an SBOM referrer, Helm charts, another
// artifact type and an index that lost a platform.

test.beforeEach(async ({ page }, testInfo) => {
  await login(page, testInfo, ADMIN);
});

test('a multi-arch tag shows each platform with its attestation', async ({ page }, testInfo) => {
  await page.goto(at('/r/platform/buildx-app/-/tag/1.0'));
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { name: 'Platforms (3)' })).toBeVisible();
  // One platform at a time, picked as OS/ARCH (links: no JavaScript needed).
  const choices = page.getByTestId('platform-choice');
  await expect(choices).toHaveText(['linux/amd64', 'linux/arm64/v8', 'linux/arm/v7']);
  await expect(choices.first()).toHaveAttribute('aria-current', 'true');
  await expect(page.locator('section.platform')).toHaveCount(1);
  await expect(page.locator('section.platform h3')).toContainText('linux/amd64');
  // Attestations sit inside their platform, never as a platform of their own.
  await expect(page.locator('.platform [data-testid=attestation]')).toHaveCount(1);
  await expect(page.locator('.platform h3', { hasText: 'unknown' })).toHaveCount(0);
  await choices.filter({ hasText: 'linux/arm/v7' }).click();
  await expect(page).toHaveURL(/platform=linux%2Farm%2Fv7/);
  await expect(page.locator('section.platform')).toHaveCount(1);
  await expect(page.locator('[data-platform="linux/arm/v7"] [data-testid=attestation]')).toContainText('https://slsa.dev/provenance/v0.2');
  // Signed, with its SBOM found through the fallback referrers tag.
  await expect(page.getByTestId('signatures')).toContainText('signature');
  await expect(page.getByTestId('referrers')).toContainText('application/spdx+json');
  await shot(page, testInfo, 'tag-attested-multi-arch');
});

test('signature tags are grouped with their image and hidden until asked for', async ({ page }, testInfo) => {
  await page.goto(at('/r/platform/buildx-app'));
  await ready(page, testInfo);
  const rows = page.locator('tr[data-tag]');
  await expect(rows).toHaveCount(3);
  await expect(page.locator('tr[data-tag$=".sig"]')).toHaveCount(0);
  await expect(page.locator('tr[data-tag="1.0"] [data-testid=signed]')).toContainText('signed');
  await expect(page.locator('tr[data-tag="1.0"] .badge.attested')).toHaveCount(3);
  await shot(page, testInfo, 'repository-signed');

  await page.getByTestId('signatures-toggle').click();
  await expect(page).toHaveURL(/signatures=show/);
  await expect(page.locator('tr[data-tag$=".sig"]')).toHaveCount(1);
  await expect(page.locator('tr[data-tag$=".sig"] .signature-of')).toContainText('cosign tag for');
  await shot(page, testInfo, 'repository-signatures-shown');
});

test('artifacts show what they are instead of a broken image', async ({ page }, testInfo) => {
  await page.goto(at('/r/charts/berth'));
  await ready(page, testInfo);
  await expect(page.locator('tr[data-tag="0.2.0"]')).toContainText('Helm chart berth 0.2.0');
  await page.locator('table.tags').getByRole('link', { name: '0.2.0', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Helm chart' })).toBeVisible();
  await expect(page.getByTestId('chart-name')).toHaveText('berth');
  await expect(page.getByTestId('chart-version')).toHaveText('0.2.0');
  await expect(page.getByText('Entrypoint')).toHaveCount(0);
  await shot(page, testInfo, 'artifact-helm');

  await page.goto(at('/r/platform/buildx-app/-/tag/policy'));
  await expect(page.getByRole('heading', { name: 'OCI artifact' })).toBeVisible();
  await expect(page.getByTestId('artifact-type')).toHaveText('application/vnd.example.policy.v1+json');
  await shot(page, testInfo, 'artifact-other');
});

test('an index with a missing platform still renders and says so', async ({ page }, testInfo) => {
  const resp = await page.goto(at('/r/platform/partial/-/tag/2.0'));
  expect(resp?.status()).toBe(200);
  await expect(page.locator('[data-platform="linux/amd64"]')).toContainText('Layers (1)');
  await expect(page.getByTestId('platform-choice').filter({ hasText: 'linux/arm64/v8' })).toHaveClass(/missing/);
  await page.getByTestId('platform-choice').filter({ hasText: 'linux/arm64/v8' }).click();
  await expect(page.locator('[data-platform="linux/arm64/v8"] .badge.missing')).toBeVisible();
  await expect(page.getByText("this platform's manifest is missing from the registry")).toBeVisible();
  await shot(page, testInfo, 'tag-missing-child');
});

test('admins see how the registry is set up', async ({ page }, testInfo) => {
  await page.getByRole('link', { name: 'Registry', exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/registry$/);
  await expect(page.getByRole('heading', { name: 'Registry capabilities' })).toBeVisible();
  await expect(page.getByTestId('api-version')).toHaveText('registry/2.0');
  await expect(page.getByTestId('auth-scheme')).toContainText('Basic');
  await expect(page.getByTestId('latency')).toContainText('ms');
  const verdict = (name: string) => page.locator(`tr[data-check="${name}"] .badge`);
  await expect(verdict('Delete enabled')).toHaveText('yes');
  await expect(verdict('Catalog page cap')).toHaveText('yes');
  await expect(verdict('Tag lists paged')).toHaveText('no');
  await expect(verdict('OCI referrers API')).toHaveText('no');
  await shot(page, testInfo, 'registry-capabilities');
});
