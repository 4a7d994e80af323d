/*
 * Rider page service worker (registered by /rider with scope "/" so it can answer /api and
 * /assets requests). It acts only for the rider page: navigations to /rider and requests made by a
 * /rider window; everything else passes straight to the network.
 *
 *  - /rider (the shell): network first, cached copy when offline
 *  - /assets/* (content-hashed, immutable): cache first
 *  - the install manifests and home-screen icons: kept at install; the manifests network first,
 *    the icons cache first (whoever asks: the browser fetches them, not the page)
 *  - /api/changes (polled for others' edits) and the station tiles: network only (the tiles have
 *    their own ETag/max-age in the HTTP cache; kept here, every tile ever viewed would pile up)
 *  - /api/stations/columns (a county's saved stations, web/src/rider/saved-counties.ts): kept like
 *    any /api answer, but one copy per county and MAX_COUNTIES counties, the latest saved
 *  - /api/*: network first (8 s), cached copy when offline or slow; copies carry
 *    x-atlas-fetched-at, and answers from the cache x-atlas-from-cache: 1, so the page can say
 *    "离线 · 数据更新于 HH:mm"
 */
// v2: counties are saved as bounded column pages; v1's full GeoJSON copies (tens of MB at scale) go at activation
const VERSION = 'v2'
const SHELL = `atlas-rider-shell-${VERSION}`
const DATA = `atlas-rider-data-${VERSION}`
const API_TIMEOUT_MS = 8000
/** /api/nearest answers differ for every position: keep only the latest few */
const MAX_NEAREST = 20
/** counties whose stations are kept (web/src/rider/saved-counties.ts MAX_COUNTIES) */
const MAX_COUNTIES = 6
/** what the home-screen app needs besides the shell (web/public/) */
const INSTALL_FILES = ['/rider.webmanifest', '/rider-en.webmanifest', '/icons/rider-192.png', '/icons/rider-512.png', '/icons/rider-maskable-512.png', '/icons/rider-apple-touch-180.png', '/favicon.svg']
const isInstallFile = (path) => INSTALL_FILES.includes(path)

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL)
      await cache.add('/rider')
      // one missing icon must not stop offline use of the page
      await Promise.all(INSTALL_FILES.map((url) => cache.add(url).catch(() => {})))
      await self.skipWaiting()
    })(),
  )
})

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key.startsWith('atlas-rider-') && key !== SHELL && key !== DATA) await caches.delete(key)
      await self.clients.claim()
    })(),
  )
})

// The page lists the files it loaded before this worker was in control.
self.addEventListener('message', (event) => {
  if (event.data?.type !== 'cache-urls' || !Array.isArray(event.data.urls)) return
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL)
      for (const url of event.data.urls) {
        if (typeof url !== 'string' || !url.startsWith('/')) continue
        if (await cache.match(url, { ignoreSearch: url === '/rider' })) continue
        try {
          await cache.add(url)
        } catch {
          /* offline right now: next time */
        }
      }
    })(),
  )
})

const isRiderPath = (path) => path === '/rider' || path === '/rider/' || path.startsWith('/rider/index.html')

self.addEventListener('fetch', (event) => {
  const req = event.request
  if (req.method !== 'GET') return
  const url = new URL(req.url)
  if (url.origin !== self.location.origin) return
  if (req.mode === 'navigate') {
    if (isRiderPath(url.pathname)) event.respondWith(shell(req))
    return
  }
  if (isInstallFile(url.pathname) && url.pathname !== '/favicon.svg') {
    event.respondWith(url.pathname.endsWith('.webmanifest') ? manifest(req) : asset(req))
    return
  }
  if (!url.pathname.startsWith('/api/') && !url.pathname.startsWith('/assets/') && url.pathname !== '/favicon.svg') return
  // the change counter is polled every few seconds: straight to the network, never a stale copy
  if (url.pathname === '/api/changes' || url.pathname.startsWith('/api/tiles/')) return
  event.respondWith(
    (async () => {
      const client = event.clientId ? await self.clients.get(event.clientId) : null
      const fromRider = client && isRiderPath(new URL(client.url).pathname)
      if (!fromRider) return fetch(req)
      return url.pathname.startsWith('/api/') ? api(req, url) : asset(req)
    })(),
  )
})

async function shell(req) {
  const cache = await caches.open(SHELL)
  try {
    const res = await fetch(req)
    if (res.ok) await cache.put('/rider', res.clone())
    return res
  } catch (err) {
    const hit = await cache.match('/rider', { ignoreSearch: true })
    if (hit) return hit
    throw err
  }
}

async function manifest(req) {
  const cache = await caches.open(SHELL)
  try {
    const res = await fetch(req)
    if (res.ok) await cache.put(new URL(req.url).pathname, res.clone())
    return res
  } catch (err) {
    const hit = await cache.match(new URL(req.url).pathname)
    if (hit) return hit
    throw err
  }
}

async function asset(req) {
  const cache = await caches.open(SHELL)
  const hit = await cache.match(req)
  if (hit) return hit
  const res = await fetch(req)
  if (res.ok) await cache.put(req, res.clone())
  return res
}

/** A copy that can be stored: decoded body (so no content-encoding/length), plus when it was fetched. */
async function stamped(res) {
  const headers = new Headers(res.headers)
  headers.delete('content-encoding')
  headers.delete('content-length')
  headers.set('x-atlas-fetched-at', new Date().toISOString())
  return new Response(await res.clone().blob(), { status: res.status, statusText: res.statusText, headers })
}

function fromCache(res) {
  const headers = new Headers(res.headers)
  headers.set('x-atlas-from-cache', '1')
  return new Response(res.body, { status: res.status, statusText: res.statusText, headers })
}

async function api(req, url) {
  const cache = await caches.open(DATA)
  const cached = await cache.match(req)
  const network = fetch(req).then(async (res) => {
    if (res.ok) {
      await cache.put(req, await stamped(res))
      if (url.pathname === '/api/nearest') await trimNearest(cache)
      if (url.pathname === '/api/stations/columns') await trimCounties(cache, url)
    }
    return res
  })
  if (!cached) return network
  // with a copy in hand, do not keep a rider waiting on a dead-slow connection
  const timeout = new Promise((resolve) => setTimeout(() => resolve(null), API_TIMEOUT_MS))
  try {
    const res = await Promise.race([network, timeout])
    if (res && res.status < 500) return res
  } catch {
    /* offline */
  }
  network.catch(() => {})
  return fromCache(cached)
}

async function trimNearest(cache) {
  const keys = (await cache.keys()).filter((r) => new URL(r.url).pathname === '/api/nearest')
  for (const old of keys.slice(0, Math.max(0, keys.length - MAX_NEAREST))) await cache.delete(old)
}

/** One saved copy per county (the one just stored), and only the MAX_COUNTIES latest counties. */
async function trimCounties(cache, latest) {
  const region = latest.searchParams.get('region')
  const keys = (await cache.keys()).filter((r) => new URL(r.url).pathname === '/api/stations/columns')
  const older = keys.filter((r) => r.url !== latest.href)
  for (const r of older.filter((r) => new URL(r.url).searchParams.get('region') === region)) await cache.delete(r)
  // the cache lists its keys in the order they were stored: the oldest first
  const others = older.filter((r) => new URL(r.url).searchParams.get('region') !== region)
  for (const old of others.slice(0, Math.max(0, others.length + 1 - MAX_COUNTIES))) await cache.delete(old)
}
