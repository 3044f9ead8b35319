// The production entry (runMain, with its process guard) plus two routes that let an error escape every
// handler: one thrown from a timer, one rejected promise that nobody awaits.
import type { Middleware } from 'koa';
import { runMain } from '../../src/run.js';

const escape: Middleware = async (ctx, next) => {
  if (ctx.path === '/test/throw-in-timer') {
    setTimeout(() => {
      throw new Error('thrown in a timer');
    }, 0);
  } else if (ctx.path === '/test/reject-unhandled') {
    void Promise.reject(new Error('rejected with no handler'));
  } else {
    await next();
    return;
  }
  ctx.body = { scheduled: true };
};

await runMain({ middleware: [escape] });
