/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${String(c.charCodeAt(0))};`);
}

/**
 * JSON safe to place inside an inline <script>: `<`, `>`, `&` and the JS-only line separators are
 * \u-escaped, so no value can close the script element or start an HTML comment.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** A tagged template whose interpolations are escaped unless wrapped in `raw()`. */
export class Raw {
  constructor(readonly html: string) {}
}

export const raw = (html: string): Raw => new Raw(html);

type Part = string | number | Raw | readonly Raw[] | undefined | false;

export function markup(strings: TemplateStringsArray, ...values: readonly Part[]): Raw {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new Raw(out);
}

function render(value: Part): string {
  if (value === undefined || value === false) return '';
  if (value instanceof Raw) return value.html;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return escapeHtml(value);
  return value.map((v) => v.html).join('');
}
