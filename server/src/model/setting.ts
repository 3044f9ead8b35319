import { Schema, type Connection, type Model } from 'mongoose';

/**
 * Workbench settings (summary options, dashboard widgets per role): one document per key in the shared
 * `settings` collection (`_id` = key), the value an object of arrays (no keys with "." or "$").
 */
export interface SettingDoc {
  _id: string;
  value: Record<string, unknown>;
  updated_at: Date;
}

const schema = new Schema<SettingDoc>(
  {
    _id: { type: String, required: true },
    value: { type: Schema.Types.Mixed, required: true },
    updated_at: { type: Date, required: true },
  },
  { versionKey: false, strict: true, minimize: false },
);

export function settingModel(conn: Connection): Model<SettingDoc> {
  return conn.models['Setting'] ?? conn.model<SettingDoc>('Setting', schema, 'settings');
}
