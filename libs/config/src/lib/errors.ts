/** Every failure code of `@zen/config`. */
export type ConfigErrorCode = 'config_invalid';

/** One bad setting: its name, where its value came from, and what is wrong with it. */
export interface ConfigIssue {
  /** Setting name as the schema spells it (`svidTtl`), dotted for nested paths. */
  setting: string;
  /** Where the value came from: `env ZEN_SVID_TTL`, `file /etc/zen.json`, `flag --svid-ttl`,
   * `default`, or `not set`; absent when the value was passed directly. */
  source?: string;
  /** What is wrong, never the value itself when the setting name suggests a secret. */
  message: string;
}

/**
 * Configuration was refused. The message names every bad setting and its source, for example
 * `invalid configuration: svidTtl (from env ZEN_SVID_TTL): must be greater than zero`.
 */
export class ConfigError extends Error {
  readonly code: ConfigErrorCode = 'config_invalid';
  readonly issues: ConfigIssue[];

  constructor(issues: ConfigIssue[], options?: { cause?: unknown }) {
    super(`invalid configuration: ${issues.map(describeIssue).join('; ')}`, options);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

function describeIssue(issue: ConfigIssue): string {
  const from = issue.source === undefined ? '' : ` (${sourcePhrase(issue.source)})`;

  return `${issue.setting}${from}: ${issue.message}`;
}

function sourcePhrase(source: string): string {
  return source === 'not set' ? source : `from ${source}`;
}
