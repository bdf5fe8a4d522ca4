import { readFileSync } from 'node:fs';

import { z } from 'zod';

import { coerceString } from './coerce';
import { ConfigError, type ConfigIssue } from './errors';
import { isSecretSetting } from './secret-setting';

/** Where {@link loadConfig} reads settings; precedence is defaults < file < env < flags. */
export interface ConfigSources {
  /** Path of a JSON file holding an object of settings (optional). */
  file?: string;
  /** Environment, such as `process.env`; only variables starting with `envPrefix` are read. */
  env?: Record<string, string | undefined>;
  /** Prefix of environment variables, `'ZEN_'` by default: `ZEN_REDIS_URL` sets `redisUrl`. */
  envPrefix?: string;
  /** Already-parsed command-line flags in camelCase; undefined values are ignored. */
  flags?: Record<string, unknown>;
}

interface Layer {
  values: Record<string, unknown>;
  sourceOf: (setting: string) => string;
}

/**
 * Reads settings from defaults (the schema's own), a JSON file, the environment and flags,
 * later sources overriding earlier ones, and validates them once against `schema`.
 * Strings from the environment and flags are coerced to what the schema expects (numbers,
 * booleans, comma lists; durations via `zDuration()`). Unknown keys in the file are refused;
 * unknown environment variables and flags are ignored. An environment variable set to the
 * empty string counts as unset. Throws `ConfigError` (`config_invalid`) naming every bad
 * setting and its source; values of settings whose names suggest a secret never appear in it.
 */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  sources: ConfigSources = {},
): z.output<S> {
  const shape = schema instanceof z.ZodObject ? (schema.shape as Record<string, z.ZodType>) : null;

  // Gather the layers, lowest precedence first.
  const issues: ConfigIssue[] = [];
  const layers: Layer[] = [];
  if (sources.file !== undefined) layers.push(readFileLayer(sources.file, shape, issues));
  if (sources.env !== undefined) layers.push(envLayer(sources.env, sources.envPrefix, shape));
  if (sources.flags !== undefined) layers.push(flagLayer(sources.flags, shape));
  if (issues.length > 0) throw new ConfigError(issues);

  // Merge, remembering which source gave each setting its final value.
  const merged: Record<string, unknown> = {};
  const origin = new Map<string, string>();
  for (const layer of layers) {
    for (const [setting, value] of Object.entries(layer.values)) {
      merged[setting] = value;
      origin.set(setting, layer.sourceOf(setting));
    }
  }

  const result = schema.safeParse(merged);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => toIssue(i, merged, origin)));
  }

  return result.data;
}

function readFileLayer(
  path: string,
  shape: Record<string, z.ZodType> | null,
  issues: ConfigIssue[],
): Layer {
  const source = `file ${path}`;
  const empty: Layer = { values: {}, sourceOf: () => source };

  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    issues.push({ setting: '(file)', source, message: `cannot be read (${code})` });
    return empty;
  }
  // JSON.parse messages quote the text around the fault, which may be a secret.
  let values: unknown;
  try {
    values = JSON.parse(text);
  } catch {
    issues.push({ setting: '(file)', source, message: 'is not valid JSON' });
    return empty;
  }
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    issues.push({ setting: '(file)', source, message: 'must hold a JSON object of settings' });
    return empty;
  }

  // A misspelt key in a file is almost always a mistake that would silently keep a default.
  for (const setting of Object.keys(values)) {
    if (shape !== null && !(setting in shape)) {
      issues.push({ setting, source, message: 'is not a known setting' });
    }
  }

  return { values: values as Record<string, unknown>, sourceOf: () => source };
}

function envLayer(
  env: Record<string, string | undefined>,
  prefix = 'ZEN_',
  shape: Record<string, z.ZodType> | null,
): Layer {
  const values: Record<string, unknown> = {};
  const names = new Map<string, string>();
  for (const [name, text] of Object.entries(env)) {
    if (!name.startsWith(prefix) || text === undefined || text === '') continue;
    const setting = camelCase(name.slice(prefix.length));
    if (setting === '' || (shape !== null && !(setting in shape))) continue;
    values[setting] = coerceString(shape?.[setting], text);
    names.set(setting, name);
  }

  return { values, sourceOf: (setting) => `env ${names.get(setting)}` };
}

function flagLayer(flags: Record<string, unknown>, shape: Record<string, z.ZodType> | null): Layer {
  const values: Record<string, unknown> = {};
  for (const [setting, value] of Object.entries(flags)) {
    if (value === undefined || (shape !== null && !(setting in shape))) continue;
    values[setting] = typeof value === 'string' ? coerceString(shape?.[setting], value) : value;
  }

  return { values, sourceOf: (setting) => `flag --${kebabCase(setting)}` };
}

function toIssue(
  issue: z.core.$ZodIssue,
  merged: Record<string, unknown>,
  origin: Map<string, string>,
): ConfigIssue {
  const top = issue.path.length > 0 ? String(issue.path[0]) : '(config)';
  const setting = issue.path.length > 0 ? issue.path.map(String).join('.') : top;
  const source = origin.get(top) ?? (merged[top] === undefined ? 'not set' : 'default');

  return {
    setting,
    source,
    message: scrubSecret(setting, issue.message, valueAt(merged, issue.path)),
  };
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }

  return value;
}

/** Schema authors may quote the input in a custom message; a secret's value is cut out. */
function scrubSecret(setting: string, message: string, value: unknown): string {
  if (!isSecretSetting(setting)) return message;
  if (typeof value !== 'string' && typeof value !== 'number') return message;
  const text = String(value);

  return text === '' ? message : message.split(text).join('[redacted]');
}

function camelCase(screaming: string): string {
  return screaming
    .toLowerCase()
    .split('_')
    .filter((part) => part !== '')
    .map((part, i) => (i === 0 ? part : part[0].toUpperCase() + part.slice(1)))
    .join('');
}

function kebabCase(camel: string): string {
  return camel.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}
