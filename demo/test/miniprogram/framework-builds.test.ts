// The demo mini-programs build to WeChat output with their official command-line tools (uni-app's `uni
// build -p mp-weixin`, Taro's `taro build --type weapp`), each from its own npm project, and the output
// carries Kefu's native <kefu-chat> component with everything it requires. Needs `setup.sh test` (the
// demos' node_modules) and the repository's `npm run build` (sdk-miniprogram/miniprogram_dist).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  COMPONENT_FILES,
  componentClosure,
  formatSize,
  kefuChatTags,
  listFiles,
  outputSize,
  readJson,
  runNpmScript,
  usingComponentPath,
  wxmlClosure,
} from './mp-output.js';

const repo = resolve(import.meta.dirname, '../../..');
const sdkDist = join(repo, 'sdk-miniprogram/miniprogram_dist');
const BUILD_TIMEOUT_MS = 300_000;

interface Demo {
  name: string;
  project: string;
  script: string;
  /** The mp-weixin output, relative to the project. */
  out: string;
  /**
   * How the page hands `server` to the component. Taro writes WXML attributes (in its shared
   * base.wxml). uni-app passes a native component's properties as one object (`u-p`) that its runtime
   * applies with setData, so the property names are in the page's script, not in its WXML.
   */
  binding: 'wxml-attribute' | 'uni-props';
}

const demos: Demo[] = [
  {
    name: 'uni-app',
    project: 'demo/miniprogram-uniapp',
    script: 'build:mp-weixin',
    out: 'dist/build/mp-weixin',
    binding: 'uni-props',
  },
  {
    name: 'Taro',
    project: 'demo/miniprogram-taro',
    script: 'build:weapp',
    out: 'dist',
    binding: 'wxml-attribute',
  },
];

const PAGES = ['pages/product/index', 'pages/chat/index'];
const CHAT_PAGE = 'pages/chat/index';

function assertPrerequisites(demo: Demo): void {
  if (!existsSync(join(sdkDist, 'kefu-chat/index.json'))) {
    throw new Error(
      'The native component is missing: sdk-miniprogram/miniprogram_dist has no kefu-chat/ directory ' +
        '(run `npm run build` in the repository root; if it still is not there, sdk-miniprogram does ' +
        'not build it yet).',
    );
  }
  if (!existsSync(join(repo, demo.project, 'node_modules/.package-lock.json'))) {
    throw new Error(`${demo.project}/node_modules is missing: run \`bash tools/bin/setup.sh test\``);
  }
}

/**
 * The environment of the build: this process's, less what would change how the framework builds, plus
 * CI, without which uni-app's CLI reports each build to DCloud's update check (a test connects nowhere).
 */
function buildEnv(): NodeJS.ProcessEnv {
  const dropped = (key: string): boolean =>
    key === 'NODE_ENV' || key === 'KEFU_MINIPROGRAM_DIST' || key.startsWith('VITEST');
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !dropped(key)));
  return { ...env, CI: process.env['CI'] ?? 'true' };
}

/** Builds the demo from scratch and prints the output's size; throws what went wrong. */
async function build(demo: Demo, outDir: string): Promise<void> {
  assertPrerequisites(demo);
  rmSync(outDir, { recursive: true, force: true });
  const run = await runNpmScript(join(repo, demo.project), demo.script, buildEnv());
  // Taro exits 0 when it rejects its configuration: no app.json is a failed build too.
  if (run.code !== 0 || !existsSync(join(outDir, 'app.json'))) {
    const outcome = run.code === 0 ? 'wrote no app.json' : `exited with ${String(run.code)}`;
    throw new Error(`npm run ${demo.script} ${outcome}:\n${run.output.slice(-6000)}`);
  }
  const total = outputSize(listFiles(outDir));
  const base = usingComponentPath(outDir, join(outDir, `${CHAT_PAGE}.json`), 'kefu-chat');
  const component = base === undefined ? undefined : componentClosure(outDir, base);
  console.log(
    `${demo.name} (${demo.project}, npm run ${demo.script}): built in ${(run.ms / 1000).toFixed(1)} s\n` +
      `  output ${demo.out}: ${formatSize(total)}\n` +
      (component
        ? `  kefu-chat and what it requires: ${formatSize(outputSize(component.files.map((f) => join(outDir, f))))}`
        : '  kefu-chat: not registered'),
  );
}

for (const demo of demos) {
  describe(`${demo.name} demo mini-program (mp-weixin)`, () => {
    const outDir = join(repo, demo.project, demo.out);
    const chatJson = join(outDir, `${CHAT_PAGE}.json`);
    // One build per demo; every test awaits it, so a failed build fails each test with its reason.
    let building: Promise<void> | undefined;
    const built = (): Promise<void> => (building ??= build(demo, outDir));

    it(`builds with npm run ${demo.script}`, { timeout: BUILD_TIMEOUT_MS }, async () => {
      await built();
    });

    it('lists both pages in app.json', async () => {
      await built();
      const pages = readJson(join(outDir, 'app.json'))['pages'];
      expect(pages).toEqual(expect.arrayContaining(PAGES));
    });

    it('registers kefu-chat on the chat page with a path that exists in the output', async () => {
      await built();
      const base = usingComponentPath(outDir, chatJson, 'kefu-chat');
      expect(base, `${CHAT_PAGE}.json has no usingComponents["kefu-chat"]`).toBeDefined();
      expect(existsSync(`${base!}.json`), `${base!}.json`).toBe(true);
      expect(readJson(`${base!}.json`)['component']).toBe(true);
    });

    it('carries the component files and everything they require', async () => {
      await built();
      const base = usingComponentPath(outDir, chatJson, 'kefu-chat')!;
      const { files, missing } = componentClosure(outDir, base);
      expect(missing).toEqual([]);
      for (const ext of COMPONENT_FILES) expect(files).toContain(relative(outDir, base + ext));
    });

    it('uses <kefu-chat> on the chat page and hands it the server', async () => {
      await built();
      const wxml = wxmlClosure(join(outDir, `${CHAT_PAGE}.wxml`))
        .map((file) => readFileSync(file, 'utf8'))
        .join('\n');
      const tags = kefuChatTags(wxml);
      expect(tags.length, `no <kefu-chat> in ${CHAT_PAGE}.wxml or the WXML it imports`).toBeGreaterThan(0);
      if (demo.binding === 'wxml-attribute') {
        expect(tags.some((tag) => /\sserver="\{\{[^"]+\}\}"/.test(tag))).toBe(true);
      } else {
        // u-t="m" marks a mini-program component; u-p="{{…}}" carries its properties.
        expect(tags.some((tag) => /\su-t="m"/.test(tag) && /\su-p="\{\{\w+\}\}"/.test(tag))).toBe(true);
        expect(readFileSync(join(outDir, `${CHAT_PAGE}.js`), 'utf8')).toMatch(/[{,]server:/);
      }
    });
  });
}
