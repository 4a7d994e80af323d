/**
 * Page-wide styles. Noto Sans SC is self-hosted from @fontsource in two weights (400 text, 600
 * headings); its CSS splits each weight into ~100 unicode-range slices, so the browser fetches
 * only the slices holding characters on screen. Imported from JS (not CSS @import) so the
 * woff2-only transform in vite.config.ts sees the files.
 */
import '@fontsource/noto-sans-sc/400.css'
import '@fontsource/noto-sans-sc/600.css'
import './base.css'
