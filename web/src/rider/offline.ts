/**
 * Offline support: registers /rider-sw.js (scope `/`, so it can answer /api and /assets requests)
 * and hands it the files this page already loaded before it was in control, so the next start
 * works without a network. Also words the "stale data" banner.
 */
import { formatClock, formatMonthDay } from '../format.ts'
import { r } from './strings.ts'

/** Resolves true once the service worker controls this page (it claims it on first install), false after 15 s or without one. */
export function swInControl(timeoutMs = 15_000): Promise<boolean> {
  const sw = navigator.serviceWorker
  if (!sw) return Promise.resolve(false)
  if (sw.controller) return Promise.resolve(true)
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs)
    sw.addEventListener('controllerchange', () => {
      clearTimeout(timer)
      resolve(true)
    }, { once: true })
    // registration failed (private mode, blocked): stop waiting
    void registered.then((reg) => {
      if (reg) return
      clearTimeout(timer)
      resolve(!!sw.controller)
    })
  })
}

let registered: Promise<ServiceWorkerRegistration | null> = Promise.resolve(null)

export function registerOffline(): Promise<ServiceWorkerRegistration | null> {
  if (!('serviceWorker' in navigator)) return registered
  registered = navigator.serviceWorker
    .register('/rider-sw.js', { scope: '/' })
    .then(() => navigator.serviceWorker.ready)
    .catch((err: unknown) => {
      console.warn('offline mode unavailable:', err)
      return null
    })
  return registered
}

/** Asks the service worker to keep every same-origin file this page has fetched so far (JS, CSS, worker, JSON). */
export async function cacheLoadedFiles(): Promise<void> {
  if (!('serviceWorker' in navigator)) return
  const reg = await navigator.serviceWorker.ready
  const origin = location.origin
  const urls = new Set<string>([location.pathname])
  for (const e of performance.getEntriesByType('resource') as PerformanceResourceTiming[]) {
    const u = new URL(e.name)
    if (u.origin === origin && (u.pathname.startsWith('/assets/') || u.pathname === '/favicon.svg')) urls.add(u.pathname)
  }
  reg.active?.postMessage({ type: 'cache-urls', urls: [...urls] })
}


/** "离线 · 数据更新于 14:05" (times in China Standard Time, like the opening hours). */
export function staleText(fetchedAt: Date, now = new Date()): string {
  const old = now.getTime() - fetchedAt.getTime() > 12 * 3600_000
  return old ? r('offlineOld', { date: formatMonthDay(fetchedAt, 'short'), time: formatClock(fetchedAt) }) : r('offlineBanner', { time: formatClock(fetchedAt) })
}

export function clockText(at: Date): string {
  return formatClock(at)
}
