// Measures what the generated code costs a browser bundle for several pbjs option sets (README
// "Generation"): each set is generated into a temporary directory, bundled with the root rollup setup
// (terser, as in rollup.config.mjs; the generated code imports nothing outside its directory) and gzipped at level 9. Run: npm run size -w @kefu/proto
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { rollup } from 'rollup';
import terser from '@rollup/plugin-terser';
import { generateInto, PBJS_OPTIONS } from './generate.mjs';

const lean = ['--no-verify', '--no-delimited', '--no-typeurl', '--no-service', '--no-comments'];
const sets = [
  ['pbjs defaults', ['--force-number']],
  ['lean, with toObject/fromObject', ['--force-number', ...lean]],
  ['lean, no convert (shipped)', PBJS_OPTIONS],
  ['shipped + --no-beautify', [...PBJS_OPTIONS, '--no-beautify']],
  ['shipped + --no-create (not used)', [...PBJS_OPTIONS, '--no-create']],
];

async function bundleSize(dir, entrySource) {
  const entry = join(dir, 'entry.js');
  writeFileSync(entry, entrySource);
  const bundle = await rollup({ input: entry, onwarn: () => {} });
  const { output } = await bundle.generate({
    format: 'es',
    plugins: [terser({ ecma: 2020, module: true, format: { comments: false } })],
  });
  await bundle.close();
  const code = output[0].code;
  return { raw: Buffer.byteLength(code), gzip: gzipSync(code, { level: 9 }).length };
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const dir = mkdtempSync(join(tmpdir(), 'kefu-proto-size-'));
try {
  console.log('| pbjs options | minified | gzip |\n| --- | ---: | ---: |');
  for (const [label, options] of sets) {
    await generateInto(join(dir, 'generated'), options);
    const size = await bundleSize(dir, "export { kefu } from './generated/kefu.js';\n");
    console.log(`| ${label}: \`${options.join(' ')}\` | ${kb(size.raw)} | ${kb(size.gzip)} |`);
  }
  const runtime = await bundleSize(dir, "export * from './generated/protobuf.js';\n");
  console.log(`| protobuf.js runtime alone (included above) | ${kb(runtime.raw)} | ${kb(runtime.gzip)} |`);
  const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
  if (existsSync(dist)) {
    const all = await bundleSize(dir, `export * from ${JSON.stringify(dist)};\n`);
    console.log(
      `| whole package as built (dist/index.js: codec, topics, ids) | ${kb(all.raw)} | ${kb(all.gzip)} |`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
