import { createRequire } from 'node:module';

interface Searcher {
  search(ip: string): { country: string; province: string; city: string } | null;
}

/**
 * Country, province and city of an IP address (IPv4 and IPv6), from the ip2region database shipped in
 * its npm package (no network). Loaded at the first lookup (~11 MB). Unknown or private addresses give
 * no names. "::ffff:a.b.c.d" (an IPv4 client on a dual-stack socket) is looked up as a.b.c.d.
 */
export function createRegionLookup(): (ip: string) => string[] {
  let db: Searcher | undefined;
  return (ip: string) => {
    if (!db) {
      // CommonJS package with a default export.
      const mod = createRequire(import.meta.url)('ip2region') as { default: new () => Searcher };
      db = new mod.default();
    }
    const address = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
    try {
      const r = db.search(address);
      if (!r) return [];
      return [r.country, r.province, r.city].filter((n) => n && n !== '0' && n !== '内网IP');
    } catch {
      return [];
    }
  };
}
