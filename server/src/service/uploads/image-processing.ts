import sharp, { type Sharp } from 'sharp';
import { ValidationError } from '../../errors.js';
import { IMAGE_TYPES, type ImageFormat, type MediaType } from './media-types.js';

export const THUMBNAIL_SIZE = 320;
/** Decompression-bomb guard: a 48 MP phone photo fits, a 10 MB PNG claiming 100k×100k does not. */
const MAX_INPUT_PIXELS = 50_000_000;
/** Animated GIF/WebP frames kept (stickers and memes have tens). */
const MAX_FRAMES = 300;

export interface ProcessedImage {
  data: Buffer;
  type: MediaType;
  width: number;
  height: number;
  thumbnail: { data: Buffer; type: MediaType };
}

function damaged(): ValidationError {
  return new ValidationError('The image is damaged or incomplete', { reason: 'damaged' });
}

function encode(image: Sharp, format: ImageFormat): Sharp {
  switch (format) {
    case 'jpeg':
      return image.jpeg({ quality: 85, mozjpeg: true });
    case 'png':
      return image.png();
    case 'webp':
      return image.webp({ quality: 85 });
    case 'gif':
      return image.gif();
  }
}

/**
 * Re-encodes an image in its own format: decoding fails on truncated or corrupt data (`failOn:
 * 'warning'`), EXIF orientation is applied, every metadata block (EXIF with GPS, XMP, IPTC, ICC after
 * conversion to sRGB) is dropped, and the longest side is capped. Animated GIF and WebP stay animated.
 * The thumbnail is a JPEG of the first frame (transparent areas on white), at most 320 px.
 */
export async function processImage(
  input: Buffer,
  format: ImageFormat,
  maxDimension: number,
): Promise<ProcessedImage> {
  const options = { failOn: 'warning', limitInputPixels: MAX_INPUT_PIXELS } as const;
  let pages: number;
  try {
    pages = (await sharp(input, { ...options, animated: true }).metadata()).pages ?? 1;
  } catch (err) {
    if (err instanceof Error && /pixel limit/i.test(err.message)) throw tooManyPixels();
    throw damaged();
  }
  if (pages > MAX_FRAMES) {
    throw new ValidationError(`An animated image may have at most ${String(MAX_FRAMES)} frames`, {
      reason: 'too_many_frames',
    });
  }
  const animated = pages > 1;
  try {
    let image = sharp(input, { ...options, animated });
    // Orientation is an EXIF notion of still images; sharp cannot rotate multi-frame images.
    if (!animated) image = image.rotate();
    image = image.resize({
      width: maxDimension,
      height: maxDimension,
      fit: 'inside',
      withoutEnlargement: true,
    });
    const data = await encode(image, format).toBuffer();
    const meta = await sharp(data, { animated }).metadata();
    const thumbnail = await sharp(data, { failOn: 'error' })
      .resize({ width: THUMBNAIL_SIZE, height: THUMBNAIL_SIZE, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 80, mozjpeg: true })
      .toBuffer();
    return {
      data,
      type: IMAGE_TYPES[format],
      width: meta.width,
      height: meta.pageHeight ?? meta.height,
      thumbnail: { data: thumbnail, type: IMAGE_TYPES.jpeg },
    };
  } catch (err) {
    if (err instanceof Error && /pixel limit/i.test(err.message)) throw tooManyPixels();
    throw damaged();
  }
}

function tooManyPixels(): ValidationError {
  return new ValidationError('The image has too many pixels (at most 50 megapixels)', {
    reason: 'too_many_pixels',
  });
}
