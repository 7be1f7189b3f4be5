import { test, expect, request as newRequest } from '@playwright/test';
import { ADMIN, BASE, PAGES, at, login, ready } from './helpers';

// Behind a reverse proxy (BERTH_BASE_PATH) every URL Berth writes or asks for
// must carry the base path, and every link must lead somewhere. This walks
// every page, follows no link in the browser, and asks each one separately.

/// Same-origin paths of the page's links, forms and assets.
async function urls(page: import('@playwright/test').Page): Promise<{ links: string[]; others: string[] }> {
  return page.evaluate(() => {
    const same = (u: string) => {
      const url = new URL(u, location.href);
      return url.origin === location.origin ? url.pathname + url.search : null;
    };
    const pick = (sel: string, attr: string) =>
      [...document.querySelectorAll(sel)]
        .map((e) => e.getAttribute(attr))
        .filter((v): v is string => v !== null && !v.startsWith('#'))
        .map(same)
        .filter((v): v is string => v !== null);
    return {
      links: pick('a[href]', 'href'),
      others: [
        ...pick('form[action]', 'action'),
        ...pick('link[href]', 'href'),
        ...pick('script[src]', 'src'),
        ...pick('img[src]', 'src'),
      ],
    };
  });
}

/// Pages that list past events: what they link to may be gone.
const HISTORY = ['activity', 'audit'];

function underBase(p: string): boolean {
  return !BASE || p === BASE || p.startsWith(BASE + '/') || p.startsWith(BASE + '?');
}

test('every link, form and asset stays under the base path, and every link answers', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'js', 'one walk is enough');
  test.setTimeout(120_000);
  const asked: string[] = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.origin === new URL(page.url() || r.url()).origin) asked.push(url.pathname);
  });
  await login(page, testInfo, ADMIN);
  // A separate client with a copy of the session: a language or theme link
  // it follows must not change what the browser sees next.
  const api = await newRequest.newContext({ storageState: await page.context().storageState() });
  const seen = new Set<string>();
  const broken: string[] = [];
  const outside: string[] = [];
  for (const [name, appPath] of PAGES) {
    await page.goto(at(appPath));
    await ready(page, testInfo);
    const { links, others } = await urls(page);
    for (const u of [...links, ...others]) {
      if (!underBase(u.split('?')[0])) outside.push(`${name}: ${u}`);
    }
    for (const link of links) {
      if (seen.has(link)) continue;
      seen.add(link);
      const resp = await api.get(link, { maxRedirects: 0 });
      const where = resp.headers()['location'];
      // History (activity, audit) links to tags that other tests deleted since.
      const gone = resp.status() === 404 && (HISTORY.includes(name) || link.includes('/no/such/'));
      if (resp.status() >= 400 && !gone) broken.push(`${resp.status()} ${link} (on ${name})`);
      if (where && !underBase(new URL(where, page.url()).pathname)) outside.push(`${link} redirects to ${where}`);
    }
  }
  await api.dispose();
  for (const p of asked) if (!underBase(p)) outside.push(`the browser asked for ${p}`);
  expect(outside, 'URLs outside the base path').toEqual([]);
  expect(broken, 'links that lead nowhere').toEqual([]);
  // The walk covered the header, the tables and the pagers at least.
  expect(seen.size).toBeGreaterThan(20);
});
