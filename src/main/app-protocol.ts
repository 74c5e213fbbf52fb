import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { APP_HOST, APP_SCHEME } from './app-url';
import { SECURITY_HEADERS } from './security';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.map': 'application/json', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.ico': 'image/x-icon', '.woff2': 'font/woff2', '.wav': 'audio/wav', '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
};

/**
 * Maps an app:// URL to a file under root, or null when it is not ours or
 * would leave root (../, encoded slashes or backslashes, NUL, absolute paths).
 * Paths without an extension are client-side routes and get index.html.
 */
export function resolveAppPath(root: string, rawUrl: string): string | null {
  let url: URL;
  try { url = new URL(rawUrl); } catch { return null; }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || url.username || url.password || url.port) return null;
  let path: string;
  try { path = decodeURIComponent(url.pathname); } catch { return null; }
  if (path.includes('\0') || path.includes('\\')) return null;
  if (path === '/' || path === '') path = '/index.html';
  if (!extname(path)) path = '/index.html';
  const base = resolve(root);
  const file = resolve(base, '.' + path);
  const rel = relative(base, file);
  if (!rel || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) return null;
  return file;
}

export interface ProtocolRequest { url: string; method: string }

/** The handler given to protocol.handle(APP_SCHEME, ...): the built console, read-only, with the CSP on every response. */
export function createAppProtocolHandler(root: string, read: (file: string) => Promise<Uint8Array> = readFile) {
  return async (req: ProtocolRequest): Promise<Response> => {
    const headers = { ...SECURITY_HEADERS, 'cache-control': 'no-store' };
    if (req.method !== 'GET' && req.method !== 'HEAD') return new Response(null, { status: 405, headers });
    const file = resolveAppPath(root, req.url);
    if (!file) return new Response('forbidden', { status: 403, headers });
    let body: Uint8Array;
    try { body = await read(file); } catch { return new Response('not found', { status: 404, headers }); }
    return new Response(req.method === 'HEAD' ? null : body, {
      status: 200,
      headers: { ...headers, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' },
    });
  };
}
