/**
 * The dashboard's files (the `dashboard/` folder of the package): read once at start into memory and
 * served by exact name only, so no request path ever reaches the file system. No inline script or style
 * anywhere: the CSP (`script-src 'self'; style-src 'self'`) holds without exceptions.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApiApp } from './context.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** The package's `dashboard/` folder, from `src/server` (tsx) or `dist/src/server`. */
export function dashboardFolder(): string {
  const up = import.meta.url.endsWith('.ts') ? '../../dashboard/' : '../../../dashboard/';
  return fileURLToPath(new URL(up, import.meta.url));
}

/** Serve `/` (index.html) and `/assets/NAME` for each file of the folder; nothing else. */
export function dashboardRoutes(app: ApiApp, folder = dashboardFolder()): void {
  if (!existsSync(folder)) return;
  const files = new Map<string, { body: Buffer; type: string }>();
  for (const name of readdirSync(folder)) {
    const type = TYPES[extname(name)];
    if (type !== undefined) files.set(name, { body: readFileSync(join(folder, name)), type });
  }
  const send = (name: string) => {
    const file = files.get(name);
    if (file === undefined) return undefined;
    const bytes = new Uint8Array(file.body.buffer, file.body.byteOffset, file.body.byteLength);
    return new Response(bytes, { headers: { 'content-type': file.type, 'cache-control': 'no-cache' } });
  };
  app.get('/', (c) => send('index.html') ?? c.notFound());
  app.get('/assets/:name', (c) => send(c.req.param('name')) ?? c.notFound());
}
