// Test fixtures for uploads: sessions over HTTP, conversations straight into the repository, media bytes.
import sharp from 'sharp';
import { DEV_IDENTITY_SECRET } from '../../src/config.js';
import { newId } from '../../src/ids.js';
import type { KefuServer } from '../../src/server.js';
import { ConversationRepository } from '../../src/repository/conversation-repository.js';
import { signIdentity } from '../../src/service/auth/identity.js';

export async function customerToken(server: KefuServer, userId: string): Promise<string> {
  const identity = { user_id: userId, ts: Math.floor(Date.now() / 1000) };
  const res = await fetch(`${server.url}/api/v1/sdk/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      type: 'customer',
      identity,
      signature: signIdentity(DEV_IDENTITY_SECRET, identity),
    }),
  });
  if (res.status !== 201) throw new Error(`customer session: ${String(res.status)}`);
  return ((await res.json()) as { token: string }).token;
}

export async function agentToken(server: KefuServer, username: string, password: string): Promise<string> {
  const res = await fetch(`${server.url}/api/v1/agent/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 201) throw new Error(`agent session: ${String(res.status)}`);
  return ((await res.json()) as { token: string }).token;
}

export async function openConversation(server: KefuServer, customerUid: string): Promise<string> {
  const id = newId();
  await new ConversationRepository(server.db).saveConversation({
    id,
    customerUid,
    agentUid: null,
    status: 'open',
    channel: 'web',
    createdAt: new Date(),
  });
  return id;
}

/** A 600×400 JPEG whose EXIF says "rotate 90°" and carries a copyright and GPS-like data. */
export function exifJpeg(): Promise<Buffer> {
  return sharp({ create: { width: 600, height: 400, channels: 3, background: '#3080c0' } })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .withExif({ IFD0: { Copyright: 'secret owner', Artist: 'someone' } })
    .toBuffer();
}

export function png(width = 64, height = 48): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: { r: 255, g: 0, b: 0, alpha: 0.5 } } })
    .png()
    .toBuffer();
}

/** A real (silent) 8 kHz mono 16-bit WAV of `samples` samples. */
export function wav(samples = 8000): Buffer {
  const data = Buffer.alloc(samples * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(16000, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

export const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
export const HTML = Buffer.from(
  '<!doctype html><html><body><script>alert(document.cookie)</script></body></html>',
);
export const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>');
/** The start of a Windows executable (DOS header). */
export const EXE = Buffer.concat([
  Buffer.from('MZ'),
  Buffer.alloc(62),
  Buffer.from('PE\0\0'),
  Buffer.alloc(200),
]);
