// node bench/probe/ferretdb-costs.mjs — what one conversation activity update (with and without the
// conversation collection's nine secondary indexes), one message insert and one `_id` read cost FerretDB's
// CPU. Starts its own FerretDB (npm run build first: it uses @kefu/tools from dist), prints four lines.
import { mkdtemp, readFileSync, rm } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { MongoClient } from 'mongodb';
import { startFerretDb } from '@kefu/tools';

const dir = await new Promise((res, rej) =>
  mkdtemp(join(tmpdir(), 'kefu-probe-'), (e, d) => (e ? rej(e) : res(d))),
);
const fdb = await startFerretDb({ dataDir: dir });
const pid = fdb.process.child.pid;
const c = new MongoClient(fdb.uri);
const db = c.db('probe' + Date.now());
// utime + stime of FerretDB in ms (clock ticks of 10 ms).
const cpu = async () =>
  readFileSync(`/proc/${pid}/stat`, 'utf8')
    .split(') ')[1]
    .split(' ')
    .slice(11, 13)
    .reduce((a, b) => a + Number(b), 0) * 10;
async function run(label, indexed) {
  const col = db.collection('conv_' + label);
  if (indexed) {
    for (const k of [
      { customer_uid: 1, status: 1, created_at: -1 },
      { agent_uid: 1, status: 1, created_at: -1 },
      { status: 1, created_at: -1 },
      { status: 1, priority: -1, queued_at: 1 },
      { status: 1, route_key: 1 },
      { status: 1, closed_at: -1 },
      { created_at: -1 },
      { agent_uid: 1, status: 1, last_activity_at: -1 },
      { status: 1, last_activity_at: -1 },
    ])
      await col.createIndex(k);
  }
  const now = new Date();
  await col.insertMany(
    Array.from({ length: 1000 }, (_, i) => ({
      _id: 'c' + i,
      customer_uid: 'u' + i,
      agent_uid: 'a' + (i % 4),
      status: 'open',
      channel: 'web',
      created_at: now,
      queued_at: now,
      assigned_at: now,
      priority: 0,
      route_key: '*',
      last_activity_at: now,
      last_message: { seq: 1, preview: 'hello', sender_role: 'c', at: now },
      customer_seqs: [1],
    })),
  );
  const c0 = await cpu();
  const t0 = performance.now();
  for (let round = 0; round < 20; round++) {
    await col.bulkWrite(
      Array.from({ length: 50 }, (_, i) => ({
        updateOne: {
          filter: { _id: 'c' + ((round * 50 + i) % 1000) },
          update: {
            $set: {
              last_activity_at: new Date(),
              last_message: { seq: round + 2, preview: 'bench ' + round, sender_role: 'c', at: new Date() },
              waiting_since: new Date(),
            },
          },
        },
      })),
      { ordered: false },
    );
  }
  const ms = performance.now() - t0;
  const dc = (await cpu()) - c0;
  console.log(
    label,
    '1000 activity updates (20 bulkWrites of 50):',
    ms.toFixed(0),
    'ms wall,',
    dc,
    'ms FerretDB CPU →',
    (dc / 1000).toFixed(2),
    'ms CPU per update',
  );
}
async function inserts() {
  const m = db.collection('msgs');
  const k = db.collection('keys');
  await m.createIndex({ conversation_id: 1, seq: 1 });
  const c0 = await cpu();
  const t0 = performance.now();
  for (let round = 0; round < 20; round++) {
    await m.insertMany(
      Array.from({ length: 50 }, (_, i) => ({
        _id: `c${i}:${round}`,
        conversation_id: 'c' + i,
        seq: round,
        client_msg_id: 'x' + round + '_' + i,
        sender_uid: 'u' + i,
        sender_role: 'c',
        content: Buffer.alloc(40, 1),
        content_kind: 'text',
        text: 'bench message ' + round,
        created_at: new Date(),
        internal_note: false,
      })),
    );
    await k.insertMany(
      Array.from({ length: 50 }, (_, i) => ({
        _id: `u${i}:x${round}_${i}`,
        message_id: `c${i}:${round}`,
        at: new Date(),
      })),
    );
  }
  const ms = performance.now() - t0;
  const dc = (await cpu()) - c0;
  console.log(
    '1000 messages + 1000 keys (insertMany of 50):',
    ms.toFixed(0),
    'ms wall,',
    dc,
    'ms FerretDB CPU →',
    (dc / 1000).toFixed(2),
    'ms CPU per message',
  );
}
await run('indexed', true);
await run('plain', false);
await inserts();
const col = db.collection('conv_indexed');
const c0 = await cpu();
const t0 = performance.now();
await Promise.all(Array.from({ length: 1000 }, (_, i) => col.findOne({ _id: 'c' + i })));
console.log(
  '1000 parallel _id reads:',
  (performance.now() - t0).toFixed(0),
  'ms wall,',
  (await cpu()) - c0,
  'ms CPU',
);
await c.close();
await fdb.stop();
rm(dir, { recursive: true, force: true }, () => undefined);
