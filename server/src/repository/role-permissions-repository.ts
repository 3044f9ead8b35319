import type { Connection, Model } from 'mongoose';
import {
  ROLE_PERMISSIONS_ID,
  rolePermissionsModel,
  type RolePermissionsDoc,
} from '../model/role-permissions.js';

/** Stored permission sets by role name; roles never edited are absent. */
export type StoredRolePermissions = Map<string, string[]>;

export class RolePermissionsRepository {
  private readonly model: Model<RolePermissionsDoc>;
  constructor(conn: Connection) {
    this.model = rolePermissionsModel(conn);
  }

  async findRolePermissions(): Promise<StoredRolePermissions> {
    const doc = await this.model.findById(ROLE_PERMISSIONS_ID).lean();
    return new Map((doc?.roles ?? []).map((r) => [r.role, r.perms]));
  }

  /**
   * Replaces one role's set. Read-modify-write of one document: two admins editing different roles at
   * the same instant could lose one edit (FerretDB has no atomic array update by key); the audit log
   * shows both, and the loser sees the result in the answer of GET /admin/roles.
   */
  async saveRolePermissions(role: string, perms: string[], now = new Date()): Promise<void> {
    const current = await this.findRolePermissions();
    current.set(role, perms);
    const roles = [...current].map(([r, p]) => ({ role: r, perms: p }));
    await this.model.updateOne(
      { _id: ROLE_PERMISSIONS_ID },
      { $set: { roles, updated_at: now } },
      { upsert: true },
    );
  }
}
