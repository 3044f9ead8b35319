import type { AuditLogRepository } from '../../repository/audit-log-repository.js';

/** Who makes an admin change, for the audit log. */
export interface Actor {
  uid: string;
  ip?: string | undefined;
}

/** Every admin change is written to `audit_logs` with action `admin.<target>.<verb>`. */
export async function audit(
  log: AuditLogRepository,
  actor: Actor,
  action: string,
  target: { type: string; id: string },
  details: Record<string, string>,
): Promise<void> {
  await log.saveAuditLog({
    action,
    actorUid: actor.uid,
    targetType: target.type,
    targetId: target.id,
    details,
    ip: actor.ip,
  });
}
