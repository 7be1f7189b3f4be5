const { chromium } = require('@playwright/test');
(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const base = process.env.BASE || 'http://127.0.0.1:3000';
  await page.goto(base + '/login');
  await page.fill('input[name=username]', 'admin');
  await page.fill('input[name=password]', 'admin');
  await page.click('button[type=submit]');
  await page.waitForLoadState('networkidle');
  for (const [name, path] of JSON.parse(process.env.PAGES)) {
    await page.goto(base + path);
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: `/tmp/shots/${name}.png`, fullPage: true });
  }
  await browser.close();
})();
