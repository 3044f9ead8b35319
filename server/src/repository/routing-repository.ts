import type { Connection, Model } from 'mongoose';
import {
  blacklistModel,
  routingEventModel,
  type BlacklistDoc,
  type RoutingEventDoc,
  type RoutingEventType,
} from '../model/routing.js';
import { isDuplicateKey } from './errors.js';

export interface BlacklistEntry {
  customerUid: string;
  reason: string;
  by: string;
  createdAt: Date;
  expiresAt?: Date | undefined;
}

export interface RoutingEvent {
  type: RoutingEventType;
  conversationId: string;
  customerUid: string;
  channel: string;
  groupId?: string | undefined;
  agentUid?: string | undefined;
  fromAgentUid?: string | undefined;
  priority?: number | undefined;
  waitMs?: number | undefined;
  reason?: string | undefined;
  at: Date;
}

function toEntry(d: BlacklistDoc): BlacklistEntry {
  return {
    customerUid: d._id,
    reason: d.reason,
    by: d.by,
    createdAt: d.created_at,
    expiresAt: d.expires_at,
  };
}

function toEvent(d: RoutingEventDoc): RoutingEvent {
  return {
    type: d.type,
    conversationId: d.conversation_id,
    customerUid: d.customer_uid,
    channel: d.channel,
    groupId: d.group_id,
    agentUid: d.agent_uid,
    fromAgentUid: d.from_agent_uid,
    priority: d.priority,
    waitMs: d.wait_ms,
    reason: d.reason,
    at: d.at,
  };
}

/** The blacklist and the routing events (statistics facts). */
export class RoutingRepository {
  private readonly blacklist: Model<BlacklistDoc>;
  private readonly events: Model<RoutingEventDoc>;
  constructor(conn: Connection) {
    this.blacklist = blacklistModel(conn);
    this.events = routingEventModel(conn);
  }

  /** The entry blocking this customer now (expired entries block nobody). */
  async findBlocked(customerUid: string, now = new Date()): Promise<BlacklistEntry | null> {
    const doc = await this.blacklist.findById(customerUid).lean();
    if (!doc || (doc.expires_at && doc.expires_at <= now)) return null;
    return toEntry(doc);
  }

  async listBlacklist(limit: number): Promise<BlacklistEntry[]> {
    return (await this.blacklist.find().sort({ created_at: -1 }).limit(limit).lean()).map(toEntry);
  }

  /** Adds or replaces the entry. */
  async saveBlacklistEntry(e: BlacklistEntry): Promise<void> {
    await this.blacklist.replaceOne(
      { _id: e.customerUid },
      {
        reason: e.reason,
        by: e.by,
        created_at: e.createdAt,
        ...(e.expiresAt ? { expires_at: e.expiresAt } : {}),
      },
      { upsert: true },
    );
  }

  async removeBlacklistEntry(customerUid: string): Promise<boolean> {
    return (await this.blacklist.deleteOne({ _id: customerUid })).deletedCount > 0;
  }

  /**
   * Stores events, each once: `key` names the fact (a retry of the same fact is a no-op). One insert for
   * the valid ones; the ones stored already are skipped. Invalid ones (a programming error) are left out
   * and reported by the error thrown after the others are stored.
   */
  async recordEvents(events: readonly { key: string; event: RoutingEvent }[]): Promise<void> {
    const docs = events.map(
      ({ key, event: e }) =>
        new this.events({
          _id: `${e.type}:${key}`,
          type: e.type,
          conversation_id: e.conversationId,
          customer_uid: e.customerUid,
          channel: e.channel,
          ...(e.groupId ? { group_id: e.groupId } : {}),
          ...(e.agentUid ? { agent_uid: e.agentUid } : {}),
          ...(e.fromAgentUid ? { from_agent_uid: e.fromAgentUid } : {}),
          ...(e.priority !== undefined ? { priority: e.priority } : {}),
          ...(e.waitMs !== undefined ? { wait_ms: e.waitMs } : {}),
          ...(e.reason ? { reason: e.reason } : {}),
          at: e.at,
        }),
    );
    const checked = await Promise.all(
      docs.map(async (d) => ({
        doc: d,
        err: await d.validate().then(
          () => undefined,
          (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
        ),
      })),
    );
    const invalid = checked.flatMap(({ err }) => (err ? [err] : []));
    const valid = checked.flatMap(({ doc, err }) => (err ? [] : [doc.toObject()]));
    if (valid.length > 0) {
      try {
        // Unordered: one stored already does not stop the others. Lean: cast and validated above.
        await this.events.insertMany(valid, { ordered: false, lean: true });
      } catch (err) {
        if (!onlyDuplicates(err)) throw err;
      }
    }
    if (invalid.length > 0)
      throw new Error(`${String(invalid.length)} invalid routing event(s): ${invalid[0]?.message ?? ''}`);
  }

  /** Events in [from, to), oldest first, optionally of one type or one conversation. */
  async listEvents(
    filter: { from?: Date; to?: Date; type?: RoutingEventType; conversationId?: string },
    limit: number,
  ): Promise<RoutingEvent[]> {
    const q: Record<string, unknown> = {};
    if (filter.from || filter.to)
      q['at'] = { ...(filter.from ? { $gte: filter.from } : {}), ...(filter.to ? { $lt: filter.to } : {}) };
    if (filter.type) q['type'] = filter.type;
    if (filter.conversationId) q['conversation_id'] = filter.conversationId;
    return (await this.events.find(q).sort({ at: 1, _id: 1 }).limit(limit).lean()).map(toEvent);
  }
}

/** An unordered insert that failed only on documents already stored. */
function onlyDuplicates(err: unknown): boolean {
  const writeErrors = (err as { writeErrors?: unknown }).writeErrors;
  if (Array.isArray(writeErrors) && writeErrors.length > 0)
    return writeErrors.every(
      (w: unknown) => isDuplicateKey(w) || isDuplicateKey((w as { err?: unknown }).err),
    );
  return isDuplicateKey(err);
}
