/**
 * Creates an account in the database the server would use:
 *
 *   npm run create-user -- --admin --email you@example.org
 *   npm run create-user -- --email editor@example.org --regions 370828,361021     # an editor of two counties
 *
 * The password is asked for (twice, not echoed), or read from CREATE_USER_PASSWORD when there is no
 * terminal. It is never taken from the command line: arguments end up in shell history and in `ps`,
 * where anyone on the machine can read them. At least 12 characters; there is no default.
 *
 * Database: DATABASE_URL, else the embedded one in DATA_DIR (default data/.db) — stop `npm start`
 * first, the embedded database takes one process at a time.
 */
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { hashPassword, MIN_PASSWORD_LENGTH, passwordProblem } from '../api/src/auth/passwords.ts'
import { connect } from '../api/src/db/connect.ts'
import { migrate } from '../api/src/db/migrate.ts'
import { DEFAULT_SEED_FILES, seed } from '../api/src/db/seed.ts'
import { createUser, DuplicateEmailError, UnknownRegionsError, type Role } from '../api/src/db/users.ts'
import { email as emailSchema } from '../api/src/schemas/auth.ts'

export interface CreateUserArgs {
  email: string
  role: Role
  regions: string[]
}

const USAGE = 'usage: npm run create-user -- [--admin] --email you@example.org [--regions 370828,361021]'

/** Reads and checks the command line; throws with the usage when something is missing or wrong. */
export function parseCreateUserArgs(argv: string[]): CreateUserArgs {
  const { values } = parseArgs({
    args: argv,
    options: { admin: { type: 'boolean', default: false }, email: { type: 'string' }, regions: { type: 'string' }, password: { type: 'string' } },
    strict: true,
  })
  if (values.password !== undefined) throw new Error('--password is not accepted: the command line is visible in shell history and ps; type it at the prompt or set CREATE_USER_PASSWORD')
  const email = emailSchema.safeParse(values.email ?? '')
  if (!email.success) throw new Error(`--email must be an e-mail address\n${USAGE}`)
  const regions = (values.regions ?? '').split(',').map((s) => s.trim()).filter(Boolean)
  const bad = regions.filter((r) => !/^[0-9]{6}$/.test(r))
  if (bad.length) throw new Error(`--regions must be six-digit GB/T 2260 codes, got ${bad.join(', ')}\n${USAGE}`)
  if (!values.admin && regions.length === 0) console.warn('note: an editor without --regions can sign in but write nowhere until an admin grants regions')
  return { email: email.data, role: values.admin ? 'admin' : 'editor', regions }
}

/** Reads a line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin
    process.stdout.write(question)
    let input = ''
    stdin.setRawMode(true)
    stdin.resume()
    stdin.setEncoding('utf8')
    const onData = (ch: string) => {
      for (const c of ch) {
        if (c === '\r' || c === '\n') {
          stdin.setRawMode(false)
          stdin.pause()
          stdin.off('data', onData)
          process.stdout.write('\n')
          return resolve(input)
        }
        if (c === '\u0003') {
          stdin.setRawMode(false)
          return reject(new Error('cancelled'))
        }
        if (c === '\u007f' || c === '\b') input = input.slice(0, -1)
        else input += c
      }
    }
    stdin.on('data', onData)
  })
}

async function readPassword(): Promise<string> {
  const fromEnv = process.env.CREATE_USER_PASSWORD
  if (fromEnv !== undefined) return fromEnv
  if (!process.stdin.isTTY) throw new Error('no terminal to ask for the password: set CREATE_USER_PASSWORD')
  const first = await promptHidden(`password (at least ${MIN_PASSWORD_LENGTH} characters): `)
  const problem = passwordProblem(first)
  if (problem) throw new Error(`the password ${problem}`)
  if ((await promptHidden('again: ')) !== first) throw new Error('the two passwords differ')
  return first
}

async function main() {
  const args = parseCreateUserArgs(process.argv.slice(2))
  const password = await readPassword()
  const problem = passwordProblem(password)
  if (problem) throw new Error(`the password ${problem}`)
  const db = await connect({ databaseUrl: process.env.DATABASE_URL || undefined, dataDir: process.env.DATA_DIR, log: () => {} })
  try {
    await migrate(db.sql)
    await seed(db.sql, DEFAULT_SEED_FILES) // grants name regions: make sure they are loaded
    const user = await createUser(db.sql, { email: args.email, passwordHash: await hashPassword(password), role: args.role, regions: args.regions })
    console.log(`created ${user.role} ${user.email}${user.regions.length ? ` for ${user.regions.join(', ')}` : ''} (${user.id}); sign in with POST /api/auth/login`)
  } catch (err) {
    if (err instanceof DuplicateEmailError || err instanceof UnknownRegionsError) throw new Error(err.message)
    throw err
  } finally {
    await db.close()
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err)
    process.exit(1)
  })
}
