// The embedded database's thread entry: plain JavaScript so Node can load it from any host (the server
// under tsx, vitest, a script), registering tsx here so the TypeScript module loads in the thread too.
import { register } from 'tsx/esm/api'

register()
await import('./embedded-thread.ts')
