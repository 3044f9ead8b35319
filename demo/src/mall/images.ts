import { findProduct } from './catalog.js';

const escapeXml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${String(c.charCodeAt(0))};`);

/** A 400×400 placeholder drawn in code: coloured tile, big glyph, product id. No external assets. */
export function productSvg(productId: string): string | undefined {
  const product = findProduct(productId);
  if (!product) return undefined;
  const { color, glyph, id } = product;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" viewBox="0 0 400 400">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${color}" stop-opacity=".85"/><stop offset="1" stop-color="${color}"/></linearGradient></defs>
<rect width="400" height="400" fill="url(#g)"/>
<circle cx="200" cy="180" r="110" fill="#fff" fill-opacity=".18"/>
<text x="200" y="222" text-anchor="middle" font-family="'PingFang SC','Microsoft YaHei','Noto Sans CJK SC',sans-serif" font-size="120" font-weight="700" fill="#fff">${escapeXml(glyph)}</text>
<text x="200" y="360" text-anchor="middle" font-family="ui-monospace,monospace" font-size="22" fill="#fff" fill-opacity=".8">${escapeXml(id)}</text>
</svg>
`;
}

/** The mall's logo mark, also used as the favicon. */
export const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">
<rect width="64" height="64" rx="14" fill="#e4393c"/>
<path d="M18 26h28l-3 22H21z" fill="#fff"/>
<path d="M25 26v-4a7 7 0 0 1 14 0v4" fill="none" stroke="#fff" stroke-width="4"/>
<text x="32" y="44" text-anchor="middle" font-family="sans-serif" font-size="14" font-weight="700" fill="#e4393c">积</text>
</svg>
`;
