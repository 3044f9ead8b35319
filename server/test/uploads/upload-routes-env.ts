// The upload routes' server for one test file and one blob store (GridFS or disk): started before its
// tests with voice clips capped at 64 KiB, customers bob (in the conversation) and carol (not), the
// admin, and bob's conversation; stopped after the file. Read the environment inside tests only.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { testMongoUri } from '@kefu/tools/testing';
import { startServer, type KefuServer } from '../../src/server.js';
import { uploadModel } from '../../src/model/upload.js';
import { silentLogger, testConfig } from '../helpers.js';
import { agentToken, customerToken, openConversation } from './fixtures.js';

export type UploadStore = 'gridfs' | 'disk';
export const STORES: readonly UploadStore[] = ['gridfs', 'disk'];

export interface UploadBody {
  upload_id: string;
  kind: string;
  url: string;
  thumbnail_url?: string;
  signed_url: string;
  signed_thumbnail_url?: string;
  signed_expires_at: string;
  width?: number;
  height?: number;
  size_bytes: number;
  mime_type: string;
  name: string;
}
export interface ErrorBody {
  error: { code: string; message: string; details?: { reason?: string } };
}

export interface UploadRoutesEnv {
  server: KefuServer;
  /** Tokens: bob (a participant), carol (not), the admin (monitor permission). */
  bob: string;
  carol: string;
  admin: string;
  /** bob's conversation. */
  conversationId: string;
  upload: (
    file: Buffer | Blob[],
    opts?: { kind?: string; name?: string; type?: string; token?: string; conversation?: string },
  ) => Promise<Response>;
  get: (path: string, token?: string, headers?: Record<string, string>) => Promise<Response>;
  /** Upload records and stored blobs. */
  stored: () => Promise<{ records: number; blobs: number }>;
  /** Checks a refusal: the status, a message, the reason if given, and nothing stored. */
  expectRefused: (res: Response, status: number, reason?: string) => Promise<ErrorBody>;
}

export function useUploadRoutes(store: UploadStore): UploadRoutesEnv {
  let dir = '';
  const env: UploadRoutesEnv = {
    server: undefined as unknown as KefuServer,
    bob: '',
    carol: '',
    admin: '',
    conversationId: '',
    upload: (file, opts = {}) => {
      const form = new FormData();
      const files = Array.isArray(file)
        ? file
        : [new Blob([new Uint8Array(file)], { type: opts.type ?? 'application/octet-stream' })];
      for (const f of files) form.append('file', f, opts.name ?? 'upload.bin');
      const q = `conversation_id=${opts.conversation ?? env.conversationId}&kind=${opts.kind ?? 'image'}`;
      return fetch(`${env.server.url}/api/v1/uploads?${q}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${opts.token ?? env.bob}` },
        body: form,
      });
    },
    get: (path, token, headers = {}) =>
      fetch(`${env.server.url}${path}`, {
        headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      }),
    stored: async () => {
      const records = await uploadModel(env.server.db).countDocuments();
      const blobs =
        store === 'gridfs'
          ? await env.server.db.collection('uploads.files').countDocuments()
          : (await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])).filter((e) =>
              e.isFile(),
            ).length;
      return { records, blobs };
    },
    expectRefused: async (res, status, reason) => {
      const before = await env.stored();
      expect(res.status).toBe(status);
      const body = (await res.json()) as ErrorBody;
      expect(body.error.message).toBeTruthy();
      if (reason) expect(body.error.details?.reason).toBe(reason);
      expect(await env.stored()).toEqual(before);
      return body;
    },
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kefu-uploads-'));
    env.server = await startServer(
      testConfig({
        MONGODB_URI: testMongoUri(`uploads_${store}`),
        ADMIN_PASSWORD: 'admin-pass-123',
        UPLOAD_STORE: store,
        UPLOAD_DIR: dir,
        UPLOAD_MAX_VOICE_BYTES: String(64 * 1024),
      }),
      silentLogger,
    );
    env.bob = await customerToken(env.server, 'bob');
    env.carol = await customerToken(env.server, 'carol');
    env.admin = await agentToken(env.server, 'admin', 'admin-pass-123');
    env.conversationId = await openConversation(env.server, 'u_bob');
  });
  afterAll(async () => {
    await env.server.stop();
    await rm(dir, { recursive: true, force: true });
  });
  return env;
}
