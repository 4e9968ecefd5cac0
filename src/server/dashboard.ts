/**
 * The dashboard (web/, issue 15) as static files from web/dist: hashed assets cached for a year
 * (their names change with their content), index.html revalidated on every load, and every other
 * GET outside the API answered with index.html so a reload of a client-side route works. Files are
 * read at request time: a build made while the server runs is picked up. Without a build, `/` says
 * how to make one instead of a bare 404.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Paths that belong to the server: an unknown one is the API's JSON 404, never the dashboard. */
const SERVER_PREFIXES = ['/api', '/ws', '/docs', '/health', '/ready', '/metrics'];

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL('../../web/dist/', import.meta.url));

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>riskgate</title>
<h1>The riskgate dashboard is not built</h1>
<p>Build it from the repository root with <code>npm run build</code> (run by <code>npm ci</code>), then reload.</p>
<p>The API is up: <a href="/docs">/docs</a>, <a href="/health">/health</a>.</p>`;

export function isServerPath(url: string): boolean {
  const p = url.split('?')[0]!;
  return SERVER_PREFIXES.some((prefix) => p === prefix || p.startsWith(`${prefix}/`));
}

export function dashboardRoutes(dir: string = DEFAULT_DASHBOARD_DIR) {
  return async function routes(app: FastifyInstance): Promise<void> {
    const handler = async (req: FastifyRequest, reply: FastifyReply) => {
      if (isServerPath(req.url)) return reply.callNotFound();
      const rel = decodeURIComponent(req.url.split('?')[0]!).replace(/^\/+/, '');
      const file = path.resolve(dir, rel);
      const inside = file.startsWith(path.resolve(dir) + path.sep);
      if (inside && rel !== '' && (await isFile(file))) return sendFile(reply, file, rel.startsWith('assets/'));
      // A missing asset is a 404 (a stale page asking for an old chunk); any other path is a client route.
      if (rel.startsWith('assets/')) return reply.callNotFound();
      const index = path.join(dir, 'index.html');
      if (await isFile(index)) return sendFile(reply, index, false);
      return reply.status(503).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(NOT_BUILT);
    };
    app.get('/', { schema: { hide: true } }, handler);
    app.get('/*', { schema: { hide: true } }, handler);
  };
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

async function sendFile(reply: FastifyReply, file: string, hashed: boolean): Promise<FastifyReply> {
  const body = await readFile(file);
  return reply
    .header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache')
    .header('x-content-type-options', 'nosniff')
    .type(TYPES[path.extname(file)] ?? 'application/octet-stream')
    .send(body);
}
