// What the mini-program client tests share: the chat model over the platform stand-in in one call style,
// the agent's uploads over HTTP, and a patient waitFor.
import { expect } from 'vitest';
import type { AgentClient, CustomerChat } from '@kefu/sdk-core';
import { waitFor as waitForQuickly } from '@kefu/tools/testing';
import { createChat } from '../src/client.js';
import { createFakePlatform, type FakePlatform, type Flavour } from './fake-platform.js';
import { signed } from './fixtures.js';

/** Server round trips (image processing, voice conversion) get 30 s: the suite shares two cores. */
export const waitFor = <T>(
  what: string,
  check: () => T | Promise<T>,
  options: { timeoutMs?: number; intervalMs?: number } = {},
) => waitForQuickly(what, check, { timeoutMs: 30_000, ...options });

export interface Harness {
  chat: CustomerChat<string>;
  wx: FakePlatform;
  events: { name: string; payload: unknown }[];
}

export function customerChat(
  server: string,
  userId: string,
  flavour: Flavour,
  wx = createFakePlatform(flavour),
): Harness {
  const events: Harness['events'] = [];
  const chat = createChat({
    platform: wx,
    server,
    identity: () => Promise.resolve(signed(userId)),
    attributes: () => ({}),
    page: () => ({ url: 'pages/chat/index', title: '在线客服' }),
    visible: () => true,
    emit: (name, payload) => events.push({ name, payload }),
    setUnread: () => undefined,
    setActive: () => undefined,
  });
  return { chat, wx, events };
}

/** The agent's upload over HTTP (the console does the same with XMLHttpRequest). */
export async function agentUpload(
  server: string,
  client: AgentClient,
  conversationId: string,
  kind: 'image' | 'voice' | 'file',
  bytes: Buffer,
  name: string,
) {
  const { token } = await client.sessions.current();
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), name);
  const res = await fetch(`${server}/api/v1/uploads?conversation_id=${conversationId}&kind=${kind}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  expect(res.status).toBe(201);
  return (await res.json()) as {
    upload_id: string;
    url: string;
    size_bytes: number;
    mime_type: string;
    duration_ms?: number;
  };
}
