// Every browser and mini-program bundle. Inputs are the packages' tsc output (dist/), so TypeScript is
// compiled once, by `tsc -b`, and rollup only bundles and minifies.
import { readFileSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

/** Prints each written file's raw and gzip size (budgets are checked by the sdk-web tests). */
function reportSizes() {
  return {
    name: 'report-sizes',
    writeBundle(options, bundle) {
      for (const [fileName, chunk] of Object.entries(bundle)) {
        if (chunk.type !== 'chunk') continue;
        const raw = Buffer.byteLength(chunk.code);
        const gz = gzipSync(chunk.code, { level: 9 }).length;
        const where = options.dir ? `${options.dir}/${fileName}` : options.file;
        console.log(`bundle ${where}: ${raw} B, ${gz} B gzip`);
      }
    },
  };
}

/** Adds the console's static files (HTML shell, CSS) next to its bundle. */
function consoleStatic() {
  return {
    name: 'console-static',
    generateBundle() {
      for (const fileName of ['index.html', 'console.css']) {
        this.emitFile({ type: 'asset', fileName, source: readFileSync(`demo/console/static/${fileName}`) });
      }
    },
  };
}

const plugins = (browser) => [
  nodeResolve({ browser, exportConditions: browser ? ['browser', 'import'] : ['import'] }),
  terser({ ecma: 2020, module: true, format: { comments: false } }),
  reportSizes(),
];

// Chunk names carry content hashes: clear the old ones so the package holds one build.
rmSync('sdk-web/dist/esm', { recursive: true, force: true });

export default [
  // The embed snippet's script: command queue + launcher bubble; imports kefu-panel.js on demand.
  {
    input: 'sdk-web/dist/loader.js',
    output: { file: 'sdk-web/dist/bundle/kefu-loader.js', format: 'iife' },
    plugins: plugins(true),
  },
  // The lazy panel: Preact UI, customer client, MQTT transport, Protobuf code — one ES module.
  {
    input: 'sdk-web/dist/panel/index.js',
    output: { file: 'sdk-web/dist/bundle/kefu-panel.js', format: 'es', inlineDynamicImports: true },
    plugins: plugins(true),
  },
  // The ESM package for single-page malls: the panel stays a separate chunk behind import().
  {
    input: 'sdk-web/dist/index.js',
    output: { dir: 'sdk-web/dist/esm', format: 'es', chunkFileNames: 'kefu-[name]-[hash].js' },
    plugins: plugins(true),
  },
  // The agent console (served by the server at /console/). @tanstack/virtual-core guards its dev-only
  // checks with process.env.NODE_ENV, which browsers do not have: fold it to "production".
  {
    input: 'demo/console/dist/main.js',
    output: { file: 'demo/console/dist/bundle/console.js', format: 'es', inlineDynamicImports: true },
    plugins: [
      nodeResolve({ browser: true, exportConditions: ['browser', 'import'] }),
      terser({
        ecma: 2020,
        module: true,
        format: { comments: false },
        compress: { global_defs: { 'process.env.NODE_ENV': 'production' } },
      }),
      reportSizes(),
      consoleStatic(),
    ],
  },
  {
    input: 'sdk-miniprogram/dist/index.js',
    // Mini-programs load CommonJS from miniprogram_dist (what WeChat DevTools' "build npm" copies).
    output: { file: 'sdk-miniprogram/miniprogram_dist/index.js', format: 'cjs', exports: 'named' },
    plugins: plugins(false),
  },
];
