// One source of truth for the version: package.json (release tags are v<version>; the release
// workflow refuses a tag that differs). Bundled into the binary at build time.
import pkg from '../package.json'

export const VERSION: string = pkg.version
