/**
 * The page list: every page the build makes and the server serves. A page named `x` is the folder
 * web/x/ (its index.html; the planner, the root page, is web/index.html) with its code in web/src/x/.
 * vite.config.ts takes its HTML entries from here and api/src/server.ts its page routes.
 */
export const PAGES = ['planner', 'rider', 'tour', 'reports', 'signin', 'admin', 'import'] as const
export type PageName = (typeof PAGES)[number]

/** The page served at `/`. */
export const ROOT_PAGE: PageName = 'planner'

/** A page's HTML entry, relative to web/. */
export function pageHtml(name: PageName): string {
  return name === ROOT_PAGE ? 'index.html' : `${name}/index.html`
}

/** The pages served at `/<name>` (all but the root page). */
export const SUB_PAGES = PAGES.filter((p) => p !== ROOT_PAGE)
