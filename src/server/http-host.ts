import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { ClientMessageSchema, type ServerMessage } from '../shared/wire';
import { bootElement, type BootData, type FirstScreen } from '../shared/boot';
import { acceptedLanguages, cookieLanguage, initialLanguage, type Language } from '../shared/language';
import type { CommandOutput } from '../shared/contract';
import { QUEUE_READ_SIZES } from '../shared/values';
import type { Core } from '../core/create-core';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
  '.woff2': 'font/woff2', '.wav': 'audio/wav', '.mp3': 'audio/mpeg', '.ogg': 'audio/ogg',
};

/** The same strict policy as the Electron window, plus the loopback WebSocket it talks to. */
export function browserCsp(port: number): string {
  return [
    "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`, "media-src 'self' data:",
    "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'none'",
  ].join('; ');
}

/** Rows of Waiting written into the page: the console's own first read (a screen and a margin). */
const BOOT_PAGE = QUEUE_READ_SIZES[0];
/** The end of the page waits at most this long for them; past it the console reads them itself. */
const BOOT_WAIT_MS = 500;

/** Where the page's root element opens: the first screen goes inside it. */
const ROOT_OPEN = '<div id="root">';

/** Built assets carry a content hash in their name: a browser may keep them for good and skip even the revalidation. */
const IMMUTABLE = 'private, max-age=31536000, immutable';

/** The session and the first page of Waiting, as the console would ask for them, or null if they are not ready in time. */
async function bootData(core: Core, onLate: () => void): Promise<BootData | null> {
  const read = (async (): Promise<BootData | null> => {
    const session = await core.invoke('session.get', {});
    if (!session.ok) return null;
    const value = session.value as CommandOutput<'session.get'>;
    if (!value.operator) return { session: value, waiting: null };
    const page = await core.invoke('queue.list', { tab: 'waiting', limit: BOOT_PAGE });
    return { session: value, waiting: page.ok ? { limit: BOOT_PAGE, page: page.value as CommandOutput<'queue.list'> } : null };
  })();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => { timer = setTimeout(() => { onLate(); resolve(null); }, BOOT_WAIT_MS); });
  try {
    return await Promise.race([read, late]);
  } finally {
    clearTimeout(timer);
  }
}

export interface HttpHostOptions {
  core: Core;
  /** The built renderer (out/renderer). */
  staticDir: string;
  /** Paints the console's first screen into the page; without it the page arrives empty and the scripts paint it. */
  firstScreen?: FirstScreen;
  port?: number;
  token?: string;
  log?: (msg: string) => void;
}

export interface HttpHost {
  server: Server;
  port: number;
  token: string;
  url: string;
  close(): Promise<void>;
}

function sameToken(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieToken(req: IncomingMessage): string | undefined {
  return /(?:^|;\s*)desk_token=([A-Za-z0-9_-]+)/.exec(req.headers.cookie ?? '')?.[1];
}

/**
 * The browser console's host: bound to 127.0.0.1 only; every HTTP and
 * WebSocket request must carry the random token (in the URL the first time,
 * then in a SameSite=Strict cookie), and a WebSocket must come from our own
 * origin, so neither other users on the machine nor web pages can drive it.
 */
export async function startHttpHost(opts: HttpHostOptions): Promise<HttpHost> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const root = normalize(opts.staticDir);
  const index = join(root, 'index.html');
  const assets = join(root, 'assets') + sep;
  const built = new Map<string, Buffer>();
  let port = 0;

  const authorised = (req: IncomingMessage, url: URL) =>
    sameToken(url.searchParams.get('token'), token) || sameToken(cookieToken(req), token);

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!authorised(req, url)) {
      res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8' }).end('Handoff Desk: missing or wrong token\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') { res.writeHead(405).end(); return; }
    let rel: string;
    try { rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname); } catch { res.writeHead(400).end(); return; }
    let file = normalize(join(root, rel));
    if (!file.startsWith(root + sep) && file !== root) { res.writeHead(403).end(); return; }
    if (!existsSync(file) || !statSync(file).isFile()) {
      // A path with an extension names a file (favicon.ico...): missing is a 404, not the console page.
      if (extname(rel)) { res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n'); return; }
      file = index; // client-side routes
    }
    if (!existsSync(file)) { res.writeHead(503).end('The console is not built: run npm run build\n'); return; }
    const asset = file.startsWith(assets);
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': browserCsp(port),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      ...(asset ? { 'cache-control': IMMUTABLE } : {
        // The page carries the operator's queue: never kept on disk.
        'cache-control': 'no-store',
        'set-cookie': `desk_token=${token}; HttpOnly; SameSite=Strict; Path=/`,
      }),
    });
    if (req.method === 'HEAD') { res.end(); return; }
    if (file === index) { void sendConsole(req, res, file); return; }
    if (!asset) { createReadStream(file).pipe(res); return; }
    // Read once: the name changes with the content. Answered in one go, an asset does not wait
    // for a turn of the event loop per 64 KB chunk while start-up work (engine, cache fill) holds it.
    let body = built.get(file);
    if (!body) { body = readFileSync(file); built.set(file, body); }
    res.end(body);
  });

  /**
   * The console's page, in two parts: everything up to the root element at
   * once, so the browser starts fetching and compiling the scripts; then, as
   * soon as the core has read them, the first screen painted from the boot
   * data (session and first page of Waiting) and the boot data itself. The
   * operator sees the queue when the page arrives; the scripts run once it is
   * complete, find the data there and take the screen over.
   */
  const sendConsole = async (req: IncomingMessage, res: ServerResponse, file: string) => {
    try {
      const lng = initialLanguage(cookieLanguage(req.headers.cookie), acceptedLanguages(req.headers['accept-language']));
      const html = (await readFile(file, 'utf8')).replace(/<html lang="[a-z]+"/, `<html lang="${lng}"`);
      const root = html.indexOf(ROOT_OPEN);
      const end = html.lastIndexOf('</body>');
      if (end < 0) { res.end(html); return; }
      const at = root >= 0 ? root + ROOT_OPEN.length : end;
      res.write(html.slice(0, at));
      // Said, so that a page that arrives unpainted (usually a host still starting) is not a mystery.
      const boot = await bootData(opts.core, () => opts.log?.(`console page sent without its first screen: the queue took over ${BOOT_WAIT_MS} ms to read`));
      const screen = root >= 0 && boot ? paint(boot, lng) : '';
      res.end(screen + html.slice(at, end) + (boot ? bootElement(boot) : '') + html.slice(end));
    } catch (err) {
      opts.log?.(`console page failed: ${err instanceof Error ? err.message : String(err)}`);
      res.destroy();
    }
  };

  /** A first screen that fails to render costs the operator nothing but the head start. */
  const paint = (boot: BootData, lng: Language): string => {
    if (!opts.firstScreen) return '';
    try {
      return opts.firstScreen(boot, lng) ?? '';
    } catch (err) {
      opts.log?.(`first screen not painted: ${err instanceof Error ? err.message : String(err)}`);
      return '';
    }
  };

  const wss = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const origin = req.headers.origin;
    const okOrigin = origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
    if (url.pathname !== '/ws' || !authorised(req, url) || !okOrigin) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket) => {
    const send = (m: ServerMessage) => { if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m)); };
    const off = opts.core.events.subscribe((name, payload) => send({ type: 'event', name, payload }));
    ws.on('close', off);
    ws.on('message', async (data) => {
      let raw: unknown;
      try { raw = JSON.parse(String(data)); } catch { raw = null; }
      const msg = ClientMessageSchema.safeParse(raw);
      if (!msg.success) {
        const id = typeof (raw as { id?: unknown })?.id === 'number' ? (raw as { id: number }).id : -1;
        send({ type: 'result', id, result: { ok: false, error: { code: 'invalid_input', message: 'malformed message' } } });
        return;
      }
      const result = await opts.core.invoke(msg.data.name, msg.data.input);
      send({ type: 'result', id: msg.data.id, result });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    server, port, token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    async close() {
      for (const c of wss.clients) c.terminate();
      wss.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
