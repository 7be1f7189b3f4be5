// Full browser load of a page in headless Chromium (Debian's), JavaScript
// on: time until the last table row is visible, and until hydration ends.
// Usage: node bench/browser-load.cjs BASE_URL PATH ROWS COOKIE [RUNS]
const path = require('node:path');
const { chromium } = require(path.join(__dirname, '..', 'end2end', 'node_modules', 'playwright'));

(async () => {
  const [base, page_path, rows, cookie, runs = '3'] = process.argv.slice(2);
  const [name, value] = cookie.split('=');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  const visible = [], hydrated = [];
  for (let i = 0; i < Number(runs); i++) {
    const context = await browser.newContext();
    await context.addCookies([{ name, value, url: base }]);
    const page = await context.newPage();
    const started = Date.now();
    await page.goto(base + page_path, { waitUntil: 'commit' });
    await page.locator(`tr[data-tag]`).nth(Number(rows) - 1).waitFor({ state: 'visible', timeout: 120000 });
    visible.push(Date.now() - started);
    await page.locator('body[data-hydrated="true"]').waitFor({ state: 'attached', timeout: 120000 });
    hydrated.push(Date.now() - started);
    await context.close();
  }
  await browser.close();
  const median = (v) => v.sort((a, b) => a - b)[Math.floor(v.length / 2)];
  console.log(JSON.stringify({ visible_ms: median(visible), hydrated_ms: median(hydrated) }));
})().catch((e) => { console.error(e); process.exit(1); });
