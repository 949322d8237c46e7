/** A configuration value that is missing or wrong; its message names the variable, never a secret value. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
