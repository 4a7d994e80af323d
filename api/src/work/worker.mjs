// The worker threads' entry: plain JavaScript so Node can load it in any host (the server under tsx,
// vitest, a script), registering tsx here so the TypeScript core loads in the thread too.
import threads from 'node:worker_threads'
import { register } from 'tsx/esm/api'

// geotiff imports the `web-worker` shim, which in any thread but the main one takes itself for a
// web worker and reads threads.workerData.mod — undefined in a piscina thread, so the import threw.
// An empty workerData makes it act as on the main thread (geotiff's decoder pool is not used here).
if (threads.workerData == null) threads.workerData = {}

register()
// planning work yields the core to the request thread when they compete
const { lowerThreadPriority } = await import('./thread-priority.ts')
lowerThreadPriority()
const tasks = await import('./tasks.ts')
export default tasks.default
