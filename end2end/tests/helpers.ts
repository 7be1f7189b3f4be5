import { expect, Page, TestInfo } from '@playwright/test';
import * as path from 'node:path';

/// The path Berth is served under in this run ('' or e.g. '/ui'): the
/// suite runs once without and once with BERTH_BASE_PATH.
export const BASE = process.env.BERTH_E2E_BASE_PATH ?? '';

/// An app path under the base path ('/' is the base itself).
export function at(appPath: string): string {
  if (!BASE) return appPath;
  if (appPath === '/') return BASE;
  return BASE + appPath;
}

/// The repository list's URL.
export const HOME = BASE ? new RegExp(`${BASE}$`) : /\/$/;

export const ADMIN = { user: 'admin', password: 'admin' };
export const VIEWER = { user: 'viewer', password: 'viewer' };

/// Every project but `nojs` runs with JavaScript (js, dark, zh-CN).
export function hasJs(testInfo: TestInfo): boolean {
  return testInfo.project.use.javaScriptEnabled !== false;
}

/// With JavaScript on, wait until the page has hydrated so that live
/// features (filter, copy, progress) are active.
export async function ready(page: Page, testInfo: TestInfo) {
  if (hasJs(testInfo)) {
    await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  }
}

export async function login(page: Page, testInfo: TestInfo, who: { user: string; password: string }, next = '/') {
  await page.goto(at(`/login?next=${encodeURIComponent(next)}`));
  await page.fill('input[name=username]', who.user);
  await page.fill('input[name=password]', who.password);
  await page.click('button[type=submit]');
  await ready(page, testInfo);
}

/// Saves a full-page screenshot as a test artifact.
export async function shot(page: Page, testInfo: TestInfo, name: string) {
  const file = path.resolve(__dirname, '..', 'artifacts', testInfo.project.name + (BASE ? '-base-path' : ''), `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
}

/// Every page of the app (as admin), for the screenshot and axe runs.
export const PAGES: [string, string][] = [
  ['repositories', '/'],
  ['repository', '/r/library/alpine'],
  ['repository-signed', '/r/team-a/frontend/web'],
  ['tag', '/r/team-a/backend/api/-/tag/v1.9.0'],
  ['tag-multi-arch', '/r/team-a/frontend/web/-/tag/2.0'],
  ['delete-confirm', '/r/library/alpine/-/delete?tags=3.18'],
  ['activity', '/activity'],
  ['audit', '/admin/audit'],
  ['registry', '/admin/registry'],
  ['retention', '/admin/retention'],
  ['search', '/search?q=alpine'],
  ['storage', '/storage'],
  ['files', '/r/library/alpine/-/files/3.19?path=%2Fetc%2Fos-release'],
  ['compare', '/r/library/alpine/-/compare?a=3.18&b=3.19'],
  ['not-found', '/r/no/such/repo'],
];

/// The index syncs at start-up; wait until the registry page says it did.
export async function indexed(page: Page) {
  await expect.poll(async () => {
    await page.goto(at('/admin/registry'));
    return await page.getByTestId('index-last').innerText();
  }, { timeout: 30_000 }).not.toContain('Not synced yet');
}
