// Files in <kefu-chat> (issue 17, as the web widget has them) against the real server: picked from a
// WeChat chat (wx.chooseMessageFile), uploaded with progress like images under the customer's own name
// (WeChat's temp path has another), drawn as a file card (name, size, type); a tap downloads it
// (wx.downloadFile from its signed URL) and opens it in WeChat's viewer (wx.openDocument) when WeChat
// can show the type, else tells the host. Setup: component-harness.ts.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitFor, useComponentEnv } from './component-harness.js';
import { signed } from './fixtures.js';

/** A small but real PDF (the server checks the bytes, not the name). */
const PDF = `%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj
trailer << /Root 1 0 R >>
%%EOF
`;

describe('<kefu-chat> files', () => {
  const env = useComponentEnv('miniprogram-files');

  it('sends a file picked from a chat under its own name, and opens it in WeChat’s viewer', async () => {
    const m = env.mount({ server: env.server.url, identity: signed('mp_files') });
    await env.ready(m);
    // WeChat hands out a temp path; the name is the one the customer saw in the chat.
    const temp = join(env.work, 'tmp_8f3a1c.pdf');
    writeFileSync(temp, PDF);
    m.wx.messageFiles.push({ path: temp, name: '发票 2024-03.pdf' });
    m.tap('.kc-more-toggle');
    await waitFor('the more panel', () => (m.all('.kc-file-pick').length ? true : undefined));
    m.tap('.kc-file-pick');
    const sent = await env.agentGot('the file', (x) => x.sender?.uid === 'u_mp_files' && !!x.content?.file);
    env.conversations.push(sent.conversationId ?? '');
    expect(m.wx.chooseFileCalls[0]?.type).toBe('file');
    expect(m.wx.chooseFileCalls[0]?.extension).toContain('pdf');
    expect(sent.content?.file).toMatchObject({
      name: '发票 2024-03.pdf',
      mimeType: 'application/pdf',
      sizeBytes: PDF.length,
    });
    expect(sent.content?.file?.uploadId).toMatch(/^[0-9A-Z]{26}$/);
    // The name also went with the upload, for a server that reads it.
    expect(m.wx.uploadForms.at(-1)).toEqual({ name: '发票 2024-03.pdf' });
    // Progress while it went up, on a file card with its name.
    expect(m.patches.some((p) => JSON.stringify(p).includes('上传中'))).toBe(true);
    await waitFor('the card', () => (m.all('.kc-mine .kc-file').length === 1 ? true : undefined));
    expect(m.text('.kc-mine .kc-file-name')).toBe('发票 2024-03.pdf');
    expect(m.text('.kc-mine .kc-file-size')).toBe(`${String(PDF.length)} B`);
    expect(m.text('.kc-mine .kc-file-ext')).toBe('PDF');

    // A tap: downloaded from a signed URL and opened as a PDF (with WeChat's menu to save or forward).
    m.tap('.kc-mine .kc-file');
    const doc = await waitFor('openDocument', () => m.wx.documents[0]);
    expect(doc).toMatchObject({ fileType: 'pdf', showMenu: true });
    expect(readFileSync(doc.filePath, 'utf8')).toBe(PDF);
    expect(m.wx.downloads[0]).toMatch(/^http/);
  });

  it('hands a file WeChat cannot show to the host, and says what a refused file was', async () => {
    const m = env.mount({ server: env.server.url, identity: signed('mp_files') });
    await env.ready(m);
    const conversationId = env.conversations[0] ?? '';
    // The agent sends a CSV (uploaded like the console does).
    const { token } = await env.admin.sessions.current();
    const form = new FormData();
    form.append('file', new Blob(['sku,qty\nA1,2\n']), '对账单.csv');
    const res = await fetch(`${env.server.url}/api/v1/uploads?conversation_id=${conversationId}&kind=file`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    expect(res.status).toBe(201);
    const up = (await res.json()) as { upload_id: string; url: string; size_bytes: number; name: string };
    await env.admin.send(conversationId, {
      file: {
        uploadId: up.upload_id,
        url: up.url,
        name: up.name,
        sizeBytes: up.size_bytes,
        mimeType: 'text/csv',
      },
    });
    await env.shows(m, '对账单.csv', '.kc-theirs .kc-file');
    expect(m.text('.kc-theirs .kc-file-ext')).toBe('CSV');
    m.tap('.kc-theirs .kc-file');
    const link = await waitFor(
      'navigate',
      () => m.event<{ kind: string; url: string; name: string }>('navigate')[0],
    );
    expect(link).toMatchObject({ kind: 'link', name: '对账单.csv' });
    const download = await fetch(link.url);
    expect(download.status).toBe(200);
    expect(await download.text()).toBe('sku,qty\nA1,2\n');
    expect(m.wx.documents).toHaveLength(0);

    // A program disguised as a document: refused by the server, shown with the reason, no retry.
    const exe = join(env.work, 'tmp_setup.pdf');
    writeFileSync(exe, Buffer.concat([Buffer.from('MZ'), Buffer.alloc(256, 0x90)]));
    m.wx.messageFiles.push({ path: exe, name: '说明书.pdf' });
    m.tap('.kc-more-toggle');
    await waitFor('the more panel', () => (m.all('.kc-file-pick').length ? true : undefined));
    m.tap('.kc-file-pick');
    await env.shows(m, '不支持的文件类型', '.kc-failed');
    expect(m.text('.kc-mine .kc-file-name')).toContain('说明书.pdf');
    expect(m.all('.kc-retry')).toEqual([]);
    expect(m.event<{ code: string }>('error').map((e) => e.code)).toContain('upload_failed');
  });
});
