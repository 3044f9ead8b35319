import { Schema, type Connection, type Model } from 'mongoose';

/**
 * The admin-edited permission set of each agent role: one document `_id: "role_permissions"` in the
 * `settings` collection. Roles are an array, not a map (DESIGN.md §4: no keys with "." or "$").
 */
export interface RolePermissionsDoc {
  _id: string;
  roles: { role: string; perms: string[] }[];
  updated_at: Date;
}

export const ROLE_PERMISSIONS_ID = 'role_permissions';

const schema = new Schema<RolePermissionsDoc>(
  {
    _id: { type: String, required: true },
    roles: { type: [{ _id: false, role: String, perms: [String] }], default: [] },
    updated_at: { type: Date, required: true },
  },
  // Other settings documents share the collection; strict keeps this model from touching their fields.
  { versionKey: false, strict: true },
);

export function rolePermissionsModel(conn: Connection): Model<RolePermissionsDoc> {
  return (
    conn.models['RolePermissions'] ?? conn.model<RolePermissionsDoc>('RolePermissions', schema, 'settings')
  );
}
