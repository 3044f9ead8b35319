// What the mini-program tests share: the real server with the seeded admin signed in as an agent, signed
// customer identities, and media as WeChat's pickers and recorder produce them.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import sharp from 'sharp';
import type { kefu } from '@kefu/proto';
import type { AgentClient } from '@kefu/sdk-core';
import { getFreePort, testMongoUri } from '@kefu/tools/testing';
import { DEV_IDENTITY_SECRET, type Config } from '../../server/src/config.js';
import { startServer, type KefuServer } from '../../server/src/server.js';
import { signIdentity } from '../../server/src/service/auth/identity.js';
import { silentLogger, testConfig } from '../../server/test/helpers.js';
import { agent, collect, online } from '../../server/test/messaging/harness.js';

export const ADMIN_PASSWORD = 'admin-pass-123';

export interface Kefu {
  server: KefuServer;
  config: Config;
  /** The seeded admin, online as an agent (gets every chat), and what it received. */
  admin: AgentClient;
  atAgent: kefu.v1.IMessage[];
}

/** The real server (embedded broker, FerretDB database `label`) and an online agent. */
export async function startKefu(label: string, env: Record<string, string> = {}): Promise<Kefu> {
  const config = testConfig({
    PORT: String(await getFreePort()),
    MONGODB_URI: testMongoUri(label),
    ADMIN_PASSWORD,
    ...env,
  });
  const server = await startServer(config, silentLogger);
  const admin = agent(server.url, 'admin', ADMIN_PASSWORD);
  const atAgent = collect(admin);
  await admin.start();
  await online(admin);
  return { server, config, admin, atAgent };
}

/** A customer identity signed the way the mall backend signs it. */
export function signed(userId: string): {
  identity: { user_id: string; ts: number };
  signature: string;
} {
  const identity = { user_id: userId, ts: Math.floor(Date.now() / 1000) };
  return { identity, signature: signIdentity(DEV_IDENTITY_SECRET, identity) };
}

/** A 64×48 PNG (what chooseMedia returns a temp path to) and a 2 s clip as WeChat's recorder writes it. */
export async function mediaFiles(dir: string): Promise<{ png: string; aac: string }> {
  const png = join(dir, 'photo.png');
  await sharp({ create: { width: 64, height: 48, channels: 3, background: '#3a7' } })
    .png()
    .toFile(png);
  // RecorderManager with format 'aac': ADTS AAC, mono.
  const aac = join(dir, 'voice.aac');
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:duration=2',
    '-ac',
    '1',
    '-c:a',
    'aac',
    '-f',
    'adts',
    aac,
  ]);
  return { png, aac };
}
