// Every browser and mini-program bundle. Inputs are the packages' tsc output (dist/), so TypeScript is
// compiled once, by `tsc -b`, and rollup only bundles and minifies.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
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

/** Copies the widget's sticker pictures (sdk-web/stickers/<pack>/<id>.svg) next to its bundles. */
function widgetStickers() {
  return {
    name: 'widget-stickers',
    generateBundle() {
      for (const pack of readdirSync('sdk-web/stickers')) {
        for (const file of readdirSync(`sdk-web/stickers/${pack}`).filter((f) => f.endsWith('.svg'))) {
          const source = readFileSync(`sdk-web/stickers/${pack}/${file}`);
          this.emitFile({ type: 'asset', fileName: `stickers/${pack}/${file}`, source });
        }
      }
    },
  };
}

/** Copies kefu-chat's WXML and WXSS files (index and what it imports) and JSON next to its index.js. */
function componentStatic() {
  return {
    name: 'component-static',
    generateBundle() {
      const dir = 'sdk-miniprogram/src/component/kefu-chat';
      for (const file of readdirSync(dir).filter((f) => /\.(wxml|wxss)$/.test(f) || f === 'index.json')) {
        this.emitFile({
          type: 'asset',
          fileName: `kefu-chat/${file}`,
          source: readFileSync(`${dir}/${file}`),
        });
      }
    },
  };
}

/**
 * Fails the mini-program build if mqtt.js comes back in: the SDK runs sdk-core's own MQTT client, and
 * mqtt.js's browser build alone would be ~100 KB gzip (sdk-miniprogram/README.md).
 */
function miniprogramChecks() {
  return {
    name: 'miniprogram-checks',
    buildEnd() {
      const mqtt = [...this.getModuleIds()].find((id) =>
        id.replaceAll('\\', '/').includes('/node_modules/mqtt/'),
      );
      if (mqtt) this.error(`mqtt.js is in the mini-program bundle: ${mqtt}`);
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
rmSync('sdk-miniprogram/miniprogram_dist', { recursive: true, force: true });

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
    plugins: [...plugins(true), widgetStickers()],
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
  // The mini-program package (what WeChat DevTools' "build npm" copies from miniprogram_dist): the client
  // API (index.js) and the kefu-chat component (kefu-chat/index.js + WXML/WXSS/JSON), CommonJS, sharing
  // the SDK (sdk-core with its MQTT client, Protobuf) through one chunk that both require by relative path.
  {
    input: {
      index: 'sdk-miniprogram/dist/index.js',
      'kefu-chat/index': 'sdk-miniprogram/dist/component/kefu-chat/index.js',
    },
    output: {
      dir: 'sdk-miniprogram/miniprogram_dist',
      format: 'cjs',
      exports: 'named',
      entryFileNames: '[name].js',
      chunkFileNames: '[name].js',
      // Everything but the component's own modules is the SDK both entries share.
      manualChunks: (id) => (id.includes('/component/kefu-chat/') ? undefined : 'kefu-sdk'),
    },
    plugins: [
      // Browser builds of any dependency: mini-programs have no Node built-ins.
      nodeResolve({ browser: true, exportConditions: ['browser', 'import'] }),
      terser({ ecma: 2020, module: true, format: { comments: false } }),
      miniprogramChecks(),
      reportSizes(),
      componentStatic(),
    ],
  },
];
