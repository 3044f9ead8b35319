/**
 * Downscales an image so its longer side is at most `maxSide` px and re-encodes it as JPEG (0.85):
 * phone photos of 4–12 MB become a few hundred KB before they touch the network. GIFs (animation) and
 * images already small enough are sent as they are; the server re-encodes everything anyway.
 */
export async function downscaleImage(file: Blob, maxSide: number): Promise<Blob> {
  if (file.type === 'image/gif' || typeof createImageBitmap !== 'function') return file;
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return file; // not decodable here: let the server judge it
  }
  const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
  if (scale === 1 && file.size < 1_000_000) {
    bitmap.close();
    return file;
  }
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) return file;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  return new Promise((resolve) => {
    canvas.toBlob(
      (blob) => {
        resolve(blob ?? file);
      },
      'image/jpeg',
      0.85,
    );
  });
}
