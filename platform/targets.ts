// Targets: `callflow.config.yaml`, the nearest one above the workflow file (cli.md "Targets and
// credentials"). A target is a URL plus the NAME of the environment variable holding its key: keys
// are never read from files. Without a config (or without a default), the target is `local`: the
// embedded emulator, database `.callflow/emulator.sqlite` beside the config, or else at the
// workflow file's git root, or else beside the workflow file.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseYaml } from './yaml-load';
import { checkTargetUrl, resolveKey, type KeyDecision, type KeySources } from './credentials';
import { TargetError } from './target-error';

export const CONFIG_FILE = 'callflow.config.yaml';
export const LOCAL_TARGET = 'local';
export const LOCAL_DB = path.join('.callflow', 'emulator.sqlite');

export interface TargetConfig {
  url: string;
  /** Optional: a CALLFLOW_* variable (or one the user's credentials file allows); see credentials.ts. */
  key_env?: string;
  max_concurrent_calls?: number;
  http_concurrency?: number;
}

export interface ProjectConfig {
  path?: string;
  targets: Map<string, TargetConfig>;
  defaultTarget?: string;
}

export interface ResolvedTarget {
  name: string;
  local: boolean;
  /** Base URL (…/v1); unset for `local` until its emulator is started. */
  url?: string;
  /** The key itself: only held in memory, never printed. */
  key?: string;
  keyEnv?: string;
  /** Where the key came from (credentials.ts KeyDecision): for messages and the status bar, never the key. */
  keyFrom?: KeyDecision['source'];
  /** The variable read, when the key came from one. */
  keyVariable?: string;
  /** The workspace's concurrency limit (WF105), when the config says it. */
  maxConcurrentCalls?: number;
  httpConcurrency?: number;
  /** For `local`: the emulator's database file. */
  dbPath?: string;
  configPath?: string;
}

export { TargetError };

/**
 * The nearest callflow.config.yaml from `startDir` upwards, stopping at the repository root (the
 * folder holding `.git`): a config above the repository belongs to someone else and is never used.
 */
export function findConfig(startDir: string): string | undefined {
  let dir = path.resolve(startDir);
  for (;;) {
    const p = path.join(dir, CONFIG_FILE);
    if (existsSync(p)) return p;
    if (existsSync(path.join(dir, '.git'))) return undefined;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** The repository holding `startDir`: the nearest folder with a `.git` entry, or undefined. */
export function repositoryRoot(startDir: string): string | undefined {
  let dir = path.resolve(startDir);
  for (;;) {
    if (existsSync(path.join(dir, '.git'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/**
 * The project a folder belongs to, where `.callflow/` (the emulator's database, the `local`
 * target's state) lives: the nearest callflow.config.yaml's folder, else the repository root,
 * else the folder itself.
 */
export function projectRoot(dir: string): string {
  const config = findConfig(dir);
  return config ? path.dirname(config) : (repositoryRoot(dir) ?? path.resolve(dir));
}

export function readConfig(file: string): ProjectConfig {
  let data: unknown;
  try {
    data = parseYaml(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new TargetError(`${file}: ${(e as Error).message.split('\n')[0]}`);
  }
  const cfg: ProjectConfig = { path: file, targets: new Map() };
  if (data === null || data === undefined) return cfg;
  if (typeof data !== 'object' || Array.isArray(data))
    throw new TargetError(`${file}: the top level must be a mapping`);
  const d = data as Record<string, unknown>;
  const targets = d.targets ?? {};
  if (typeof targets !== 'object' || Array.isArray(targets))
    throw new TargetError(`${file}: \`targets\` must be a mapping of names to {url, key_env}`);
  for (const [name, raw] of Object.entries(targets as Record<string, unknown>)) {
    const t = (raw ?? {}) as Record<string, unknown>;
    if ('key' in t || 'api_key' in t)
      throw new TargetError(
        `${file}: target ${name} holds a key; keys are never read from files: set \`key_env\` to the name of an environment variable instead`,
      );
    if (typeof t.url !== 'string') throw new TargetError(`${file}: target ${name} needs \`url\` (an https URL)`);
    checkTargetUrl(name, t.url, file);
    if (t.key_env !== undefined && (typeof t.key_env !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(t.key_env)))
      throw new TargetError(
        `${file}: target ${name}: \`key_env\` must be the name of an environment variable (CALLFLOW_…)`,
      );
    const mcc = t.max_concurrent_calls;
    if (mcc !== undefined && !(Number.isInteger(mcc) && (mcc as number) >= 1))
      throw new TargetError(`${file}: target ${name}: max_concurrent_calls must be an integer ≥ 1`);
    const hc = t.http_concurrency;
    if (hc !== undefined && !(Number.isInteger(hc) && (hc as number) >= 1))
      throw new TargetError(`${file}: target ${name}: http_concurrency must be an integer ≥ 1`);
    cfg.targets.set(name, {
      url: t.url,
      ...(typeof t.key_env === 'string' ? { key_env: t.key_env } : {}),
      max_concurrent_calls: mcc as number | undefined,
      http_concurrency: hc as number | undefined,
    });
  }
  if (d.default_target !== undefined) {
    if (typeof d.default_target !== 'string') throw new TargetError(`${file}: default_target must be a target name`);
    if (d.default_target !== LOCAL_TARGET && !cfg.targets.has(d.default_target))
      throw new TargetError(
        `${file}: default_target ${d.default_target} is not among the targets (${[...cfg.targets.keys()].join(', ') || 'none'})`,
      );
    cfg.defaultTarget = d.default_target;
  }
  return cfg;
}

/**
 * The target for a workflow file (or, for `pull`, the folder the file will be written to).
 * `env` is where keys are read from (process.env by default); `keys` the other sources and
 * approvals (credentials.ts resolveKey decides which key, if any, may go to the target's host).
 */
export function resolveTarget(
  fileOrDir: string,
  name?: string,
  env: NodeJS.ProcessEnv = process.env,
  isDir = false,
  keys: Omit<KeySources, 'env'> = {},
): ResolvedTarget {
  const dir = isDir ? path.resolve(fileOrDir) : path.dirname(path.resolve(fileOrDir));
  const configPath = findConfig(dir);
  const cfg = configPath ? readConfig(configPath) : ({ targets: new Map<string, TargetConfig>() } as ProjectConfig);
  const chosen = name ?? cfg.defaultTarget ?? LOCAL_TARGET;
  const t = cfg.targets.get(chosen);
  if (!t) {
    if (chosen !== LOCAL_TARGET) {
      const known = [LOCAL_TARGET, ...cfg.targets.keys()].join(', ');
      throw new TargetError(
        `unknown target ${chosen}${configPath ? ` (${configPath} defines: ${known})` : ` (no ${CONFIG_FILE} found above ${dir}; known: ${LOCAL_TARGET})`}`,
      );
    }
    const root = projectRoot(dir);
    return {
      name: LOCAL_TARGET,
      local: true,
      dbPath: env.CALLFLOW_LOCAL_DB ? path.resolve(env.CALLFLOW_LOCAL_DB) : path.join(root, LOCAL_DB),
      configPath,
    };
  }
  const decision = resolveKey(
    { name: chosen, url: t.url, keyEnv: t.key_env, configPath },
    { credentialsPath: keys.credentialsPath, approvedOrigins: keys.approvedOrigins, storedKey: keys.storedKey, env },
  );
  const key = decision.key;
  return {
    name: chosen,
    local: false,
    url: t.url.replace(/\/+$/, ''),
    key,
    keyEnv: t.key_env,
    keyFrom: decision.source,
    keyVariable: decision.variable,
    maxConcurrentCalls: t.max_concurrent_calls,
    httpConcurrency: t.http_concurrency,
    configPath,
  };
}
