/** The gateway's environment (GATEWAY_ENV), parsed once at start; bad values name the variable. */
import { DNS1123_LABEL } from '../api/v1alpha1/formats.js';
import { DEFAULT_DRAIN_SECONDS, GATEWAY_ADMIN_PORT, GATEWAY_ENV, GATEWAY_PORT, GATEWAY_SESSION_KEYS_MOUNT } from './config-names.js';

export class GatewaySettingsError extends Error {}

export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

export interface GatewaySettings {
  readonly listen: ListenAddress;
  readonly adminListen: ListenAddress;
  readonly sessionKeysDir: string;
  readonly auditPayloads: boolean;
  readonly drainSeconds: number;
  readonly namespaces: 'all' | readonly string[];
  /**
   * The address clients reach the platform at (e.g. https://mcp.example.com): the origin of a
   * protected server's resource URL when the server names no ingressHost. Unset: the host each
   * request names (as the edge forwarded it).
   */
  readonly publicUrl?: URL;
}

/** `host:port`, `[v6]:port` or `:port` (all interfaces). */
export function parseListenAddress(name: string, text: string): ListenAddress {
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]*):(\d{1,5})$/.exec(text.trim());
  const port = m === null ? Number.NaN : Number(m[2]);
  if (m === null || !(port >= 0 && port <= 65535)) throw new GatewaySettingsError(`${name} "${text}" must be host:port or :port (0-65535), e.g. :8080`);
  return { host: m[1] === '' || m[1] === undefined ? '0.0.0.0' : m[1].replace(/^\[|\]$/g, ''), port };
}

function parseBoolean(name: string, text: string | undefined): boolean {
  if (text === undefined || text.trim() === '') return false;
  if (/^(true|1|yes|on)$/i.test(text.trim())) return true;
  if (/^(false|0|no|off)$/i.test(text.trim())) return false;
  throw new GatewaySettingsError(`${name} "${text}" must be true or false`);
}

/** Pure: reads only the record given (pass process.env). */
export function gatewaySettings(env: Record<string, string | undefined>): GatewaySettings {
  const value = (key: string) => {
    const v = env[key]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const drain = value(GATEWAY_ENV.drainSeconds);
  const drainSeconds = drain === undefined ? DEFAULT_DRAIN_SECONDS : Number(drain);
  if (!Number.isInteger(drainSeconds) || drainSeconds < 0 || drainSeconds > 300) {
    throw new GatewaySettingsError(`${GATEWAY_ENV.drainSeconds} "${drain}" must be a whole number of seconds from 0 to 300`);
  }
  const namespaces = value(GATEWAY_ENV.namespaces)?.split(',').map((n) => n.trim()).filter((n) => n !== '');
  const bad = namespaces?.find((n) => n.length > 63 || !DNS1123_LABEL.test(n));
  if (bad !== undefined) throw new GatewaySettingsError(`${GATEWAY_ENV.namespaces}: "${bad}" is not a namespace name`);
  const publicText = value(GATEWAY_ENV.publicUrl);
  let publicUrl: URL | undefined;
  if (publicText !== undefined) {
    try {
      publicUrl = new URL(publicText);
    } catch {
      throw new GatewaySettingsError(`${GATEWAY_ENV.publicUrl} "${publicText}" is not a URL; expected e.g. https://mcp.example.com`);
    }
    if (publicUrl.protocol !== 'https:' && publicUrl.protocol !== 'http:') throw new GatewaySettingsError(`${GATEWAY_ENV.publicUrl} "${publicText}" must be an http(s) URL`);
  }
  return {
    ...(publicUrl === undefined ? {} : { publicUrl }),
    listen: parseListenAddress(GATEWAY_ENV.listen, value(GATEWAY_ENV.listen) ?? `:${GATEWAY_PORT}`),
    adminListen: parseListenAddress(GATEWAY_ENV.adminListen, value(GATEWAY_ENV.adminListen) ?? `:${GATEWAY_ADMIN_PORT}`),
    sessionKeysDir: value(GATEWAY_ENV.sessionKeysDir) ?? GATEWAY_SESSION_KEYS_MOUNT,
    auditPayloads: parseBoolean(GATEWAY_ENV.auditPayloads, value(GATEWAY_ENV.auditPayloads)),
    drainSeconds,
    namespaces: namespaces === undefined || namespaces.length === 0 ? 'all' : namespaces,
  };
}
