import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { contentSecurityPolicy } from '../core/csp.ts';
import { appFilePath } from './navigation.ts';

const mimeTypes: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  json: 'application/json',
  woff2: 'font/woff2',
  ttf: 'font/ttf',
};

/**
 * The answer to a request for the `app://` scheme: a file below the renderer folder with the
 * kiosk's CSP, or 404 for anything else (a path outside the folder, a malformed `%` escape, a
 * file that is not there). Never throws: an exception here would fail the request unanswered.
 */
export async function serveAppFile(url: string, rendererDir: string): Promise<Response> {
  const path = appFilePath(url);
  if (!path) return notFound();
  try {
    const body = await readFile(join(rendererDir, path));
    const type = mimeTypes[path.split('.').pop() ?? ''] ?? 'application/octet-stream';
    return new Response(body, {
      headers: {
        'Content-Type': type,
        'Content-Security-Policy': contentSecurityPolicy(),
        'X-Content-Type-Options': 'nosniff',
      },
    });
  } catch {
    return notFound();
  }
}

function notFound(): Response {
  return new Response('not found', { status: 404, headers: { 'Content-Type': 'text/plain' } });
}
