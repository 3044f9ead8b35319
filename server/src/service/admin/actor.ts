import type { AuditLogRepository } from '../../repository/audit-log-repository.js';

/** Who makes an admin change, for the audit log. */
export interface Actor {
  uid: string;
  ip?: string | undefined;
}

/**
 * Writes one entry to `audit_logs`: every admin change (`admin.<target>.<verb>`) and every reveal of
 * personal data (`pii.reveal`).
 */
export async function audit(
  log: Pick<AuditLogRepository, 'saveAuditLog'>,
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
