import { NOTICE_CODES, RECEPTION_MODES, type NoticeCode, type ReceptionMode } from '@kefu/proto';
import { ALLOCATION_MODES, type AllocationMode } from './allocation.js';

// Reception modes (REFERENCE.md §A 接待模式; the embedding code may override them per conversation) and
// notice codes (texts the customer or agent sees; empty = the client's own translation) are wire
// vocabulary, shared with the clients through @kefu/proto.
export { NOTICE_CODES, RECEPTION_MODES, type NoticeCode, type ReceptionMode };

/** Where a rule, a designation or an overflow level sends a chat: a skill group or one agent. */
export interface RouteTarget {
  groupId?: string | undefined;
  agentUid?: string | undefined;
}

/** Smart routing (智能路由): every condition given must hold; lists match when any entry does. */
export interface RoutingRule {
  name: string;
  match: {
    channels?: string[] | undefined;
    /** Customer level ≥ this. */
    minLevel?: number | undefined;
    vip?: boolean | undefined;
    /** The customer carries at least one of these tags. */
    tags?: string[] | undefined;
    /** Region from the customer's IP (province or city name as the IP database spells it, e.g. "广东省"). */
    regions?: string[] | undefined;
    /** The entry page's URL contains this. */
    entryUrlContains?: string | undefined;
  };
  target: RouteTarget;
}

/** A two-step timeout: a reminder after `remindAfterS`, the action after `actAfterS` (0 = off). */
export interface Timeout {
  remindAfterS: number;
  actAfterS: number;
}

export interface RoutingConfig {
  /** Allocation mode of chats without a skill group, and of groups that set none. */
  mode: AllocationMode;
  /** Customers with one of these (mall-signed) tags jump the queue (queue_first). */
  queueFirstTags: string[];
  receptionMode: ReceptionMode;
  /** Whether the embedding code may choose another reception mode. */
  receptionOverride: boolean;
  /** Group for chats no designation or rule routes (empty: every agent). */
  defaultGroupId: string;
  /** Back to the same agent within this long after they closed the customer's last chat (0 = off). */
  returnToLastAgentMinutes: number;
  /** Customers beyond this many waiting go to leave-a-message (0 = no limit). */
  maxQueueLength: number;
  rules: RoutingRule[];
  /** Queued: remind (with "keep waiting"), then close. */
  queueTimeout: Timeout;
  /** The agent has not answered the customer: remind the agent, then transfer. */
  agentTimeout: Timeout;
  /** The customer has not answered the agent: remind the customer, then close. */
  customerTimeout: Timeout;
  texts: Partial<Record<NoticeCode, string>>;
}

export const DEFAULT_ROUTING: RoutingConfig = {
  mode: 'saturation',
  queueFirstTags: [],
  receptionMode: 'human_only',
  receptionOverride: true,
  defaultGroupId: '',
  returnToLastAgentMinutes: 0,
  maxQueueLength: 0,
  rules: [],
  queueTimeout: { remindAfterS: 0, actAfterS: 0 },
  agentTimeout: { remindAfterS: 0, actAfterS: 0 },
  customerTimeout: { remindAfterS: 0, actAfterS: 0 },
  texts: {},
};

export const MAX_RULES = 50;

// --- stored form (snake_case, as the admin API) ------------------------------------------------------

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown, fallback: number): number =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : fallback;
const strings = (v: unknown): string[] | undefined =>
  Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : undefined;
const record = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

export function targetFromStored(v: unknown): RouteTarget {
  const r = record(v);
  return { groupId: str(r['group_id']) || undefined, agentUid: str(r['agent_uid']) || undefined };
}

export function targetToStored(t: RouteTarget): Record<string, string> {
  return { ...(t.groupId ? { group_id: t.groupId } : {}), ...(t.agentUid ? { agent_uid: t.agentUid } : {}) };
}

function timeoutFromStored(v: unknown, act: string): Timeout {
  const r = record(v);
  return { remindAfterS: num(r['remind_after_s'], 0), actAfterS: num(r[act], 0) };
}

/** Reads the stored setting; anything missing or malformed falls back to the default. */
export function routingFromStored(stored: Record<string, unknown> | null): RoutingConfig {
  if (!stored) return DEFAULT_ROUTING;
  const mode = stored['mode'];
  const reception = stored['reception_mode'];
  const texts = record(stored['texts']);
  return {
    mode: (ALLOCATION_MODES as readonly unknown[]).includes(mode)
      ? (mode as AllocationMode)
      : DEFAULT_ROUTING.mode,
    queueFirstTags: strings(stored['queue_first_tags']) ?? [],
    receptionMode: (RECEPTION_MODES as readonly unknown[]).includes(reception)
      ? (reception as ReceptionMode)
      : DEFAULT_ROUTING.receptionMode,
    receptionOverride: stored['reception_override'] !== false,
    defaultGroupId: str(stored['default_group_id']) ?? '',
    returnToLastAgentMinutes: num(stored['return_to_last_agent_minutes'], 0),
    maxQueueLength: num(stored['max_queue_length'], 0),
    rules: (Array.isArray(stored['rules']) ? stored['rules'] : []).map((raw) => {
      const r = record(raw);
      const m = record(r['match']);
      return {
        name: str(r['name']) ?? '',
        match: {
          channels: strings(m['channels']),
          minLevel: typeof m['min_level'] === 'number' ? m['min_level'] : undefined,
          vip: typeof m['vip'] === 'boolean' ? m['vip'] : undefined,
          tags: strings(m['tags']),
          regions: strings(m['regions']),
          entryUrlContains: str(m['entry_url_contains']) || undefined,
        },
        target: targetFromStored(r['target']),
      };
    }),
    queueTimeout: timeoutFromStored(stored['queue_timeout'], 'close_after_s'),
    agentTimeout: timeoutFromStored(stored['agent_timeout'], 'transfer_after_s'),
    customerTimeout: timeoutFromStored(stored['customer_timeout'], 'close_after_s'),
    texts: Object.fromEntries(
      NOTICE_CODES.flatMap((code) => {
        const t = str(texts[code]);
        return t ? [[code, t]] : [];
      }),
    ),
  };
}

/** The stored (and API) form. */
export function routingToStored(c: RoutingConfig): Record<string, unknown> {
  return {
    mode: c.mode,
    queue_first_tags: c.queueFirstTags,
    reception_mode: c.receptionMode,
    reception_override: c.receptionOverride,
    default_group_id: c.defaultGroupId,
    return_to_last_agent_minutes: c.returnToLastAgentMinutes,
    max_queue_length: c.maxQueueLength,
    rules: c.rules.map((r) => ({
      name: r.name,
      match: {
        ...(r.match.channels ? { channels: r.match.channels } : {}),
        ...(r.match.minLevel !== undefined ? { min_level: r.match.minLevel } : {}),
        ...(r.match.vip !== undefined ? { vip: r.match.vip } : {}),
        ...(r.match.tags ? { tags: r.match.tags } : {}),
        ...(r.match.regions ? { regions: r.match.regions } : {}),
        ...(r.match.entryUrlContains ? { entry_url_contains: r.match.entryUrlContains } : {}),
      },
      target: targetToStored(r.target),
    })),
    queue_timeout: { remind_after_s: c.queueTimeout.remindAfterS, close_after_s: c.queueTimeout.actAfterS },
    agent_timeout: {
      remind_after_s: c.agentTimeout.remindAfterS,
      transfer_after_s: c.agentTimeout.actAfterS,
    },
    customer_timeout: {
      remind_after_s: c.customerTimeout.remindAfterS,
      close_after_s: c.customerTimeout.actAfterS,
    },
    texts: c.texts,
  };
}
