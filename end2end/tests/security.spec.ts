import { expect, test } from '@playwright/test';
import { ADMIN, login, ready, at } from './helpers';

// Pages hydrate under Berth's Content-Security-Policy (a per-page nonce,
// 'strict-dynamic', 'wasm-unsafe-eval'), and the browser reports no
// violation on the way.
test('hydration works under the content security policy', async ({ page }, testInfo) => {
  const violations: string[] = [];
  page.on('console', (msg) => {
    if (/Content Security Policy|Refused to/i.test(msg.text())) violations.push(msg.text());
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`Refused to load: CSP violation ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  await login(page, testInfo, ADMIN);
  const response = await page.goto(at('/r/team-a/backend/api'));
  // allHeaders(): headers() leaves out security headers on navigations.
  const csp = (await response?.allHeaders())?.['content-security-policy'] ?? '';
  expect(csp).toContain("'nonce-");
  expect(csp).toContain("frame-ancestors 'none'");
  await ready(page, testInfo);
  await page.goto(at('/'));
  await ready(page, testInfo);
  if (testInfo.project.name === 'js') {
    // A live feature: only works once the WASM runs.
    await page.getByRole('searchbox', { name: 'Filter repositories' }).pressSequentially('team-a');
    await expect(page.getByTestId('repo-count')).toHaveText(/^2 of \d+ repositories$/);
  }
  expect(violations).toEqual([]);
});
