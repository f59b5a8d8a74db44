/** Parsing of `catalog serve`'s settings: the listen address and the namespaces. */
import { DNS1123_LABEL } from '../api/v1alpha1/formats.js';
import { CatalogSettingsError } from './errors.js';
import { namePrefixProblem } from './names.js';

export interface ListenAddress {
  host: string;
  port: number;
}

/** `host:port`, `[v6]:port`, `:port` (all interfaces) or `port` (loopback). */
export function parseListen(text: string): ListenAddress {
  const m = /^(?:(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]*):)?(\d{1,5})$/.exec(text.trim());
  const port = m === null ? Number.NaN : Number(m[2]);
  if (m === null || !(port >= 0 && port <= 65535)) {
    throw new CatalogSettingsError(`--listen "${text}" must be host:port, :port or port (0-65535), e.g. 127.0.0.1:8080 or 0.0.0.0:8080`);
  }
  const host = m[1] === undefined ? '127.0.0.1' : m[1] === '' ? '0.0.0.0' : m[1].replace(/^\[|\]$/g, '');
  return { host, port };
}

/** Comma-separated namespace names; empty or absent: all namespaces. */
export function parseNamespaces(text: string | undefined): 'all' | string[] {
  if (text === undefined || text.trim() === '') return 'all';
  const names = [...new Set(text.split(',').map((n) => n.trim()).filter((n) => n !== ''))];
  const bad = names.find((n) => n.length > 63 || !DNS1123_LABEL.test(n));
  if (bad !== undefined) throw new CatalogSettingsError(`--namespaces: "${bad}" is not a namespace name (a DNS-1123 label)`);
  return names.length === 0 ? 'all' : names;
}

export function checkNamePrefix(prefix: string): string {
  const problem = namePrefixProblem(prefix);
  if (problem !== undefined) throw new CatalogSettingsError(`--name-prefix "${prefix}" ${problem}`);
  return prefix;
}
