// DB_COMMAND_METRICS: /metrics counts the database commands the server sends (command monitoring), per
// command and collection, with their BSON bytes — what bench:messaging divides by persisted messages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMongoUri } from '@kefu/tools/testing';
import { startServer, type KefuServer } from '../../src/server.js';
import { silentLogger, testConfig } from '../helpers.js';
import { customer, online } from '../messaging/harness.js';

/** `name{labels} value` lines of the Prometheus text format, summed per label set. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) && want.every((w) => l.includes(w)))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

describe('database command metrics', () => {
  let on: KefuServer;
  let off: KefuServer;
  beforeAll(async () => {
    on = await startServer(
      testConfig({ MONGODB_URI: testMongoUri('db-metrics-on'), DB_COMMAND_METRICS: 'true' }),
      silentLogger,
    );
    off = await startServer(testConfig({ MONGODB_URI: testMongoUri('db-metrics-off') }), silentLogger);
  });
  afterAll(async () => {
    await on.stop();
    await off.stop();
  });
  const scrape = async (server: KefuServer) => (await fetch(`${server.url}/metrics`)).text();

  it('counts the commands a message costs, with the bytes written', async () => {
    const c = customer(on.url, 'metrics_customer');
    await c.start();
    await online(c);
    const { id } = await c.open({ channel: 'web' });
    const before = await scrape(on);
    const inserts = () => ({ command: 'insert', collection: 'messages' });
    await c.sendText(id ?? '', '积分什么时候到账');
    let after = before;
    for (
      let i = 0;
      i < 50 &&
      sample(after, 'kefu_db_commands_total', inserts()) <=
        sample(before, 'kefu_db_commands_total', inserts());
      i++
    ) {
      await new Promise((r) => setTimeout(r, 100));
      after = await scrape(on);
    }
    expect(
      sample(after, 'kefu_db_commands_total', inserts()) -
        sample(before, 'kefu_db_commands_total', inserts()),
    ).toBeGreaterThanOrEqual(1);
    // The message's document went over the wire: more bytes than its text alone.
    const written =
      sample(after, 'kefu_db_command_bytes_total', inserts()) -
      sample(before, 'kefu_db_command_bytes_total', inserts());
    expect(written).toBeGreaterThan(Buffer.byteLength('积分什么时候到账'));
    expect(sample(after, 'kefu_db_reply_bytes_total', { command: 'insert' })).toBeGreaterThan(0);
    await c.stop();
  });

  it('is off by default', async () => {
    expect(await scrape(off)).not.toContain('kefu_db_commands_total');
  });
});
