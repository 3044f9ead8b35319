import fs from 'node:fs';
import path from 'node:path';
import { defineConfig } from '@tarojs/cli';

// Shared with the uni-app demo: products, identity, navigate handling. TypeScript outside src/, as is the
// demo mall's catalog it imports.
const sharedDir = path.resolve(__dirname, '../../miniprogram-shared');
const mallDir = path.resolve(__dirname, '../../src/mall');
// Kefu's native component: the SDK's mini-program build (sdk-miniprogram/miniprogram_dist, built by the
// repository's `npm run build`; KEFU_MINIPROGRAM_DIST points at another build of the same layout).
const kefuDist =
  process.env.KEFU_MINIPROGRAM_DIST || path.resolve(__dirname, '../../../sdk-miniprogram/miniprogram_dist');
if (!fs.existsSync(path.join(kefuDist, 'kefu-chat/index.json'))) {
  throw new Error(
    `${kefuDist} has no kefu-chat component: run \`npm run build\` in the repository root first.`,
  );
}

// Taro's build configuration (https://docs.taro.zone/docs/config-detail), trimmed to the weapp build.
export default defineConfig({
  projectName: 'kefu-demo-miniprogram-taro',
  designWidth: 750,
  deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
  sourceRoot: 'src',
  outputRoot: 'dist',
  framework: 'react',
  compiler: 'webpack5',
  // The whole build, copied where the chat page's usingComponents points: Taro compiles a native
  // component only when its path is in src/, so this one is not bundled again (Taro's minifier still
  // passes over its scripts). A real project copies node_modules/@kefu/sdk-miniprogram/miniprogram_dist.
  copy: { patterns: [{ from: kefuDist, to: 'dist/components/kefu' }] },
  // Each test run is a clean build; webpack's persistent cache would only hide a broken one.
  cache: { enable: false },
  alias: { '@kefu-demo': sharedDir },
  mini: {
    // Taro compiles only src/ and Taro's own packages unless told otherwise.
    compile: { include: [sharedDir, mallDir] },
    postcss: { pxtransform: { enable: true, config: {} } },
    webpackChain(chain) {
      // The shared TypeScript imports its siblings as `./x.js` (Node ESM style): resolve them to `.ts`.
      chain.merge({ resolve: { extensionAlias: { '.js': ['.ts', '.js'] } } });
    },
  },
});
