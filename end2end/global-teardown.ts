import * as fs from 'node:fs';
import * as path from 'node:path';

export default async function globalTeardown() {
  const pids = path.resolve(__dirname, '..', 'target', 'e2e', 'pids');
  if (!fs.existsSync(pids)) return;
  for (const pid of fs.readFileSync(pids, 'utf8').split('\n').filter(Boolean)) {
    try { process.kill(Number(pid), 'SIGTERM'); } catch { /* already gone */ }
  }
}
