import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { ForbiddenError, NotFoundError } from '../../errors.js';
import type { ByteRange } from '../../infra/blob-store.js';
import type { ConversationRepository } from '../../repository/conversation-repository.js';
import type { Upload } from '../../repository/upload-repository.js';
import type { TokenService } from '../../service/auth/tokens.js';
import { tooLarge, type UploadService } from '../../service/uploads/upload-service.js';
import { uploadPath, type UploadUrlSigner, type UploadVariant } from '../../service/uploads/url-signer.js';
import { principalOf, requireAuth } from './auth.js';
import type { ScopeResolver } from '../access/scope-resolver.js';
import { isParticipant, parseQuery } from './history-routes.js';
import { MULTIPART_OVERHEAD_BYTES, readSingleFile } from './upload-multipart.js';

const UPLOADS_PATH = '/api/v1/uploads';

const uploadQuery = z.strictObject({
  conversation_id: z.string().min(1).max(80),
  kind: z.enum(['image', 'voice', 'file']),
});

const downloadQuery = z.strictObject({
  exp: z
    .string()
    .regex(/^\d{1,12}$/, 'must be Unix seconds')
    .transform(Number)
    .optional(),
  sig: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/, 'is not a signature')
    .optional(),
});

function urlsJson(upload: Upload, signer: UploadUrlSigner): Record<string, unknown> {
  const signed = (variant: UploadVariant): { url: string; exp: number } => {
    const { exp, sig } = signer.sign(upload.id, variant);
    return { url: `${uploadPath(upload.id, variant)}?exp=${String(exp)}&sig=${sig}`, exp };
  };
  const original = signed('original');
  const thumbnail = upload.thumbnail ? signed('thumbnail') : undefined;
  return {
    upload_id: upload.id,
    url: uploadPath(upload.id, 'original'),
    ...(thumbnail ? { thumbnail_url: uploadPath(upload.id, 'thumbnail') } : {}),
    signed_url: original.url,
    ...(thumbnail ? { signed_thumbnail_url: thumbnail.url } : {}),
    signed_expires_at: new Date(original.exp * 1000).toISOString(),
  };
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n`; anything else (or several ranges) is ignored, as RFC 9110 allows. */
export function parseRange(header: string, size: number): ByteRange | 'unsatisfiable' | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size) return 'unsatisfiable';
  if (end < start) return undefined;
  return { start, end };
}

/** `attachment`/`inline` with an ASCII fallback name and the exact UTF-8 name (RFC 6266). */
function contentDisposition(type: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * Uploads (DESIGN.md §2: large binaries go over HTTP, messages carry the id and URL).
 * POST /uploads?conversation_id&kind — one multipart `file` part, participants only;
 * GET /uploads/:id and /uploads/:id/thumbnail — bearer of a participant, or a signed URL;
 * GET /uploads/:id/signed — fresh signed URLs for rendering history.
 */
export function uploadRoutes(deps: {
  tokens: TokenService;
  scopes: ScopeResolver;
  conversations: ConversationRepository;
  uploads: UploadService;
  signer: UploadUrlSigner;
  /** No body byte for this long: 408 (UPLOAD_IDLE_TIMEOUT_MS). */
  idleTimeoutMs: number;
}): Router {
  const router = new Router({ prefix: UPLOADS_PATH });
  const auth = requireAuth(deps.tokens);

  /** The upload, if the bearer may read its conversation whole (port/access). */
  const participantsUpload = async (ctx: Context, id: string): Promise<Upload> => {
    const p = principalOf(ctx);
    const upload = await deps.uploads.findUpload(id);
    const conversation = await deps.conversations.findConversation(upload.conversationId);
    if (!conversation || (await deps.scopes.access(p, conversation)) !== 'full')
      throw new ForbiddenError('Only participants of the conversation may open its uploads');
    return upload;
  };

  router.post('/', auth, async (ctx) => {
    const p = principalOf(ctx);
    const q = parseQuery(ctx, uploadQuery);
    const conversation = await deps.conversations.findConversation(q.conversation_id);
    if (!conversation) throw new NotFoundError('Unknown conversation');
    if (!isParticipant(p, conversation))
      throw new ForbiddenError('Only participants of the conversation may upload into it');

    const maxBytes = deps.uploads.maxBytes(q.kind);
    // An oversized body is refused before it is read; the connection closes so its rest is never read.
    const refuse = (): Error => {
      ctx.set('Connection', 'close');
      return tooLarge(q.kind, maxBytes);
    };
    const declared = Number(ctx.get('content-length') || '0');
    if (declared > maxBytes + MULTIPART_OVERHEAD_BYTES) throw refuse();
    const part = await readSingleFile(ctx.req, maxBytes, refuse, { idleTimeoutMs: deps.idleTimeoutMs });
    const upload = await deps.uploads.createUpload({
      conversationId: conversation.id,
      uploaderUid: p.uid,
      uploaderRole: p.role,
      kind: q.kind,
      fileName: part.fileName,
      data: part.data,
    });
    ctx.status = 201;
    ctx.body = {
      ...urlsJson(upload, deps.signer),
      kind: upload.kind,
      ...(upload.width === undefined ? {} : { width: upload.width, height: upload.height }),
      ...(upload.durationMs === undefined ? {} : { duration_ms: upload.durationMs }),
      size_bytes: upload.sizeBytes,
      mime_type: upload.mimeType,
      name: upload.name,
    };
  });

  router.get('/:id/signed', auth, async (ctx) => {
    const upload = await participantsUpload(ctx, ctx.params['id'] ?? '');
    ctx.set('Cache-Control', 'no-store');
    ctx.body = urlsJson(upload, deps.signer);
  });

  const download = (variant: UploadVariant) => async (ctx: Context & { params: Record<string, string> }) => {
    const q = parseQuery(ctx, downloadQuery);
    const id = ctx.params['id'] ?? '';
    let upload: Upload;
    if (q.exp !== undefined || q.sig !== undefined) {
      if (q.exp === undefined || q.sig === undefined) throw new ForbiddenError('The signed URL is not valid');
      deps.signer.verify(id, variant, q.exp, q.sig);
      upload = await deps.uploads.findUpload(id);
    } else {
      await auth(ctx, () => Promise.resolve());
      upload = await participantsUpload(ctx, id);
    }
    const size = deps.uploads.variantSize(upload, variant);
    if (size === undefined) throw new NotFoundError('This upload has no thumbnail');
    const range = ctx.get('range') ? parseRange(ctx.get('range'), size) : undefined;
    if (range === 'unsatisfiable') {
      ctx.set('Content-Range', `bytes */${String(size)}`);
      ctx.status = 416;
      ctx.body = { error: { code: 'bad_request', message: 'The requested range is outside the file' } };
      return;
    }
    const length = range ? range.end - range.start + 1 : size;
    if (range) {
      ctx.status = 206;
      ctx.set('Content-Range', `bytes ${String(range.start)}-${String(range.end)}/${String(size)}`);
    }
    const opened = ctx.method === 'HEAD' ? undefined : await deps.uploads.openVariant(upload, variant, range);
    ctx.set('Content-Type', variant === 'thumbnail' ? (upload.thumbnail?.mimeType ?? '') : upload.mimeType);
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Content-Security-Policy', "default-src 'none'; sandbox");
    ctx.set('Cache-Control', 'private, max-age=86400');
    ctx.set('Accept-Ranges', 'bytes');
    ctx.set(
      'Content-Disposition',
      contentDisposition(
        upload.kind === 'file' ? 'attachment' : 'inline',
        variant === 'thumbnail' ? `${upload.name.replace(/\.[^.]*$/, '')}-thumbnail.jpg` : upload.name,
      ),
    );
    if (opened) ctx.body = opened.blob.stream;
    else ctx.status = range ? 206 : 200;
    ctx.length = length;
  };
  router.get('/:id', download('original'));
  router.get('/:id/thumbnail', download('thumbnail'));

  return router;
}
