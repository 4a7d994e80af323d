import { fileURLToPath } from 'node:url'

/** The repository root, so the server and scripts find data/ and dist/ whatever the working directory. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** A path inside the repository. */
export const repoPath = (relative: string) => REPO_ROOT + relative
