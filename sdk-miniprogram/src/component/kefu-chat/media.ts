// Signed URLs of uploads for <image> (it cannot send the bearer token): asked for once per upload, shown
// by the next render. A failure is remembered so a broken upload does not ask again on every render.

export class MediaUrls {
  private readonly urls = new Map<string, string>();
  private readonly asking = new Set<string>();

  constructor(
    private readonly sign: (uploadId: string, thumbnail: boolean) => Promise<string>,
    private readonly changed: () => void,
  ) {}

  /** The URL if known; '' while it is being signed (or failed). */
  get(uploadId: string, thumbnail: boolean): string {
    const key = `${thumbnail ? 't' : 'f'}:${uploadId}`;
    const known = this.urls.get(key);
    if (known !== undefined) return known;
    if (!this.asking.has(key)) {
      this.asking.add(key);
      this.sign(uploadId, thumbnail).then(
        (url) => {
          this.settle(key, url);
        },
        () => {
          this.settle(key, '');
        },
      );
    }
    return '';
  }

  private settle(key: string, url: string): void {
    this.asking.delete(key);
    this.urls.set(key, url);
    this.changed();
  }

  clear(): void {
    this.urls.clear();
    this.asking.clear();
  }
}
