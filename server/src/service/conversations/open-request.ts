import { ValidationError } from '../../errors.js';
import type { kefu } from '@kefu/proto';
import { newId } from '../../ids.js';
import type { Conversation } from '../../repository/conversation-repository.js';
import { queuePriority, type PriorityFacts } from '../routing/priority.js';
import { RECEPTION_MODES, type ReceptionMode, type RoutingConfig } from '../routing/settings.js';

/**
 * The reception mode of a new conversation: the embedding code's choice when the admin allows one,
 * else the admin's. A mode that does not exist is a client error.
 */
export function receptionOf(config: RoutingConfig, requested: string | null | undefined): ReceptionMode {
  if (!requested) return config.receptionMode;
  if (!(RECEPTION_MODES as readonly string[]).includes(requested))
    throw new ValidationError(`reception_mode must be one of ${RECEPTION_MODES.join(', ')}`);
  return config.receptionOverride ? (requested as ReceptionMode) : config.receptionMode;
}

const MAX_ATTRIBUTES = 20;

/** Host-page attributes: at most 20, keys 1-64 characters, values up to 256. */
export function checkAttributes(
  attributes: Record<string, string> | null | undefined,
): Record<string, string> | undefined {
  const entries = Object.entries(attributes ?? {});
  if (entries.length === 0) return undefined;
  if (entries.length > MAX_ATTRIBUTES)
    throw new ValidationError(`at most ${String(MAX_ATTRIBUTES)} attributes are allowed`);
  for (const [key, value] of entries) {
    if (key.length < 1 || key.length > 64) throw new ValidationError('attribute keys are 1-64 characters');
    if (value.length > 256) throw new ValidationError(`attribute ${key} is longer than 256 characters`);
  }
  return Object.fromEntries(entries);
}

/** A new conversation as the open request asks for it (routes and seat are decided after). */
export function newConversation(
  customerUid: string,
  req: kefu.v1.IOpenConversation,
  customer: (PriorityFacts & { name?: string | undefined }) | null | undefined,
  config: RoutingConfig,
  reception: ReceptionMode,
  now: Date,
): Conversation {
  return {
    id: newId(now.getTime()),
    customerUid: customerUid,
    customerName: customer?.name,
    priority: queuePriority(customer, config.queueFirstTags),
    agentUid: null,
    status: reception === 'robot_only' ? 'open' : 'queued',
    channel: (req.channel ?? '').slice(0, 32) || 'web',
    entryUrl: (req.entryUrl ?? '').slice(0, 2048) || undefined,
    entryTitle: (req.entryTitle ?? '').slice(0, 200) || undefined,
    attributes: checkAttributes(req.attributes),
    createdAt: now,
    queuedAt: now,
    ...(reception === 'robot_only' ? { handler: 'bot' } : {}),
  };
}
