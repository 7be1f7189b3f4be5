import { defineConfig } from '@playwright/test';

const baseURL = process.env.BERTH_E2E_URL ?? 'http://127.0.0.1:3055';

// Debian's Chromium; Playwright's own browser download cannot run here.
const launchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-quic',
  ],
};

export default defineConfig({
  testDir: './tests',
  globalSetup: './global-setup.ts',
  globalTeardown: './global-teardown.ts',
  // Two cores: one browser at a time keeps timings steady.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  reporter: [['list']],
  use: { baseURL, launchOptions, trace: 'off' },
  projects: [
    // Every flow, with JavaScript on and off.
    { name: 'js', use: { javaScriptEnabled: true }, testIgnore: /i18n\.spec\.ts/ },
    { name: 'nojs', use: { javaScriptEnabled: false }, testIgnore: /a11y\.spec\.ts/ },
    // A system set to dark: the islands and the dark theme itself.
    { name: 'dark', use: { javaScriptEnabled: true, colorScheme: 'dark' }, testMatch: /(islands|screens)\.spec\.ts/ },
    // A browser asking for Chinese: every page and dialog in zh-CN.
    { name: 'zh-CN', use: { javaScriptEnabled: true, locale: 'zh-CN' }, testMatch: /i18n\.spec\.ts/ },
  ],
});
