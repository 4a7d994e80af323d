/**
 * The page skeleton every page (web/pages.ts) starts through:
 *
 *   startPage({ hooks: (lang) => …, start: async ({ hooks }) => { … } })
 *
 * 1. the language: `?lang=`, then the saved choice, then Chinese (i18n/lang.ts), on `<html lang>`;
 * 2. the test hooks, published once as `window.__atlas` (hooks.ts), kept in step with the language;
 * 3. `start` builds the page: its state in a store (store.ts), a `render(state)` subscribed to it,
 *    events bound once (delegated on the page's root elements), then the first loads;
 * 4. a failure anywhere in start-up lands in `hooks.error` and the page's `fail` (never a blank page).
 *
 * Where later parts go: things every page shows (a signed-in user's account menu, a sign-in
 * prompt) are a module under web/src/page/ that a page's header renders into its own slot; a page
 * of its own (an admin page) is one more folder and one more name in web/pages.ts.
 */
import { onLangChange, startLang, type Lang } from '../i18n/lang.ts'
import { publishHooks, type PageHooks } from './hooks.ts'

export interface PageSpec<H extends PageHooks> {
  /** the page's hooks as they are before anything loaded */
  hooks(lang: Lang): H
  /** false: only `?lang=` may change the default Chinese (a kiosk ignores a previous visitor's choice) */
  rememberedLang?: boolean
  start(ctx: { hooks: H; lang: Lang }): Promise<void>
  /** shows a start-up failure where the page's content would be */
  fail?(message: string): void
}

export function startPage<H extends PageHooks>(spec: PageSpec<H>): void {
  const lang = startLang({ remembered: spec.rememberedLang ?? true })
  const hooks = publishHooks(spec.hooks(lang))
  onLangChange((l) => (hooks.lang = l))
  spec.start({ hooks, lang }).catch((err: unknown) => {
    const message = err instanceof Error ? err.message : String(err)
    console.error(err)
    hooks.error = message
    spec.fail?.(message)
  })
}
