import { expect, test } from '@playwright/test';
import { ADMIN, login, ready, shot, at, HOME } from './helpers';

test('a wrong password shows a clear message and the form again', async ({ page }, testInfo) => {
  await page.goto(at('/r/library/alpine'));
  await expect(page).toHaveURL(/\/login\?next=%2Fr%2Flibrary%2Falpine$/);
  await page.fill('input[name=username]', ADMIN.user);
  await page.fill('input[name=password]', 'not-the-password');
  await page.click('button[type=submit]');
  await expect(page.getByRole('alert')).toHaveText('Wrong username or password.');
  await expect(page.locator('input[name=password]')).toBeVisible();
  // The username stays typed, the password does not, and neither is in the URL.
  await expect(page.locator('input[name=username]')).toHaveValue(ADMIN.user);
  await expect(page.locator('input[name=password]')).toHaveValue('');
  expect(page.url()).not.toContain('not-the-password');
  expect(page.url()).not.toContain(`=${ADMIN.user}`);
  await shot(page, testInfo, 'login-failed');
});

test('a successful login returns to the page asked for, and logout ends it', async ({ page }, testInfo) => {
  await page.goto(at('/r/library/alpine?sort=date'));
  await shot(page, testInfo, 'login');
  await page.fill('input[name=username]', ADMIN.user);
  await page.fill('input[name=password]', ADMIN.password);
  await page.click('button[type=submit]');
  await expect(page).toHaveURL(/\/r\/library\/alpine\?sort=date$/);
  await ready(page, testInfo);
  await expect(page.getByTestId('current-user')).toHaveText('admin');
  await expect(page.locator('.role')).toHaveText('admin');
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/login\?loggedout=1$/);
  await expect(page.getByText('You have logged out.')).toBeVisible();
  await page.goto(at('/'));
  await expect(page).toHaveURL(/\/login\?next=%2F$/);
});

test('login works when arriving from the start page', async ({ page }, testInfo) => {
  await login(page, testInfo, ADMIN);
  await expect(page).toHaveURL(HOME);
  await expect(page.getByRole('heading', { name: 'Repositories' })).toBeVisible();
});
