import { contentKind, kefu } from '@kefu/proto';
import { ForbiddenError, ValidationError } from '../../errors.js';
import type { TopicRole } from './publisher.js';

type ContentKind = NonNullable<ReturnType<typeof contentKind>>;

/** What each side may send; bot replies and system notices come from the server only. */
const ALLOWED: Record<TopicRole, ReadonlySet<ContentKind>> = {
  c: new Set<ContentKind>([
    'text',
    'sticker',
    'image',
    'voice',
    'file',
    'product',
    'order',
    'ratingResult',
    'call',
  ]),
  a: new Set<ContentKind>([
    'text',
    'sticker',
    'image',
    'voice',
    'file',
    'product',
    'order',
    'ratingInvite',
    'call',
  ]),
};

export const LIMITS = {
  text: 5_000,
  shortText: 200,
  url: 2_048,
  sdp: 16_000,
  listItems: 50,
} as const;

function check(ok: boolean, message: string): void {
  if (!ok) throw new ValidationError(message);
}

function short(value: string | null | undefined, name: string, max: number = LIMITS.shortText): void {
  check((value ?? '').length <= max, `${name} is longer than ${String(max)} characters`);
}

function url(value: string | null | undefined, name: string): void {
  const v = value ?? '';
  check(v.length <= LIMITS.url, `${name} is too long`);
  check(v === '' || /^(https?:\/\/|\/)/i.test(v), `${name} must be an http(s) URL or a path`);
}

function buttons(list: kefu.v1.ICardButton[] | null | undefined): void {
  check((list ?? []).length <= 3, 'a card has at most 3 buttons');
  for (const b of list ?? []) {
    short(b.label, 'button label', 20);
    url(b.url, 'button url');
    short(b.value, 'button value');
  }
}

/**
 * Validates a content sent by a client: one kind set, allowed for the sender's role, within limits.
 * Returns the kind and the plain text used for previews and search.
 */
export function validateContent(
  role: TopicRole,
  content: kefu.v1.IContent | null | undefined,
): { kind: ContentKind; text: string } {
  if (!content) throw new ValidationError('content is missing');
  const kind = contentKind(content);
  if (!kind) throw new ValidationError('content has no kind');
  if (!ALLOWED[role].has(kind))
    throw new ForbiddenError(`${role === 'c' ? 'customers' : 'agents'} may not send ${kind} content`);

  switch (kind) {
    case 'text': {
      const text = content.text?.text ?? '';
      check(text.trim().length > 0, 'text is empty');
      check(text.length <= LIMITS.text, `text is longer than ${String(LIMITS.text)} characters`);
      return { kind, text };
    }
    case 'sticker': {
      const s = content.sticker ?? {};
      short(s.pack, 'sticker pack');
      short(s.stickerId, 'sticker id');
      url(s.url, 'sticker url');
      short(s.alt, 'sticker alt');
      check(!!s.stickerId || !!s.url, 'a sticker needs an id or a url');
      return { kind, text: s.alt ?? '' };
    }
    case 'image':
    case 'voice':
    case 'file': {
      const media = (content.image ?? content.voice ?? content.file ?? {}) as {
        uploadId?: string | null;
        url?: string | null;
        name?: string | null;
      };
      check(!!media.uploadId || !!media.url, `${kind} needs an upload_id or a url (upload over HTTP first)`);
      short(media.uploadId, 'upload_id', 64);
      url(media.url, `${kind} url`);
      short(media.name, 'file name', 255);
      return { kind, text: kind === 'file' ? (media.name ?? '') : '' };
    }
    case 'product': {
      const p = content.product ?? {};
      check(!!p.id && !!p.title, 'a product card needs id and title');
      short(p.id, 'product id', 64);
      short(p.title, 'product title');
      short(p.description, 'product description', 1_000);
      short(p.label, 'product label');
      url(p.image, 'product image');
      url(p.url, 'product url');
      buttons(p.buttons);
      return { kind, text: p.title ?? '' };
    }
    case 'order': {
      const o = content.order ?? {};
      check(!!o.orderNo, 'an order card needs order_no');
      short(o.orderNo, 'order_no', 64);
      short(o.statusText, 'order status text');
      url(o.url, 'order url');
      check((o.items ?? []).length <= LIMITS.listItems, 'too many order items');
      for (const item of o.items ?? []) {
        short(item.name, 'order item name');
        url(item.image, 'order item image');
      }
      buttons(o.buttons);
      return { kind, text: o.orderNo ?? '' };
    }
    case 'ratingInvite': {
      const r = content.ratingInvite ?? {};
      check(!!r.inviteId, 'a rating invite needs invite_id');
      short(r.prompt, 'rating prompt', 500);
      check((r.options ?? []).length <= 11, 'too many rating options');
      return { kind, text: r.prompt ?? '' };
    }
    case 'ratingResult': {
      const r = content.ratingResult ?? {};
      check(!!r.inviteId, 'a rating result needs invite_id');
      const max =
        r.scale === kefu.v1.RatingScale.RATING_SCALE_NPS
          ? 10
          : r.scale === kefu.v1.RatingScale.RATING_SCALE_TWO_LEVEL
            ? 1
            : 5;
      check(
        r.declined === true ||
          ((r.score ?? 0) <= max &&
            (r.scale !== kefu.v1.RatingScale.RATING_SCALE_FIVE_STAR || (r.score ?? 0) >= 1)),
        'rating score is out of range',
      );
      short(r.comment, 'rating comment', 1_000);
      check((r.tags ?? []).length <= 20, 'too many rating tags');
      return { kind, text: r.comment ?? '' };
    }
    case 'call': {
      const c = content.call ?? {};
      check(!!c.callId, 'a call signal needs call_id');
      check(
        (c.sdp ?? '').length <= LIMITS.sdp && (c.candidate ?? '').length <= LIMITS.shortText * 5,
        'call signal too large',
      );
      return { kind, text: '' };
    }
    default:
      throw new ForbiddenError(`${kind} content cannot be sent by clients`);
  }
}
