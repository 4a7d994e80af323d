// Test helper: takes the lock on the directory in argv[2] as a separate process, says so, and waits to be killed.
import { lockDataDir } from '../src/db/data-dir-lock.ts'

await lockDataDir(process.argv[2]!, 'lock test holder')
console.log('locked')
setInterval(() => {}, 60_000)
