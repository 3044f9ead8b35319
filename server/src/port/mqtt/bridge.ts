import type { kefu } from '@kefu/proto';
import { bodyKind, decodeEnvelope, encodeEnvelope, ProtocolError, type TopicSet } from '@kefu/proto';
import type { MqttClient } from 'mqtt';
import { Counter, type Registry } from 'prom-client';
import { AppError, ValidationError } from '../../errors.js';
import { newId } from '../../ids.js';
import type { Logger } from '../../log.js';
import type { ConversationService } from '../../service/conversations/conversation-service.js';
import type { PresenceService } from '../../service/conversations/presence-service.js';
import type { MessageService } from '../../service/messaging/message-service.js';
import type { MessageSync } from '../../service/messaging/message-sync.js';
import type { Receipts } from '../../service/messaging/receipts.js';
import type { Actor, Publisher } from '../../service/messaging/publisher.js';
import { reportError } from '../error-report.js';

export interface BridgeOptions {
  client: MqttClient;
  topics: TopicSet;
  /** `$share/<group>/…` subscriptions (EMQX, Mosquitto); undefined on Aedes. */
  sharedGroup: string | undefined;
  messages: MessageService;
  sync: MessageSync;
  receipts: Receipts;
  conversations: ConversationService;
  presence: PresenceService;
  logger: Logger;
  registry: Registry;
  /** Uplink envelopes per sender: sustained rate per second and burst. */
  rate?: { perSecond: number; burst: number };
}

export interface Bridge {
  /** Unsubscribes, then waits for envelopes being processed. */
  stop(): Promise<void>;
}

/** Publishes envelopes to a user's down topic (every device of theirs). */
export function createMqttPublisher(client: MqttClient, topics: TopicSet): Publisher {
  return {
    async toUser(role, uid, envelope, qos) {
      await client.publishAsync(topics.down(role, uid), Buffer.from(encodeEnvelope(envelope)), { qos });
    },
  };
}

/** An uplink payload, decoded on arrival. */
type Decoded = { envelope: kefu.v1.Envelope } | { error: unknown };

/** Token bucket per key, in this instance's memory. */
class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
  ) {}

  take(key: string, now = Date.now()): boolean {
    if (this.buckets.size > 100_000) this.buckets.clear();
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.perSecond);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}

/**
 * The MQTT port: consumes uplink and presence topics, decodes and validates each envelope, checks the
 * sender's rate, and hands it to the services. Envelopes of one sender are processed in order; a
 * refused envelope gets `Error{code, message, ref_id, request_id}` on the sender's down topic and
 * changes nothing. The topic names the sender: the broker lets a client publish only to its own topics.
 */
export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const { client, topics, logger } = options;
  const publisher = createMqttPublisher(client, topics);
  const limiter = new RateLimiter(options.rate?.perSecond ?? 20, options.rate?.burst ?? 60);
  const chains = new Map<string, Promise<void>>();
  /** `<sender>/<envelope id>` of the sends queued or being handled. */
  const queuedSends = new Set<string>();
  const processed = new Counter({
    name: 'kefu_mqtt_envelopes_total',
    help: 'Uplink envelopes by body kind and outcome.',
    labelNames: ['kind', 'outcome'],
    registers: [options.registry],
  });
  let stopped = false;

  const replyError = async (
    actor: Actor,
    requestId: string,
    err: unknown,
    context: Record<string, unknown>,
  ): Promise<void> => {
    const report = reportError(err, logger, { ...context, uid: actor.uid });
    const envelope: kefu.v1.IEnvelope = {
      id: newId(),
      sentAtMs: Date.now(),
      error: { code: report.code, message: report.message, refId: report.refId, requestId },
    };
    await publisher.toUser(actor.role, actor.uid, envelope, 1).catch((e: unknown) => {
      logger.warn({ err: e }, 'could not deliver an error to its sender');
    });
  };

  const dispatch = async (actor: Actor, envelope: kefu.v1.Envelope, receivedAt: number): Promise<string> => {
    const kind = bodyKind(envelope);
    switch (kind) {
      case 'send':
        await options.messages.send(
          actor,
          envelope.id,
          envelope.send ?? {},
          envelope.sentAtMs || receivedAt,
          receivedAt,
        );
        break;
      case 'syncRequest':
        await options.sync.sync(actor, envelope.id, envelope.syncRequest ?? {});
        break;
      case 'typing':
        await options.receipts.typing(actor, envelope.typing ?? {});
        break;
      case 'read':
        await options.receipts.read(actor, envelope.read ?? {});
        break;
      case 'recall':
        await options.messages.recall(actor, envelope.recall ?? {});
        break;
      case 'open':
        await options.conversations.open(actor, envelope.open ?? {}, envelope.id);
        break;
      case 'close':
        await options.conversations.close(actor, envelope.close ?? {}, envelope.id);
        break;
      default:
        throw new ValidationError(`${kind ?? 'an empty body'} is not accepted on the uplink topic`);
    }
    return kind;
  };

  /**
   * `receivedAt`: when the envelope arrived, before it waited behind its sender's earlier ones;
   * `limited`: the sender was over its rate then.
   */
  const handleUplink = async (
    actor: Actor,
    decoded: Decoded,
    receivedAt: number,
    limited: boolean,
  ): Promise<void> => {
    if (!('envelope' in decoded)) {
      const err = decoded.error;
      processed.inc({ kind: 'undecodable', outcome: 'refused' });
      const appErr =
        err instanceof ProtocolError
          ? new AppError(err.code === 'payload_too_large' ? 'payload_too_large' : 'bad_request', err.message)
          : err;
      await replyError(actor, '', appErr, { stage: 'decode' });
      return;
    }
    const { envelope } = decoded;
    if (limited) {
      processed.inc({ kind: bodyKind(envelope) ?? 'none', outcome: 'rate_limited' });
      await replyError(actor, envelope.id, new AppError('rate_limited', 'Too many messages; slow down'), {});
      return;
    }
    try {
      const kind = await dispatch(actor, envelope, receivedAt);
      processed.inc({ kind, outcome: 'ok' });
    } catch (err) {
      processed.inc({ kind: bodyKind(envelope) ?? 'none', outcome: 'refused' });
      await replyError(actor, envelope.id, err, { kind: bodyKind(envelope) });
    }
  };

  const handlePresence = async (actor: Actor, payload: Buffer): Promise<void> => {
    try {
      const envelope = decodeEnvelope(payload);
      if (!envelope.presence) throw new ValidationError('presence topics carry presence only');
      await options.presence.report(actor, envelope.presence);
    } catch (err) {
      reportError(err, logger, { stage: 'presence', uid: actor.uid });
    }
  };

  /** Runs `task` after the sender's previous envelopes (order per sender, concurrency across senders). */
  const enqueue = (key: string, task: () => Promise<void>): void => {
    const previous = chains.get(key) ?? Promise.resolve();
    const next = previous.then(task).catch((err: unknown) => {
      logger.error({ err }, 'uplink task failed');
    });
    chains.set(key, next);
    void next.then(() => {
      if (chains.get(key) === next) chains.delete(key);
    });
  };

  const onMessage = (topic: string, payload: Buffer): void => {
    if (stopped) return;
    const parsed = topics.parse(topic);
    if (!parsed || parsed.kind === 'down') return;
    const actor: Actor = { role: parsed.role, uid: parsed.uid };
    const key = `${parsed.role}:${parsed.uid}`;
    if (parsed.kind !== 'up') {
      enqueue(key, () => handlePresence(actor, payload));
      return;
    }
    const receivedAt = Date.now();
    let decoded: Decoded;
    try {
      decoded = { envelope: decodeEnvelope(payload) };
    } catch (error) {
      decoded = { error };
    }
    // A resend of a message whose earlier copy is still queued (or being handled) here is dropped: that
    // copy answers it (ack or Error). Clients resend every unacknowledged message every few seconds; after
    // a restart, draining the backlog takes longer than that, and queuing every copy again would make it
    // grow faster than it drains.
    const sendKey =
      'envelope' in decoded && bodyKind(decoded.envelope) === 'send' ? `${key}/${decoded.envelope.id}` : '';
    if (sendKey && queuedSends.has(sendKey)) {
      processed.inc({ kind: 'send', outcome: 'coalesced' });
      return;
    }
    if (sendKey) queuedSends.add(sendKey);
    // The rate counts arrivals: a flood is refused as it comes in, however long the queue takes.
    const limited = 'envelope' in decoded && !limiter.take(key);
    enqueue(key, async () => {
      try {
        await handleUplink(actor, decoded, receivedAt, limited);
      } finally {
        queuedSends.delete(sendKey);
      }
    });
  };

  client.on('message', onMessage);
  const subscriptions = [
    topics.uplinkSubscription(options.sharedGroup),
    topics.presenceSubscription(options.sharedGroup),
  ];
  // mqtt.js renews these after a reconnect (resubscribe defaults to true), e.g. after a broker restart.
  await client.subscribeAsync(subscriptions, { qos: 1 });
  logger.info({ subscriptions }, 'mqtt bridge consuming');

  return {
    async stop() {
      stopped = true;
      await client.unsubscribeAsync(subscriptions).catch(() => undefined);
      client.off('message', onMessage);
      await Promise.all([...chains.values()]);
    },
  };
}
