// Small command-line entry for scripts: `node --import tsx tools/src/cli.ts <command>`.
import { ensureFerretDbBinary } from './ferretdb.js';

const command = process.argv[2];
switch (command) {
  case 'ensure-ferretdb': {
    const started = Date.now();
    const bin = await ensureFerretDbBinary();
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(`setup: FerretDB launcher ready (${bin}, ${seconds} s)\n`);
    break;
  }
  default:
    process.stderr.write(`usage: cli.ts ensure-ferretdb\n`);
    process.exit(2);
}
