/**
 * `window.__atlas`: what browser tests (and curious developers in the console) read on every page.
 * This is the one module that publishes it; each page adds its own fields to the common ones.
 */
import type { Lang } from '../i18n/lang.ts'

/** What every page's hooks say. */
export interface PageHooks {
  /** the page has settled: data shown, map (if any) idle */
  idle: boolean
  /** a start-up or load failure, else null */
  error: string | null
  lang: Lang
}

/** Publishes `hooks` as `window.__atlas` (replacing any earlier object) and returns them. */
export function publishHooks<H extends PageHooks>(hooks: H): H {
  ;(window as unknown as { __atlas: H }).__atlas = hooks
  return hooks
}

/** The hooks published on this page, if any (for the start-up failure path). */
export function publishedHooks(): PageHooks | undefined {
  return (window as unknown as { __atlas?: PageHooks }).__atlas
}
