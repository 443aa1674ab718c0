// Secrets shown to humans (`check`, validation messages): enough to recognise, not to use.

/** `sk-…abcd` (first 3 + … + last 4), or `****` when the value is too short to show any of it. */
export const maskSecret = (s: string): string => (s.length < 12 ? '****' : `${s.slice(0, 3)}…${s.slice(-4)}`)

const SECRET_KEY = /(^|_)(key|keys|secret|token|password)$|^api_key$|^aws_/

/** Whether a config key holds a secret (api_key, key, aws_secret_access_key…). */
export const isSecretKey = (key: string | number): boolean =>
  typeof key === 'string' && key !== 'key_sha256' && SECRET_KEY.test(key)
