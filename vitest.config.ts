import { existsSync, readdirSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

const root = import.meta.dirname;
const packages = ['proto', 'sdk-core', 'sdk-web', 'sdk-miniprogram', 'server', 'tools', 'demo', 'bench'];
// Only packages that have tests become projects, so a run with no tests at all shows as such.
const tested = packages.filter(
  (name) => existsSync(`${root}/${name}/test`) && readdirSync(`${root}/${name}/test`).length,
);

export default defineConfig({
  resolve: {
    // Workspace packages are tested from their TypeScript sources, never from a stale dist/.
    alias: [
      { find: /^@kefu\/([a-z-]+)$/, replacement: `${root}/$1/src/index.ts` },
      { find: /^@kefu\/([a-z-]+)\/(.+)$/, replacement: `${root}/$1/src/$2.ts` },
    ],
  },
  test: {
    globalSetup: [`${root}/tools/src/vitest-global-setup.ts`],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: integration tests start real processes; more workers only add contention.
    maxWorkers: 2,
    projects: tested.map((name) => ({
      extends: true,
      test: { name, root: `${root}/${name}`, include: ['test/**/*.test.ts'] },
    })),
  },
});
