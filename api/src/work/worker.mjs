// The worker threads' entry: plain JavaScript so Node can load it in any host (the server under tsx,
// vitest, a script), registering tsx here so the TypeScript core loads in the thread too.
import { register } from 'tsx/esm/api'

register()
// planning work yields the core to the request thread when they compete
const { lowerThreadPriority } = await import('./thread-priority.ts')
lowerThreadPriority()
const tasks = await import('./tasks.ts')
export default tasks.default
