import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DataDirLockedError, lockDataDir, lockHolder, ownerPathOf, readLockOwner } from './data-dir-lock.ts'

const dirs: string[] = []
function tempDataDir(): string {
  const base = mkdtempSync(join(tmpdir(), 'atlas-lock-'))
  dirs.push(base)
  return join(base, 'db')
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

/** Another process that takes the lock and keeps it until killed. */
function holder(dataDir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/test/hold-data-dir-lock.ts', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] })
  const locked = new Promise<void>((ok, fail) => {
    child.stdout!.on('data', (b: Buffer) => { if (b.toString().includes('locked')) ok() })
    child.once('exit', (code) => fail(new Error(`holder exited ${code}`)))
  })
  return { child, locked }
}

describe('lockDataDir', () => {
  it('lets one process hold a data directory and refuses a second, naming the holder and what to do', async () => {
    const dir = tempDataDir()
    const h = holder(dir)
    await h.locked
    try {
      const err = await lockDataDir(dir, 'second').then(() => null, (e: unknown) => e)
      expect(err).toBeInstanceOf(DataDirLockedError)
      const msg = (err as Error).message
      expect(msg).toContain(`process ${h.child.pid}`)
      expect(msg).toContain('hold-data-dir-lock.ts')
      expect(msg).toMatch(/started \d{4}-\d\d-\d\dT/)
      expect(msg).toContain(`kill ${h.child.pid}`)
      expect(msg).toContain('npm run backup')
      expect((await lockHolder(dir))?.pid).toBe(h.child.pid)
    } finally {
      h.child.kill('SIGKILL')
    }
  })

  it('takes over the lock of a process killed with kill -9 at once', async () => {
    const dir = tempDataDir()
    const h = holder(dir)
    await h.locked
    const dead = new Promise((r) => h.child.once('exit', r))
    h.child.kill('SIGKILL')
    await dead
    expect(readLockOwner(dir)?.pid).toBe(h.child.pid) // the killed process could not clean up
    expect(await lockHolder(dir)).toBeNull()
    const t0 = performance.now()
    const lock = await lockDataDir(dir, 'after kill -9')
    expect(performance.now() - t0).toBeLessThan(2000) // not the 30 s stale wait
    expect(readLockOwner(dir)?.pid).toBe(process.pid)
    await lock.release()
    expect(existsSync(ownerPathOf(dir))).toBe(false)
    // released: taken again without a fight
    await (await lockDataDir(dir, 'again')).release()
  })
})
