import { Schema, type Connection, type Model } from 'mongoose';

export type UploadKind = 'image' | 'voice' | 'file';

/** One uploaded medium (image, voice clip or file) and where its bytes live in the blob store. */
export interface UploadDoc {
  _id: string;
  conversation_id: string;
  uploader_uid: string;
  uploader_role: 'customer' | 'agent';
  kind: UploadKind;
  mime_type: string;
  size_bytes: number;
  name: string;
  width?: number;
  height?: number;
  /** Voice clips: measured on the converted clip. */
  duration_ms?: number;
  blob_key: string;
  thumb_key?: string;
  thumb_mime_type?: string;
  thumb_size_bytes?: number;
  created_at: Date;
}

const schema = new Schema<UploadDoc>(
  {
    _id: { type: String, required: true },
    conversation_id: { type: String, required: true },
    uploader_uid: { type: String, required: true },
    uploader_role: { type: String, required: true, enum: ['customer', 'agent'] },
    kind: { type: String, required: true, enum: ['image', 'voice', 'file'] },
    mime_type: { type: String, required: true },
    size_bytes: { type: Number, required: true },
    name: { type: String, required: true },
    width: Number,
    height: Number,
    duration_ms: Number,
    blob_key: { type: String, required: true },
    thumb_key: String,
    thumb_mime_type: String,
    thumb_size_bytes: Number,
    created_at: { type: Date, required: true },
  },
  { versionKey: false },
);
// Read by `_id` only (downloads); no secondary index until a query needs one.

export function uploadModel(conn: Connection): Model<UploadDoc> {
  return conn.models['Upload'] ?? conn.model<UploadDoc>('Upload', schema, 'uploads');
}
