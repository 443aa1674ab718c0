// The dashboard's files, embedded at build time (ui-bundle.ts is a macro), served under /ui with
// headers that keep the page to itself: a CSP without inline script or style, no framing, no
// MIME sniffing, no referrer.
import { uiBundle } from './ui-bundle' with { type: 'macro' }

const FILES = uiBundle()

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
}

const asset = (body: string, type: string, cache: string) => () =>
  new Response(body, { headers: { 'content-type': type, 'cache-control': cache, ...SECURITY_HEADERS } })

const ROUTES: Record<string, () => Response> = {
  '/ui': asset(FILES.html, 'text/html; charset=utf-8', 'no-store'),
  '/ui/app.js': asset(FILES.js, 'text/javascript; charset=utf-8', 'no-cache'),
  '/ui/style.css': asset(FILES.css, 'text/css; charset=utf-8', 'no-cache'),
}

/** `path` without a trailing slash; every page is the one HTML document (the client routes on #hash) */
export function serveUi(path: string): Response {
  const r = ROUTES[path]
  if (r) return r()
  return new Response('not found', { status: 404, headers: { 'content-type': 'text/plain', ...SECURITY_HEADERS } })
}
