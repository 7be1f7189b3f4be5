import { expect, test, Page } from '@playwright/test';
import * as path from 'node:path';
import { ADMIN, BASE, login, ready, at } from './helpers';

// What real registries hold (berth-seed --real-data, and 300 tags on one
// digest): 70-character names, a cosign signature tag, a Helm chart and a
// 12-platform index. No page may scroll sideways at 1,024 px or wider, nor
// on a 390 px phone; screenshots of each land in end2end/artifacts/real-data/.

export const LONG_REPO = 'e2e/real-data/payments-reconciliation-service-with-a-seventy-char-name';
export const LONG_TAG = '2026.12.08-build.4711-g3f9c2ab-linux-multiarch-release-candidate-final';
export const LONG_CHART_REPO = 'e2e/real-data/charts/payments-reconciliation-service-helm-chart';

const WIDTHS = [1024, 1366, 390];

async function snap(page: Page, name: string) {
  const file = path.resolve(__dirname, '..', 'artifacts', 'real-data', `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
}

/// How far the page reaches past the window's right edge, and the widest
/// elements that do it (to say what to fix).
async function overflow(page: Page): Promise<{ by: number; culprits: string[] }> {
  return page.evaluate(() => {
    const w = document.documentElement.clientWidth;
    const by = document.documentElement.scrollWidth - w;
    const culprits: string[] = [];
    if (by > 0) {
      for (const el of Array.from(document.querySelectorAll('body *'))) {
        const r = el.getBoundingClientRect();
        if (r.right > w + 1 && el.children.length === 0) {
          culprits.push(`${el.tagName.toLowerCase()}.${el.className}: ${Math.round(r.right)} px "${(el.textContent ?? '').slice(0, 40)}"`);
        }
        if (culprits.length >= 5) break;
      }
    }
    return { by, culprits };
  });
}

test('real data: no page scrolls sideways at 1,024, 1,366 or 390 px, light or dark', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'js' || BASE !== '', 'once per suite run');
  test.setTimeout(300_000);
  await login(page, testInfo, ADMIN);
  await page.setViewportSize({ width: 1366, height: 900 });

  // The signature's tag is named after the index's digest.
  await page.goto(at(`/r/${LONG_REPO}?signatures=show`));
  const sig = await page.locator(`table.tags a[href*=".sig"]`).first().getAttribute('href', { timeout: 10_000 });
  expect(sig, 'the cosign signature is listed').toBeTruthy();
  const sigTag = decodeURIComponent(sig!.split('/-/tag/')[1]);
  expect(sigTag).toMatch(/^sha256-[0-9a-f]{64}\.sig$/);

  const pages: [string, string, string][] = [
    // name, path, a long text the page must show (so the test sees the data)
    ['repositories', '/', 'payments-reconciliation-service-with-a-seventy-char-name'],
    ['repository', `/r/${LONG_REPO}`, LONG_TAG],
    ['repository-signatures', `/r/${LONG_REPO}?signatures=show`, sigTag],
    ['index-12-platforms', `/r/${LONG_REPO}/-/tag/${LONG_TAG}`, 'windows/amd64'],
    ['signature', `/r/${LONG_REPO}/-/tag/${sigTag}`, sigTag],
    ['compare', `/r/${LONG_REPO}/-/compare?a=stable&b=${LONG_TAG}`, LONG_TAG],
    ['delete-confirm', `/r/${LONG_REPO}/-/delete?tags=${LONG_TAG}`, LONG_TAG],
    ['chart-repository', `/r/${LONG_CHART_REPO}`, '12.4.0-rc.1'],
    ['chart', `/r/${LONG_CHART_REPO}/-/tag/12.4.0-rc.1`, LONG_CHART_REPO],
    ['buildx-app', '/r/platform/buildx-app', 'platform/buildx-app'],
    ['one-image-300-tags', '/r/e2e/one-image', 'build-300'],
    ['search', '/search?q=payments-reconciliation', LONG_REPO],
    ['activity', '/activity', 'e2e/'],
    ['storage', '/storage', 'By repository'],
    ['audit', '/admin/audit', 'Audit'],
  ];

  const wide: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      for (const [name, p, shows] of pages) {
        const resp = await page.goto(at(p));
        expect(resp?.status(), `${name}: ${p}`).toBe(200);
        await ready(page, testInfo);
        await expect(page.locator('main'), `${name} shows ${shows}`).toContainText(shows);
        const o = await overflow(page);
        if (o.by > 0) wide.push(`${name} at ${width} px (${scheme}): ${o.by} px too wide; ${o.culprits.join('; ')}`);
        await snap(page, `${name}-${width}-${scheme}`);
      }
    }
  }
  expect(wide, 'pages wider than the window').toEqual([]);
});
