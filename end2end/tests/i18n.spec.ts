import { expect, test } from '@playwright/test';
import * as path from 'node:path';
import { ADMIN, at, login, ready } from './helpers';

// Chinese (Simplified) and English. The zh-CN project is a browser that
// asks for Chinese (Accept-Language); the nojs project switches language
// with the header's links, without JavaScript.

const AGO = /(刚刚|分钟前|小时前|天前|个月前|年前)/;

test('a browser asking for Chinese gets every page in Chinese', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'zh-CN', 'the zh-CN project');
  await page.goto(at('/login'));
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByRole('heading', { name: '登录' })).toBeVisible();
  await expect(page.getByLabel('用户名')).toBeVisible();
  await login(page, testInfo, ADMIN);

  // The list, the header and the filter.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('仓库');
  const nav = page.getByRole('navigation', { name: '主导航' });
  await expect(nav.getByRole('link', { name: '动态' })).toBeVisible();
  await expect(page.getByTestId('repo-count')).toHaveText(/^共 \d+ 个仓库$/);
  await expect(page.getByRole('searchbox', { name: '筛选仓库' })).toBeVisible();
  const lang = page.getByTestId('language-switch');
  await expect(lang.getByRole('link', { name: '简体中文' })).toHaveAttribute('aria-current', 'true');

  // A repository: counts, column names, dates and relative times.
  await page.goto(at('/r/library/alpine'));
  await ready(page, testInfo);
  await expect(page.getByTestId('tag-count')).toHaveText(/^共 \d+ 个标签/);
  await expect(page.locator('table.tags').getByRole('columnheader', { name: '摘要' })).toBeVisible();
  await page.screenshot({ path: path.resolve(__dirname, '..', 'artifacts', 'screens', 'repository-desktop-light-zh-CN.png'), fullPage: true });
  const created = page.locator('tr[data-tag="3.19"] time');
  await expect(created).toContainText(/\d{4}年\d{1,2}月\d{1,2}日/);
  await expect(created.locator('small')).toHaveText(AGO);

  // The island's words come from the server in Chinese too.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  const row = page.locator('tr[data-tag="3.19"]');
  await row.getByRole('button', { name: '复制' }).click();
  await expect(row.getByRole('button', { name: '已复制' })).toBeVisible();

  await page.getByLabel('选择 3.18', { exact: true }).check();
  await page.getByRole('button', { name: '删除所选…' }).click();
  const dialog = page.getByRole('dialog', { name: '删除镜像' });
  await expect(dialog.getByRole('button', { name: '删除 1 个清单' })).toBeVisible();
  await expect(dialog.getByRole('columnheader', { name: '你选择的标签' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);

  // A tag page, the audit log and an error page.
  await page.goto(at('/r/team-a/backend/api/-/tag/v1.9.0'));
  await expect(page.getByRole('heading', { name: '构建历史' })).toBeVisible();
  await page.goto(at('/admin/audit'));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('审计日志');
  await expect(page.locator('tr[data-action="login"]').first()).toContainText('登录');
  const missing = await page.goto(at('/r/no/such/repo'));
  expect(missing?.status()).toBe(404);
  await expect(page.locator('section.error h1')).toHaveText('未找到');
  await expect(page.getByRole('alert')).toContainText('没有名为 no/such/repo 的仓库');
});

test('a language chosen in the header wins over Accept-Language', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'zh-CN', 'the zh-CN project');
  await login(page, testInfo, ADMIN, '/r/library/alpine');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await page.getByTestId('language-switch').getByRole('link', { name: 'English' }).click();
  await expect(page).toHaveURL(/\/r\/library\/alpine$/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByTestId('tag-count')).toHaveText(/^\d+ tags/);
  await page.reload();
  await expect(page.locator('table.tags').getByRole('columnheader', { name: 'Digest' })).toBeVisible();
  await page.getByTestId('language-switch').getByRole('link', { name: '简体中文' }).click();
  await expect(page.getByTestId('tag-count')).toHaveText(/^共 \d+ 个标签/);
});

test('the language switch works without JavaScript', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'nojs', 'the nojs project');
  await login(page, testInfo, ADMIN, '/r/library/alpine');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.getByTestId('language-switch').getByRole('link', { name: '简体中文' }).click();
  await expect(page).toHaveURL(/\/r\/library\/alpine$/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByTestId('tag-count')).toHaveText(/^共 \d+ 个标签/);
  // The delete page (the no-JavaScript path) is Chinese too.
  await page.getByLabel('选择 3.18', { exact: true }).check();
  await page.getByRole('button', { name: '删除所选…' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('删除镜像');
  await expect(page.getByRole('button', { name: '删除 1 个清单' })).toBeVisible();
  await page.getByTestId('language-switch').getByRole('link', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Delete images');
});
