// Type-checks each package's tests (tsconfig.json: sources + tests, no emit); `tsc -b` has already
// checked and built the sources themselves.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const packages = ['proto', 'sdk-core', 'sdk-web', 'sdk-miniprogram', 'tools', 'server', 'demo', 'bench'];
let failed = false;
for (const name of packages) {
  if (!existsSync(`${name}/tsconfig.json`) || !existsSync(`${name}/test`)) continue;
  const result = spawnSync('node_modules/.bin/tsc', ['-p', `${name}/tsconfig.json`], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`typecheck: ${name} failed`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
