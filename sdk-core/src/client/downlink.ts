import { bodyKind, decodeEnvelope, type kefu } from '@kefu/proto';
import type { Emitter } from '../emitter.js';
import type { Delivery } from './delivery.js';
import { errorMessage, type ClientEvents } from './options.js';
import type { TokenRenewal } from './renewal.js';
import type { Sender } from './sender.js';

/** The envelope bodies the server sends down that the client acts on. */
type DownlinkKind =
  | 'message'
  | 'ack'
  | 'syncResponse'
  | 'conversation'
  | 'conversationEvent'
  | 'typing'
  | 'read'
  | 'recalled'
  | 'accessChanged'
  | 'error';

/** What the client does with each kind of body; the payload that is no envelope is `undecodable`. */
export type DownlinkHandlers = {
  [K in DownlinkKind]: (body: NonNullable<kefu.v1.IEnvelope[K]>) => void;
} & { undecodable(message: string): void };

/** Decodes one downlink payload and hands its body to the handler of its kind; other kinds are ignored. */
export function dispatchDownlink(payload: Uint8Array, on: DownlinkHandlers): void {
  let envelope: kefu.v1.Envelope;
  try {
    envelope = decodeEnvelope(payload);
  } catch (err) {
    on.undecodable(errorMessage(err));
    return;
  }
  const kind = bodyKind(envelope);
  const body = kind === undefined ? undefined : envelope[kind];
  // One lookup instead of a switch: each handler takes the body of its own kind (the mapped type above).
  const handler = kind && kind in on ? (on[kind as DownlinkKind] as (b: unknown) => void) : undefined;
  if (body && handler) handler(body);
}

/** The client's handlers: messages and states to Delivery, acks and refusals to Sender, the rest emitted. */
export function clientDownlink(
  events: Pick<Emitter<ClientEvents>, 'emit'>,
  delivery: Delivery,
  sender: Sender,
  renewal: TokenRenewal,
): DownlinkHandlers {
  return {
    message: (m) => {
      delivery.deliver(m);
    },
    ack: (ack) => {
      void sender.acked(ack).then((first) => {
        if (first) events.emit('ack', ack);
      });
    },
    syncResponse: (r) => {
      delivery.syncResponse(r);
    },
    conversation: (s) => {
      delivery.state(s);
    },
    conversationEvent: (e) => {
      events.emit('event', e);
    },
    typing: (t) => {
      events.emit('typing', t);
    },
    read: (r) => {
      events.emit('read', r);
    },
    recalled: (r) => {
      events.emit('recalled', r);
    },
    accessChanged: (change) => {
      events.emit('access', change);
      // The stored session carries the old permissions: take new tokens now.
      void renewal.renewNow();
    },
    error: (e) => {
      events.emit('error', {
        code: e.code ?? 'error',
        message: e.message ?? '',
        requestId: e.requestId ?? '',
        refId: e.refId ?? '',
      });
      sender.refused(e);
    },
    undecodable: (message) => {
      events.emit('error', { code: 'bad_downlink', message });
    },
  };
}
