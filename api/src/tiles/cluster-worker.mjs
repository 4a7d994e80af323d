// The cluster index thread's entry: plain JavaScript so Node can load it in any host (the server
// under tsx, vitest, a script), registering tsx here so the TypeScript modules load in the thread too
// (the same way as api/src/work/worker.mjs).
import { register } from 'tsx/esm/api'

register()
await import('./cluster-worker-loop.ts')
