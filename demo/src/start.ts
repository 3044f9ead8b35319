// `npm start`: the Kefu server (child process) and the demo mall (in-process), stopped together.
import { fileURLToPath } from 'node:url';
import { launch } from './launcher/launch.js';

// demo/dist/start.js (or demo/src/start.ts) → the repository root, whatever the cwd.
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const running = launch({ env: process.env, repoRoot });

const onSignal = (): void => {
  running.stop();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
process.on('exit', () => {
  running.killServer();
});

process.exit(await running.exited);
