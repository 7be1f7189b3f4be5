// Starts a real registry:2 (Debian's docker-registry), seeds it through the
// Registry API with berth-seed, and starts the release build of Berth.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');
export const workDir = path.join(root, 'target', 'e2e');
const regPort = process.env.BERTH_E2E_REGISTRY_PORT ?? '5055';
const berthPort = process.env.BERTH_E2E_PORT ?? '3055';
// The second run serves Berth under a prefix, as behind a reverse proxy.
const basePath = process.env.BERTH_E2E_BASE_PATH ?? '';

async function waitFor(url: string, ok: (s: number) => boolean) {
  for (let i = 0; i < 200; i++) {
    try {
      const r = await fetch(url, { redirect: 'manual' });
      if (ok(r.status)) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}

export default async function globalSetup() {
  fs.rmSync(workDir, { recursive: true, force: true });
  fs.mkdirSync(workDir, { recursive: true });
  // The registry notifies Berth of pushes, pulls and deletes; what it sends
  // before Berth is up is retried until Berth answers.
  const eventsToken = 'e2e-events-token-0123456789';
  const regPid = execFileSync(path.join(root, 'scripts', 'registry.sh'), [
    path.join(workDir, 'registry'), regPort, `http://127.0.0.1:${berthPort}${basePath}/events`, eventsToken,
  ]).toString().trim();
  const registryUrl = `http://127.0.0.1:${regPort}`;
  execFileSync(path.join(root, 'target', 'release', 'berth-seed'), [
    '--registry-url', registryUrl, '--username', 'admin', '--password', 'admin',
    '--scratch', 'e2e/delete-js', '--scratch', 'e2e/delete-nojs',
    '--scratch', 'e2e/retention-js', '--scratch', 'e2e/retention-nojs',
    // Real data: one image under 300 tags; 70-character names, a cosign
    // signature, a Helm chart and a 12-platform index.
    '--shared-digest', 'e2e/one-image:300', '--real-data',
  ], { stdio: 'inherit' });
  const log = fs.openSync(path.join(workDir, 'berth.log'), 'w');
  const berth = spawn(path.join(root, 'target', 'release', 'berth'), [], {
    cwd: root,
    env: {
      ...process.env,
      BERTH_REGISTRY_URL: registryUrl,
      BERTH_AUTH: 'registry',
      BERTH_ADMINS: 'admin',
      BERTH_LISTEN: `127.0.0.1:${berthPort}`,
      BERTH_EVENTS_TOKEN: eventsToken,
      BERTH_BASE_PATH: basePath,
      BERTH_REGISTRY_USERNAME: 'admin',
      BERTH_REGISTRY_PASSWORD: 'admin',
      // Search reads the whole registry with this account.
      BERTH_INDEX_USERNAME: 'admin',
      BERTH_INDEX_PASSWORD: 'admin',
      // A fresh database for every run: no session from an earlier one.
      BERTH_DATABASE_URL: `sqlite://${path.join(workDir, 'berth.db')}`,
      LEPTOS_SITE_ROOT: path.join(root, 'target', 'site'),
    },
    stdio: ['ignore', log, log],
    detached: true,
  });
  berth.unref();
  fs.writeFileSync(path.join(workDir, 'pids'), `${regPid}\n${berth.pid}\n`);
  await waitFor(`http://127.0.0.1:${berthPort}${basePath}/healthz`, (s) => s === 200);
}
