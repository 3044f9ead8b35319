import type { Connection, Model } from 'mongoose';
import { uploadModel, type UploadDoc, type UploadKind } from '../model/upload.js';

export type { UploadKind };

export interface StoredVariant {
  blobKey: string;
  mimeType: string;
  sizeBytes: number;
}

export interface Upload {
  id: string;
  conversationId: string;
  uploaderUid: string;
  uploaderRole: 'customer' | 'agent';
  kind: UploadKind;
  mimeType: string;
  sizeBytes: number;
  name: string;
  width?: number | undefined;
  height?: number | undefined;
  /** Voice clips: the converted clip's duration, measured by the server. */
  durationMs?: number | undefined;
  blobKey: string;
  thumbnail?: StoredVariant | undefined;
  createdAt: Date;
}

function toUpload(d: UploadDoc): Upload {
  return {
    id: d._id,
    conversationId: d.conversation_id,
    uploaderUid: d.uploader_uid,
    uploaderRole: d.uploader_role,
    kind: d.kind,
    mimeType: d.mime_type,
    sizeBytes: d.size_bytes,
    name: d.name,
    width: d.width,
    height: d.height,
    durationMs: d.duration_ms,
    blobKey: d.blob_key,
    thumbnail:
      d.thumb_key && d.thumb_mime_type && d.thumb_size_bytes !== undefined
        ? { blobKey: d.thumb_key, mimeType: d.thumb_mime_type, sizeBytes: d.thumb_size_bytes }
        : undefined,
    createdAt: d.created_at,
  };
}

export class UploadRepository {
  private readonly model: Model<UploadDoc>;

  constructor(conn: Connection) {
    this.model = uploadModel(conn);
  }

  async saveUpload(u: Upload): Promise<void> {
    await this.model.create({
      _id: u.id,
      conversation_id: u.conversationId,
      uploader_uid: u.uploaderUid,
      uploader_role: u.uploaderRole,
      kind: u.kind,
      mime_type: u.mimeType,
      size_bytes: u.sizeBytes,
      name: u.name,
      width: u.width,
      height: u.height,
      duration_ms: u.durationMs,
      blob_key: u.blobKey,
      thumb_key: u.thumbnail?.blobKey,
      thumb_mime_type: u.thumbnail?.mimeType,
      thumb_size_bytes: u.thumbnail?.sizeBytes,
      created_at: u.createdAt,
    });
  }

  async findUpload(id: string): Promise<Upload | null> {
    const d = await this.model.findById(id).lean();
    return d ? toUpload(d) : null;
  }

  async removeUpload(id: string): Promise<void> {
    await this.model.deleteOne({ _id: id });
  }
}
