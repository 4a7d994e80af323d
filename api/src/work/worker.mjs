// The worker threads' entry: plain JavaScript so Node can load it in any host (the server under tsx,
// vitest, a script), registering tsx here so the TypeScript core loads in the thread too.
import { register } from 'tsx/esm/api'

register()
const tasks = await import('./tasks.ts')
export default tasks.default
