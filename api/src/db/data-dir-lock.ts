import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import lockfile from 'proper-lockfile'

/** Who holds an embedded data directory: written next to the lock so a refused process can say. */
export interface LockOwner {
  pid: number
  hostname: string
  /** ISO 8601 */
  started_at: string
  command: string
  /** what the holder is: the API server, or a script by name */
  purpose: string
  /** the holder's backup socket (servers only): `npm run backup` asks it for a dump */
  backup_socket?: string
}

export interface DataDirLock {
  owner: LockOwner
  /** Records the backup socket path in the owner file once the server listens on it. */
  update(patch: Partial<LockOwner>): void
  release(): Promise<void>
}

/** Another live process holds the directory. The message names it and says what to do instead. */
export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly owner: LockOwner | null,
  ) {
    const who = owner
      ? `process ${owner.pid} on ${owner.hostname} (${owner.purpose}, started ${owner.started_at}: ${owner.command})`
      : 'another process (its owner file is missing)'
    super(
      `the embedded database ${dataDir} is in use by ${who}. One process at a time may open it, or acknowledged writes get lost. ` +
        `Stop that process first (${owner ? `kill ${owner.pid}, or Ctrl-C in its terminal` : 'Ctrl-C in its terminal'}) and run this again; ` +
        `while a server runs, \`npm run backup\` asks it for a copy, and a second server needs its own DATA_DIR (or both use one PostgreSQL via DATABASE_URL).`,
    )
  }
}

const STALE_MS = 30_000
const UPDATE_MS = 5_000

export const lockPathOf = (dataDir: string) => `${dataDir}.lock`
export const ownerPathOf = (dataDir: string) => `${dataDir}.lock.json`

/** The owner file of a data directory's lock, or null when there is none or it is unreadable. */
export function readLockOwner(dataDir: string): LockOwner | null {
  try {
    return JSON.parse(readFileSync(ownerPathOf(dataDir), 'utf8')) as LockOwner
  } catch {
    return null
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Takes the exclusive lock on an embedded data directory (proper-lockfile: a `<dir>.lock` directory
 * whose mtime the holder refreshes every 5 s) and writes who holds it to `<dir>.lock.json`.
 * A lock left by a process that died (kill -9, power cut) is taken over: at once when its owner
 * file names a process on this host that no longer exists, otherwise once it is 30 s stale.
 * Throws DataDirLockedError when a live process holds it.
 * If the lock is lost while held (its directory removed, the disk gone), `onCompromised` runs;
 * the default ends the process, since writing on would risk the data.
 */
export async function lockDataDir(
  dataDir: string,
  purpose: string,
  onCompromised: (err: Error) => void = (err) => {
    console.error(`lost the lock on ${dataDir} (${err.message}); stopping so no second process writes beside this one`)
    process.exit(1)
  },
): Promise<DataDirLock> {
  const options = { stale: STALE_MS, update: UPDATE_MS, lockfilePath: lockPathOf(dataDir), realpath: false, onCompromised }
  let release: () => Promise<void>
  try {
    release = await lockfile.lock(dataDir, options)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err
    const owner = readLockOwner(dataDir)
    // A holder on this machine that no longer runs cannot refresh its lock: do not make the user wait out the stale time.
    if (owner && owner.hostname === hostname() && !isAlive(owner.pid)) {
      rmSync(lockPathOf(dataDir), { recursive: true, force: true })
      release = await lockfile.lock(dataDir, options).catch((again: NodeJS.ErrnoException) => {
        throw again.code === 'ELOCKED' ? new DataDirLockedError(dataDir, readLockOwner(dataDir)) : again
      })
    } else {
      throw new DataDirLockedError(dataDir, owner)
    }
  }
  const owner: LockOwner = {
    pid: process.pid,
    hostname: hostname(),
    started_at: new Date().toISOString(),
    command: process.argv.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' '),
    purpose,
  }
  writeFileSync(ownerPathOf(dataDir), JSON.stringify(owner, null, 2) + '\n')
  return {
    owner,
    update(patch) {
      Object.assign(owner, patch)
      writeFileSync(ownerPathOf(dataDir), JSON.stringify(owner, null, 2) + '\n')
    },
    async release() {
      rmSync(ownerPathOf(dataDir), { force: true })
      await release()
    },
  }
}

/** The data directory's lock holder when a live process holds it, else null (for restore and backup). */
export async function lockHolder(dataDir: string): Promise<LockOwner | null> {
  const locked = await lockfile.check(dataDir, { stale: STALE_MS, lockfilePath: lockPathOf(dataDir), realpath: false }).catch(() => false)
  if (!locked) return null
  const owner = readLockOwner(dataDir)
  if (owner && owner.hostname === hostname() && !isAlive(owner.pid)) return null
  return owner ?? { pid: 0, hostname: '?', started_at: '?', command: '?', purpose: 'unknown' }
}
