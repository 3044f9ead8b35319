import type { Connection, Model } from 'mongoose';
import { newId } from '../ids.js';
import { auditLogModel, type AuditLogDoc } from '../model/audit-log.js';

export interface AuditEntry {
  id: string;
  action: string;
  actorUid: string;
  targetType: string;
  targetId: string;
  details: Record<string, string>;
  ip?: string | undefined;
  at: Date;
}

export interface AuditQuery {
  /** Only what these agents did. */
  actorUids?: readonly string[] | undefined;
  action?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  /** Entries strictly older than this (paging, newest first). */
  before?: Date | undefined;
  limit: number;
}

function toEntry(d: AuditLogDoc): AuditEntry {
  return {
    id: d._id,
    action: d.action,
    actorUid: d.actor_uid,
    targetType: d.target_type,
    targetId: d.target_id,
    details: Object.fromEntries((d.details ?? []).map((x) => [x.key, x.value])),
    ip: d.ip,
    at: d.at,
  };
}

export class AuditLogRepository {
  private readonly model: Model<AuditLogDoc>;

  constructor(conn: Connection) {
    this.model = auditLogModel(conn);
  }

  async saveAuditLog(entry: Omit<AuditEntry, 'id' | 'at'> & { at?: Date }): Promise<AuditEntry> {
    const at = entry.at ?? new Date();
    const details = Object.entries(entry.details).map(([key, value]) => ({ key, value }));
    const doc: AuditLogDoc = {
      _id: newId(at.getTime()),
      action: entry.action,
      actor_uid: entry.actorUid,
      target_type: entry.targetType,
      target_id: entry.targetId,
      ...(details.length > 0 ? { details } : {}),
      ...(entry.ip ? { ip: entry.ip } : {}),
      at,
    };
    await this.model.create(doc);
    return toEntry(doc);
  }

  async listAuditLogs(q: AuditQuery): Promise<AuditEntry[]> {
    const filter: Record<string, unknown> = {};
    if (q.action) filter['action'] = q.action;
    if (q.targetType) filter['target_type'] = q.targetType;
    if (q.targetId) filter['target_id'] = q.targetId;
    if (q.before) filter['at'] = { $lt: q.before };
    if (q.actorUids) filter['actor_uid'] = { $in: [...q.actorUids] };
    const docs = await this.model.find(filter).sort({ at: -1 }).limit(q.limit).lean<AuditLogDoc[]>();
    return docs.map(toEntry);
  }
}
