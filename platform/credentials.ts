// Which API key goes to which host: the one decision, made here for the CLI, the language server
// and the extension alike. A repository's callflow.config.yaml may choose a target's URL, never
// which secret is sent there (after Terraform, which binds credentials to hostnames:
// TF_TOKEN_<host>, CLI-config `credentials "<host>"`). A key comes from, in this order:
//
//   1. the environment variable CALLFLOW_TOKEN_<host> (hostTokenVariable: `api.dialnexa.com` →
//      CALLFLOW_TOKEN_api_dialnexa_com; a hyphen is `__`, a non-default port is `___<port>`);
//   2. the user's credentials file (outside every repository: $CALLFLOW_CREDENTIALS_FILE, else
//      $XDG_CONFIG_HOME/callflow/credentials.yaml, else ~/.config/callflow/credentials.yaml; it
//      must be a regular file only its owner can read or write, 0600, or it is refused):
//        credentials:
//          api.dialnexa.com: { token: "…" }
//        approved_origins: [https://staging.example.com]   # origins key_env / stored keys may reach
//        allowed_key_env: [DIALNEXA_STAGING_KEY]             # names key_env may use besides CALLFLOW_*
//   3. a key the caller holds for the target (the extension's SecretStorage), or the variable the
//      target's `key_env` names — only when that name starts with CALLFLOW_ or the user's file
//      allows it (so `key_env: GITHUB_TOKEN` in a repository sends nothing, to any host), and only
//      to a loopback origin or one approved outside the repository (`approvedOrigins`, passed by
//      the extension from its own storage, `approved_origins` in the user's file, or the
//      comma-separated CALLFLOW_APPROVED_ORIGINS variable).
//
// URLs: https, except loopback (127.0.0.0/8, ::1, localhost: the emulator); never userinfo
// (`https://user:pw@host`), refused without printing it.
//
// API: checkTargetUrl, hostTokenVariable, defaultCredentialsPath, readUserCredentials, resolveKey.
import { readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseYaml } from './yaml-load';
import { TargetError } from './target-error';

export type Env = Readonly<Record<string, string | undefined>>;

export interface TargetUrl {
  /** `https://host[:port]` */
  origin: string;
  /** Lowercase hostname, without brackets for IPv6. */
  host: string;
  port: string;
  loopback: boolean;
}

/** Whether a hostname is this machine (where the emulator runs): no key leaves it. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * A target URL checked: parseable, http(s), no user or password in it, https unless loopback.
 * Messages name the target, never the URL when it holds credentials.
 */
export function checkTargetUrl(target: string, url: string, where = ''): TargetUrl {
  const at = where ? `${where}: ` : '';
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new TargetError(`${at}target ${target}: \`url\` is not a URL`);
  }
  if (u.username || u.password)
    throw new TargetError(
      `${at}target ${target}: \`url\` holds a user name or password (user:password@host); remove it: keys come from CALLFLOW_TOKEN_<host> or your credentials file`,
    );
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    throw new TargetError(`${at}target ${target}: \`url\` must be an https URL (got ${u.protocol})`);
  const loopback = isLoopbackHost(u.hostname);
  if (u.protocol === 'http:' && !loopback)
    throw new TargetError(
      `${at}target ${target}: \`url\` must use https (plain http is accepted only for this machine: localhost, 127.0.0.1, ::1); got ${u.origin}`,
    );
  return { origin: u.origin, host: u.hostname.replace(/^\[|\]$/g, '').toLowerCase(), port: u.port, loopback };
}

/**
 * The environment variable holding the key for a host (Terraform's TF_TOKEN_ rule): dots become
 * `_`, hyphens `__`, a non-default port is appended as `___<port>`; IPv6 colons become `_`.
 */
export function hostTokenVariable(url: TargetUrl | string): string {
  const u = typeof url === 'string' ? checkTargetUrl('?', url) : url;
  const host = u.host.replace(/-/g, '__').replace(/[.:]/g, '_');
  return `CALLFLOW_TOKEN_${host}${u.port ? `___${u.port}` : ''}`;
}

export function defaultCredentialsPath(env: Env = process.env): string {
  if (env.CALLFLOW_CREDENTIALS_FILE) return path.resolve(env.CALLFLOW_CREDENTIALS_FILE);
  const base = env.XDG_CONFIG_HOME ? path.resolve(env.XDG_CONFIG_HOME) : path.join(os.homedir(), '.config');
  return path.join(base, 'callflow', 'credentials.yaml');
}

export interface UserCredentials {
  path: string;
  /** host (or host:port) → key */
  tokens: Map<string, string>;
  approvedOrigins: string[];
  allowedKeyEnv: string[];
}

/**
 * The user's credentials file, or undefined when there is none. Refused (TargetError) when others
 * may read or write it, when it is not a regular file, or when it is malformed. Never echoes it.
 */
export function readUserCredentials(file: string): UserCredentials | undefined {
  let st;
  try {
    st = statSync(file);
  } catch {
    return undefined;
  }
  if (!st.isFile()) throw new TargetError(`${file}: the credentials file must be a regular file`);
  if (process.platform !== 'win32') {
    if (st.mode & 0o077)
      throw new TargetError(
        `${file}: the credentials file is open to other users (mode ${(st.mode & 0o777).toString(8)}); run \`chmod 600 ${file}\``,
      );
    const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
    if (uid !== undefined && st.uid !== uid)
      throw new TargetError(`${file}: the credentials file belongs to another user`);
  }
  if (st.size > 1024 * 1024) throw new TargetError(`${file}: the credentials file is larger than 1 MiB`);
  let data: unknown;
  try {
    data = parseYaml(readFileSync(file, 'utf8'));
  } catch {
    throw new TargetError(`${file}: the credentials file is not valid YAML`);
  }
  const out: UserCredentials = { path: file, tokens: new Map(), approvedOrigins: [], allowedKeyEnv: [] };
  if (data === null || data === undefined) return out;
  if (typeof data !== 'object' || Array.isArray(data))
    throw new TargetError(`${file}: the credentials file must be a mapping`);
  const d = data as Record<string, unknown>;
  const creds = own(d, 'credentials');
  if (creds !== undefined) {
    if (!creds || typeof creds !== 'object' || Array.isArray(creds))
      throw new TargetError(`${file}: \`credentials\` must map host names to {token: …}`);
    for (const [host, v] of Object.entries(creds as Record<string, unknown>)) {
      const token = typeof v === 'string' ? v : v && typeof v === 'object' ? own(v as object, 'token') : undefined;
      if (typeof token !== 'string' || !token)
        throw new TargetError(`${file}: credentials for ${JSON.stringify(host)} need a \`token\``);
      out.tokens.set(host.toLowerCase(), token);
    }
  }
  const list = (key: string): string[] => {
    const v = own(d, key);
    if (v === undefined) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
      throw new TargetError(`${file}: \`${key}\` must be a list of strings`);
    return v as string[];
  };
  out.approvedOrigins = list('approved_origins').map(normOrigin);
  out.allowedKeyEnv = list('allowed_key_env');
  return out;
}

const own = (o: object, k: string): unknown =>
  Object.prototype.hasOwnProperty.call(o, k) ? (o as Record<string, unknown>)[k] : undefined;

function normOrigin(o: string): string {
  try {
    return new URL(o).origin;
  } catch {
    return o;
  }
}

export interface KeySources {
  env: Env;
  /** The user's credentials file; default defaultCredentialsPath(env); null: none. */
  credentialsPath?: string | null;
  /** Origins approved for this target outside the repository (the extension's own storage). */
  approvedOrigins?: readonly string[];
  /** A key the caller holds for this target (the extension's SecretStorage). */
  storedKey?: string;
}

export interface KeyDecision {
  key: string;
  origin: string;
  /** Where the key came from (for messages; never the key). */
  source: 'host-variable' | 'credentials-file' | 'stored-key' | 'key-env';
  /** The variable read, for host-variable and key-env. */
  variable?: string;
}

/** Whether `key_env` may name this variable: CALLFLOW_* or a name the user's own file allows. */
export function keyEnvAllowed(name: string, user: UserCredentials | undefined): boolean {
  return name.startsWith('CALLFLOW_') || !!user?.allowedKeyEnv.includes(name);
}

/**
 * The key to send to a target, and why it may go there; TargetError when there is none or the
 * configuration asks for one it may not have. `keyEnv` is the target's `key_env` (repository config).
 */
export function resolveKey(
  t: { name: string; url: string; keyEnv?: string; configPath?: string },
  s: KeySources,
): KeyDecision {
  const u = checkTargetUrl(t.name, t.url, t.configPath);
  const credPath = s.credentialsPath === undefined ? defaultCredentialsPath(s.env) : s.credentialsPath;
  const user = credPath ? readUserCredentials(credPath) : undefined;

  const hostVar = hostTokenVariable(u);
  const fromHost = s.env[hostVar];
  if (fromHost) return { key: fromHost, origin: u.origin, source: 'host-variable', variable: hostVar };
  const fileToken = user?.tokens.get(u.port ? `${u.host}:${u.port}` : u.host);
  if (fileToken) return { key: fileToken, origin: u.origin, source: 'credentials-file' };

  if (t.keyEnv !== undefined && !keyEnvAllowed(t.keyEnv, user))
    throw new TargetError(
      `target ${t.name}: key_env ${t.keyEnv} is not allowed: a repository's config may only name CALLFLOW_* variables, so it cannot pick one of your other secrets. Set ${hostVar} instead, or list ${t.keyEnv} under allowed_key_env in ${credPath ?? defaultCredentialsPath(s.env)}`,
    );
  const approved =
    u.loopback ||
    (s.approvedOrigins ?? []).map(normOrigin).includes(u.origin) ||
    !!user?.approvedOrigins.includes(u.origin) ||
    (s.env.CALLFLOW_APPROVED_ORIGINS ?? '')
      .split(',')
      .map((x) => normOrigin(x.trim()))
      .includes(u.origin);
  const held = s.storedKey ? { key: s.storedKey, source: 'stored-key' as const } : undefined;
  const named = t.keyEnv && s.env[t.keyEnv] ? { key: s.env[t.keyEnv]!, source: 'key-env' as const } : undefined;
  const candidate = held ?? named;
  if (candidate) {
    if (!approved)
      throw new TargetError(
        `target ${t.name}: not sending ${candidate.source === 'stored-key' ? 'the stored key' : `$${t.keyEnv}`} to ${u.origin}: that origin is not approved outside the repository. Use ${hostVar} (a key bound to this host), or approve the origin under approved_origins in ${credPath ?? defaultCredentialsPath(s.env)} (CI: CALLFLOW_APPROVED_ORIGINS=${u.origin})`,
      );
    return {
      key: candidate.key,
      origin: u.origin,
      source: candidate.source,
      ...(candidate.source === 'key-env' ? { variable: t.keyEnv } : {}),
    };
  }
  throw new TargetError(
    `target ${t.name}: no API key for ${u.origin}: ${t.keyEnv ? `the environment variable ${t.keyEnv} is not set; set it, or ` : ''}set ${hostVar}, or add the host under credentials in ${credPath ?? defaultCredentialsPath(s.env)}`,
  );
}
