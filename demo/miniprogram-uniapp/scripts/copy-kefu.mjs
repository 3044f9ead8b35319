// Copies the mini-program SDK's build (sdk-miniprogram/miniprogram_dist: the client API, the kefu-chat
// component and the chunks it requires) into src/wxcomponents/kefu before uni-app's build, as one unit:
// the component requires its chunks by relative path. uni-app copies src/wxcomponents to its output as it
// is. KEFU_MINIPROGRAM_DIST points at another build of the same layout. Usage: node copy-kefu.mjs <dest>
import { cpSync, existsSync, rmSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const source = resolve(process.env.KEFU_MINIPROGRAM_DIST || `${repo}/sdk-miniprogram/miniprogram_dist`);
const dest = process.argv[2];

if (!dest) {
  console.error('usage: node copy-kefu.mjs <dest dir>');
  process.exit(2);
}
if (!existsSync(`${source}/kefu-chat/index.json`)) {
  console.error(
    `kefu: ${source} has no kefu-chat component (kefu-chat/index.json): ` +
      'run `npm run build` in the repository root first.',
  );
  process.exit(1);
}
const target = resolve(dest);
rmSync(target, { recursive: true, force: true });
cpSync(source, target, { recursive: true });
console.log(`kefu: copied ${relative(process.cwd(), source) || '.'} to ${relative(process.cwd(), target)}`);
