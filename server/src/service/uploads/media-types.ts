import { fileTypeFromBuffer } from 'file-type';
import type { UploadFileType } from '../../config.js';
import { AppError } from '../../errors.js';
import type { UploadKind } from '../../repository/upload-repository.js';

/** What a stored upload is: our canonical MIME type and file-name extension. */
export interface MediaType {
  mimeType: string;
  ext: string;
}

export type ImageFormat = 'jpeg' | 'png' | 'gif' | 'webp';

export class UnsupportedMediaTypeError extends AppError {
  override readonly name = 'UnsupportedMediaTypeError';
  constructor(message: string, details: { detected: string; allowed: readonly string[] }) {
    super('unsupported_media_type', message, { reason: 'type_not_allowed', ...details });
  }
}

/** Images by the type file-type detects. */
const IMAGES: Record<string, ImageFormat> = { jpg: 'jpeg', png: 'png', gif: 'gif', webp: 'webp' };
export const IMAGE_TYPES: Record<ImageFormat, MediaType> = {
  jpeg: { mimeType: 'image/jpeg', ext: 'jpg' },
  png: { mimeType: 'image/png', ext: 'png' },
  gif: { mimeType: 'image/gif', ext: 'gif' },
  webp: { mimeType: 'image/webp', ext: 'webp' },
};

/** Voice clips by detected type: browsers' MediaRecorder (webm, ogg, mp4), WeChat's recorder (aac, mp3, wav), AMR. */
const VOICE: Record<string, MediaType> = {
  mp3: { mimeType: 'audio/mpeg', ext: 'mp3' },
  aac: { mimeType: 'audio/aac', ext: 'aac' },
  m4a: { mimeType: 'audio/mp4', ext: 'm4a' },
  mp4: { mimeType: 'audio/mp4', ext: 'm4a' },
  amr: { mimeType: 'audio/amr', ext: 'amr' },
  ogg: { mimeType: 'audio/ogg', ext: 'ogg' },
  oga: { mimeType: 'audio/ogg', ext: 'ogg' },
  opus: { mimeType: 'audio/ogg', ext: 'ogg' },
  webm: { mimeType: 'audio/webm', ext: 'webm' },
  wav: { mimeType: 'audio/wav', ext: 'wav' },
};

export const FILE_TYPES: Record<UploadFileType, MediaType> = {
  pdf: { mimeType: 'application/pdf', ext: 'pdf' },
  doc: { mimeType: 'application/msword', ext: 'doc' },
  xls: { mimeType: 'application/vnd.ms-excel', ext: 'xls' },
  ppt: { mimeType: 'application/vnd.ms-powerpoint', ext: 'ppt' },
  docx: {
    mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    ext: 'docx',
  },
  xlsx: { mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ext: 'xlsx' },
  pptx: {
    mimeType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    ext: 'pptx',
  },
  odt: { mimeType: 'application/vnd.oasis.opendocument.text', ext: 'odt' },
  ods: { mimeType: 'application/vnd.oasis.opendocument.spreadsheet', ext: 'ods' },
  odp: { mimeType: 'application/vnd.oasis.opendocument.presentation', ext: 'odp' },
  zip: { mimeType: 'application/zip', ext: 'zip' },
  rar: { mimeType: 'application/vnd.rar', ext: 'rar' },
  '7z': { mimeType: 'application/x-7z-compressed', ext: '7z' },
  txt: { mimeType: 'text/plain', ext: 'txt' },
  csv: { mimeType: 'text/csv', ext: 'csv' },
  mp4: { mimeType: 'video/mp4', ext: 'mp4' },
  mov: { mimeType: 'video/quicktime', ext: 'mov' },
  mp3: { mimeType: 'audio/mpeg', ext: 'mp3' },
  m4a: { mimeType: 'audio/mp4', ext: 'm4a' },
};

/** Detected type → file type, for the types whose magic bytes say it all. */
const FILE_BY_DETECTED: Record<string, UploadFileType> = {
  pdf: 'pdf',
  docx: 'docx',
  xlsx: 'xlsx',
  pptx: 'pptx',
  odt: 'odt',
  ods: 'ods',
  odp: 'odp',
  zip: 'zip',
  rar: 'rar',
  '7z': '7z',
  mp4: 'mp4',
  mov: 'mov',
  mp3: 'mp3',
  m4a: 'm4a',
};

/** Legacy Office files are OLE compound files, like .msi installers: the name's extension must say Office. */
const LEGACY_OFFICE = new Set<UploadFileType>(['doc', 'xls', 'ppt']);

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/**
 * Plain text without magic bytes: no NUL or control characters (GBK text passes too) and not markup —
 * HTML, SVG and XML start with `<` and are refused even though they are served as attachments.
 */
function isPlainText(data: Buffer): boolean {
  const sample = data.subarray(0, 64 * 1024);
  for (const byte of sample) {
    if (byte === 0 || byte === 0x7f) return false;
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d) return false;
  }
  const start = sample
    .toString('latin1')
    .replace(/^\xef\xbb\xbf/, '')
    .trimStart();
  return !start.startsWith('<');
}

function isUtf8(data: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(data);
    return true;
  } catch {
    return false;
  }
}

export type Detected =
  | { kind: 'image'; format: ImageFormat }
  /** `format`: the detected type (file-type's name), which tells the converter how to read it. */
  | { kind: 'voice'; type: MediaType; format: string }
  | { kind: 'file'; type: MediaType };

/**
 * Decides what an upload is from its bytes only (never the client's name or Content-Type, except that
 * the name tells .txt from .csv and .doc from .msi), and whether `kind` accepts it.
 */
export async function detectMedia(
  kind: UploadKind,
  data: Buffer,
  fileName: string,
  fileTypes: readonly UploadFileType[],
): Promise<Detected> {
  const found = await fileTypeFromBuffer(data);
  const detected = found?.ext ?? 'unknown';
  if (kind === 'image') {
    const format = IMAGES[detected];
    if (format) return { kind, format };
    throw new UnsupportedMediaTypeError('Images must be JPEG, PNG, GIF or WebP', {
      detected,
      allowed: ['jpg', 'png', 'gif', 'webp'],
    });
  }
  if (kind === 'voice') {
    const type = VOICE[detected];
    if (type) return { kind, type, format: detected };
    throw new UnsupportedMediaTypeError('Voice clips must be MP3, AAC, M4A, AMR, Ogg, WebM or WAV audio', {
      detected,
      allowed: ['mp3', 'aac', 'm4a', 'amr', 'ogg', 'webm', 'wav'],
    });
  }
  const ext = extensionOf(fileName);
  let fileType: UploadFileType | undefined;
  if (found?.ext === 'cfb') {
    fileType = LEGACY_OFFICE.has(ext as UploadFileType) ? (ext as UploadFileType) : undefined;
  } else if (found) {
    fileType = FILE_BY_DETECTED[found.ext];
  } else if (isPlainText(data)) {
    fileType = ext === 'csv' ? 'csv' : 'txt';
  }
  if (!fileType || !fileTypes.includes(fileType)) {
    throw new UnsupportedMediaTypeError(`This type of file cannot be sent (${detected})`, {
      detected,
      allowed: fileTypes,
    });
  }
  const type = FILE_TYPES[fileType];
  if (type.mimeType.startsWith('text/') && isUtf8(data)) {
    return { kind, type: { ...type, mimeType: `${type.mimeType}; charset=utf-8` } };
  }
  return { kind, type };
}
