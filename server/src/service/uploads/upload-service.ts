import type { UploadFileType } from '../../config.js';
import { AppError, NotFoundError, ValidationError } from '../../errors.js';
import { newId } from '../../ids.js';
import type { Blob, BlobStore, ByteRange } from '../../infra/blob-store.js';
import type { Logger } from '../../log.js';
import type { Upload, UploadKind, UploadRepository } from '../../repository/upload-repository.js';
import { safeFileName } from './file-names.js';
import { processImage } from './image-processing.js';
import { detectMedia, type MediaType } from './media-types.js';
import type { UploadVariant } from './url-signer.js';
import type { VoiceProcessor } from './voice-processing.js';

export interface UploadLimits {
  maxBytes: Record<UploadKind, number>;
  imageMaxDimension: number;
  fileTypes: readonly UploadFileType[];
}

export interface NewUpload {
  conversationId: string;
  uploaderUid: string;
  uploaderRole: 'customer' | 'agent';
  kind: UploadKind;
  /** As the client named it; only cleaned up and given the right extension. */
  fileName: string;
  data: Buffer;
}

export interface OpenedVariant {
  blob: Blob;
  mimeType: string;
}

const FALLBACK_NAME: Record<UploadKind, string> = { image: 'image', voice: 'voice', file: 'file' };

/** Checks, converts and stores uploaded media; finds them again for download. */
export class UploadService {
  constructor(
    private readonly deps: {
      uploads: UploadRepository;
      blobs: BlobStore;
      limits: UploadLimits;
      /** Checks and converts voice clips (ffmpeg). */
      voice: VoiceProcessor;
      logger: Logger;
    },
  ) {}

  maxBytes(kind: UploadKind): number {
    return this.deps.limits.maxBytes[kind];
  }

  /** Stores a checked upload and its record; on any failure nothing stays behind. */
  async createUpload(input: NewUpload, now = new Date()): Promise<Upload> {
    const { limits } = this.deps;
    if (input.data.length === 0) throw new ValidationError('The file is empty', { reason: 'empty' });
    if (input.data.length > limits.maxBytes[input.kind])
      throw tooLarge(input.kind, limits.maxBytes[input.kind]);

    const detected = await detectMedia(input.kind, input.data, input.fileName, limits.fileTypes);
    let data = input.data;
    let type: MediaType;
    let image: { width: number; height: number; thumbnail: { data: Buffer; type: MediaType } } | undefined;
    let durationMs: number | undefined;
    if (detected.kind === 'image') {
      const processed = await processImage(input.data, detected.format, limits.imageMaxDimension);
      ({ data, type } = processed);
      image = processed;
    } else if (detected.kind === 'voice') {
      const converted = await this.deps.voice.convert(input.data, detected.format);
      ({ data, type, durationMs } = converted);
    } else {
      type = detected.type;
    }

    const id = newId(now.getTime());
    const upload: Upload = {
      id,
      conversationId: input.conversationId,
      uploaderUid: input.uploaderUid,
      uploaderRole: input.uploaderRole,
      kind: input.kind,
      mimeType: type.mimeType,
      sizeBytes: data.length,
      name: safeFileName(input.fileName, type.ext, FALLBACK_NAME[input.kind]),
      width: image?.width,
      height: image?.height,
      durationMs,
      blobKey: id,
      thumbnail: image
        ? {
            blobKey: `${id}.thumb`,
            mimeType: image.thumbnail.type.mimeType,
            sizeBytes: image.thumbnail.data.length,
          }
        : undefined,
      createdAt: now,
    };
    const stored: string[] = [];
    try {
      await this.deps.blobs.put(upload.blobKey, data);
      stored.push(upload.blobKey);
      if (upload.thumbnail && image) {
        await this.deps.blobs.put(upload.thumbnail.blobKey, image.thumbnail.data);
        stored.push(upload.thumbnail.blobKey);
      }
      await this.deps.uploads.saveUpload(upload);
    } catch (err) {
      for (const key of stored) {
        await this.deps.blobs.delete(key).catch((cleanupErr: unknown) => {
          this.deps.logger.error({ err: cleanupErr, key }, 'could not remove the blob of a failed upload');
        });
      }
      throw err;
    }
    return upload;
  }

  async findUpload(id: string): Promise<Upload> {
    const upload = /^[0-9A-HJKMNP-TV-Z]{26}$/.test(id) ? await this.deps.uploads.findUpload(id) : null;
    if (!upload) throw new NotFoundError('Unknown upload');
    return upload;
  }

  /** The bytes of one variant (all of them, or `range`). */
  async openVariant(upload: Upload, variant: UploadVariant, range?: ByteRange): Promise<OpenedVariant> {
    const stored =
      variant === 'original' ? { blobKey: upload.blobKey, mimeType: upload.mimeType } : upload.thumbnail;
    if (!stored) throw new NotFoundError('This upload has no thumbnail');
    const blob = await this.deps.blobs.get(stored.blobKey, range);
    if (!blob) {
      this.deps.logger.error({ upload: upload.id, key: stored.blobKey }, 'upload record without its blob');
      throw new NotFoundError('The file of this upload is missing');
    }
    return { blob, mimeType: stored.mimeType };
  }

  /** Size of a variant without opening it (HEAD, Range). */
  variantSize(upload: Upload, variant: UploadVariant): number | undefined {
    return variant === 'original' ? upload.sizeBytes : upload.thumbnail?.sizeBytes;
  }
}

export function tooLarge(kind: UploadKind, maxBytes: number): AppError {
  const mb = Math.round((maxBytes / (1024 * 1024)) * 10) / 10;
  return new AppError('payload_too_large', `The ${kind} is larger than ${String(mb)} MB`, {
    reason: 'too_large',
    max_bytes: maxBytes,
  });
}
