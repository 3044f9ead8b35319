import { kefu } from '@kefu/proto';

/** First character, then one `*` per further character: `张*`, `L***` (docs/console-api.md, Masking). */
export function maskName(name: string): string {
  const chars = Array.from(name);
  if (chars.length === 0) return '';
  return `${chars[0] ?? ''}${'*'.repeat(Math.max(1, chars.length - 1))}`;
}

/** `138****5678`; short or foreign numbers keep 3 leading and 2 trailing characters. */
export function maskPhone(phone: string): string {
  const keepEnd = phone.length >= 11 ? 4 : 2;
  if (phone.length <= 3 + keepEnd) return '*'.repeat(phone.length);
  return phone.slice(0, 3) + '*'.repeat(phone.length - 3 - keepEnd) + phone.slice(-keepEnd);
}

export const MASKED_POINTS = '***';

/** A customer's name as one viewer may see it. */
export function nameFor(name: string | undefined, revealPii: boolean): string {
  if (!name) return '';
  return revealPii ? name : maskName(name);
}

type P = kefu.v1.IParticipant | null | undefined;

function maskParticipant(p: P): void {
  if (p && p.role === kefu.v1.Role.ROLE_CUSTOMER && p.name) p.name = maskName(p.name);
}

/** Every customer participant an envelope names (DESIGN.md §3: names are personal data). */
function customerParticipants(e: kefu.v1.IEnvelope): P[] {
  const ev = e.conversationEvent;
  return [
    e.message?.sender,
    e.conversation?.customer,
    e.typing?.from,
    e.read?.reader,
    e.recalled?.by,
    ev?.created?.customer,
    ev?.closed?.by,
    ev?.transferred?.from,
    ev?.transferred?.to,
    e.syncResponse?.conversation?.customer,
    ...(e.syncResponse?.messages ?? []).map((m) => m.sender),
  ];
}

/**
 * The envelope as an agent without `pii:view` may see it: every customer's name masked. The input is
 * never changed (it may be published to other recipients too): a copy is made when something needs masking.
 */
export function maskEnvelope(e: kefu.v1.IEnvelope): kefu.v1.IEnvelope {
  const named = customerParticipants(e).some((p) => p?.role === kefu.v1.Role.ROLE_CUSTOMER && !!p.name);
  if (!named) return e;
  const copy = kefu.v1.Envelope.decode(kefu.v1.Envelope.encode(e).finish());
  for (const p of customerParticipants(copy)) maskParticipant(p);
  return copy;
}

/** A wire message (HTTP history) as a viewer may see it. */
export function messageFor(m: kefu.v1.IMessage, revealPii: boolean): kefu.v1.IMessage {
  if (revealPii || m.sender?.role !== kefu.v1.Role.ROLE_CUSTOMER || !m.sender.name) return m;
  return { ...m, sender: { ...m.sender, name: maskName(m.sender.name) } };
}
