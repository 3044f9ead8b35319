// Reads a WeChat mini-program build (what WeChat DevTools opens): JSON configs, the files a custom
// component needs, WXML imports, sizes. Paths follow WeChat's rules: `/x` is from the output root,
// `x` and `./x` are relative to the referring file, and a component path names its files without
// extension.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

export function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/** The usingComponents entry `name` of a page or component JSON file, as a path without extension. */
export function usingComponentPath(outDir: string, jsonFile: string, name: string): string | undefined {
  const using = readJson(jsonFile)['usingComponents'] as Record<string, string> | undefined;
  const ref = using?.[name];
  if (ref === undefined) return undefined;
  return ref.startsWith('/') ? join(outDir, ref) : resolve(dirname(jsonFile), ref);
}

export const COMPONENT_FILES = ['.js', '.json', '.wxml', '.wxss'] as const;

/**
 * Every file a custom component needs at run time, relative to the output root: its four files, the
 * files its scripts require by relative path (transitively), the WXML/WXS/WXSS files its template and
 * style import, and the same for the components it uses itself. `missing` lists what is referenced but absent (and bare module names, which a mini-program
 * resolves only from miniprogram_npm).
 */
export function componentClosure(outDir: string, base: string): { files: string[]; missing: string[] } {
  const rel = (f: string): string => relative(outDir, f);
  const files = new Set<string>();
  const missing = new Set<string>();
  const seen = new Set<string>();
  const visitComponent = (componentBase: string): void => {
    if (seen.has(componentBase)) return;
    seen.add(componentBase);
    for (const ext of COMPONENT_FILES) {
      const file = componentBase + ext;
      if (existsSync(file)) files.add(file);
      else missing.add(rel(file));
    }
    if (existsSync(`${componentBase}.js`)) visitScript(`${componentBase}.js`);
    for (const [ext, pattern] of TEMPLATE_REFERENCES) {
      if (existsSync(componentBase + ext)) visitReferences(componentBase + ext, pattern);
    }
    if (!existsSync(`${componentBase}.json`)) return;
    const using = readJson(`${componentBase}.json`)['usingComponents'] as Record<string, string> | undefined;
    for (const name of Object.keys(using ?? {})) {
      const child = usingComponentPath(outDir, `${componentBase}.json`, name);
      if (child !== undefined) visitComponent(child);
    }
  };
  const visitReferences = (file: string, pattern: RegExp): void => {
    for (const m of readFileSync(file, 'utf8').matchAll(pattern)) {
      const spec = m[1]!;
      const target = spec.startsWith('/') ? join(outDir, spec) : resolve(dirname(file), spec);
      if (existsSync(target)) files.add(target);
      else missing.add(`${spec} (referenced by ${rel(file)})`);
    }
  };
  const visitScript = (file: string): void => {
    for (const spec of requiredSpecifiers(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.') && !spec.startsWith('/')) {
        missing.add(`${spec} (bare require in ${rel(file)})`);
        continue;
      }
      const target = resolveScript(spec.startsWith('/') ? join(outDir, spec) : resolve(dirname(file), spec));
      if (target === undefined) {
        missing.add(`${spec} (required by ${rel(file)})`);
      } else if (!files.has(target)) {
        files.add(target);
        visitScript(target);
      }
    }
  };
  visitComponent(base);
  return { files: [...files].map(rel).sort(), missing: [...missing].sort() };
}

/** WXML imports, includes and WXS modules; WXSS imports (static paths only). */
const TEMPLATE_REFERENCES: [string, RegExp][] = [
  ['.wxml', /<(?:import|include|wxs)\b[^>]*?\ssrc="([^"{]+)"/g],
  ['.wxss', /@import\s+["']([^"']+)["']/g],
];

/** The string arguments of `require('…')` calls in a (possibly minified) CommonJS file. */
export function requiredSpecifiers(code: string): string[] {
  return [...code.matchAll(/(?<![\w$.])require\(\s*(['"])([^'"]+)\1\s*\)/g)].map((m) => m[2]!);
}

function resolveScript(path: string): string | undefined {
  for (const candidate of [path, `${path}.js`, join(path, 'index.js')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/** A WXML file and every WXML file it imports or includes (Taro draws pages from a shared base.wxml). */
export function wxmlClosure(file: string, seen = new Set<string>()): string[] {
  if (seen.has(file) || !existsSync(file)) return [...seen];
  seen.add(file);
  const wxml = readFileSync(file, 'utf8');
  for (const m of wxml.matchAll(/<(?:import|include)\s+src="([^"]+)"/g)) {
    wxmlClosure(resolve(dirname(file), m[1]!), seen);
  }
  return [...seen];
}

/** The `<kefu-chat …>` start tags in a WXML text. */
export function kefuChatTags(wxml: string): string[] {
  return [...wxml.matchAll(/<kefu-chat\b[^>]*>/g)].map((m) => m[0]);
}

export interface OutputSize {
  files: number;
  bytes: number;
  /** Sum of each file gzipped on its own (level 9). */
  gzipBytes: number;
}

export function outputSize(paths: string[]): OutputSize {
  let bytes = 0;
  let gzipBytes = 0;
  for (const file of paths) {
    const content = readFileSync(file);
    bytes += content.length;
    gzipBytes += gzipSync(content, { level: 9 }).length;
  }
  return { files: paths.length, bytes, gzipBytes };
}

export function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

export function formatSize(size: OutputSize): string {
  const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;
  return `${size.files} files, ${size.bytes} B (${kb(size.bytes)}), gzip ${size.gzipBytes} B (${kb(size.gzipBytes)})`;
}

/** Runs `npm run <script>` in a project; resolves with its exit code, its output and how long it took. */
export function runNpmScript(
  cwd: string,
  script: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; output: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn('npm', ['run', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      resolvePromise({ code, output, ms: Date.now() - started });
    });
  });
}
