/**
 * MCPServer (spec + status) → one catalog entry: `server.json` plus the registry's `_meta`.
 * Pure. The rules (name, version, updatedAt, deletion) are documented in docs/catalog.md.
 */
import { findCondition, requiresAuthorization, type MCPServerStatus } from '../api/v1alpha1/mcpserver.js';
import { parseImageReference, type ImageReference } from '../images/reference.js';
import { registryName } from './names.js';
import { LIVE_META_KEY, OFFICIAL_META_KEY, type CatalogEntry, type LiveMeta, type OciPackage, type ServerDetail } from './types.js';
import { catalogVersion } from './version.js';

/** An MCPServer as the API server returns it; the spec is read defensively (no schema check). */
export interface MCPServerLike {
  metadata?: {
    name?: string;
    namespace?: string;
    generation?: number;
    creationTimestamp?: string | Date;
    deletionTimestamp?: string | Date;
    managedFields?: readonly { time?: string | Date }[];
  };
  spec?: unknown;
  status?: MCPServerStatus;
}

export interface EntrySettings {
  /** Reverse-DNS prefix of every registry name, e.g. io.example.mcp. */
  namePrefix: string;
}

interface SpecFields {
  image?: string;
  imageTag?: string;
  port?: number;
  containerPath?: string;
  catalog?: { publish?: boolean; title?: string; description?: string; version?: string };
  /** spec.auth: the gateway asks for tokens from `issuer` with these scopes. */
  auth?: { issuer?: string; scopes: string[]; required: boolean };
}

const TEXT_LIMIT = 100;
const HTTP_URL = /^https?:\/\/\S+$/;

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function specFields(spec: unknown): SpecFields {
  const s = (spec ?? {}) as Record<string, unknown>;
  const c = (s.catalog ?? {}) as Record<string, unknown>;
  const a = typeof s.auth === 'object' && s.auth !== null ? (s.auth as Record<string, unknown>) : undefined;
  return {
    ...(a === undefined
      ? {}
      : {
          auth: {
            ...(str(a.issuer) === undefined ? {} : { issuer: str(a.issuer) }),
            scopes: Array.isArray(a.scopes) ? a.scopes.filter((x): x is string => typeof x === 'string') : [],
            required: a.required !== false,
          },
        }),
    image: str(s.image),
    imageTag: str(s.imageTag),
    port: typeof s.port === 'number' && s.port > 0 ? s.port : undefined,
    containerPath: str(s.containerPath),
    catalog: {
      publish: typeof c.publish === 'boolean' ? c.publish : undefined,
      title: str(c.title),
      description: str(c.description),
      version: str(c.version),
    },
  };
}

/** False only when the spec says `catalog.publish: false`. */
export function isPublished(obj: MCPServerLike): boolean {
  return specFields(obj.spec).catalog?.publish !== false;
}

function clip(text: string): string {
  return text.length <= TEXT_LIMIT ? text : `${text.slice(0, TEXT_LIMIT - 1)}…`;
}

function time(value: string | Date | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * When the entry last changed, from what the API server records: the creation time, the time
 * of every field manager's last change (metadata.managedFields[].time: a spec edit, a status
 * write by the operator), every condition's lastTransitionTime, the MCP observation time and
 * the deletion time. Kubernetes writes these with second precision.
 */
export function updatedAtMs(obj: MCPServerLike): number {
  const m = obj.metadata ?? {};
  const times = [
    time(m.creationTimestamp),
    time(m.deletionTimestamp),
    ...(m.managedFields ?? []).map((f) => time(f.time)),
    ...(obj.status?.conditions ?? []).map((c) => time(c.lastTransitionTime)),
    time(obj.status?.mcp?.observedTime),
  ].filter((t): t is number => t !== undefined);
  return times.length === 0 ? 0 : Math.max(...times);
}

function imageOf(status: MCPServerStatus | undefined, spec: SpecFields): ImageReference | undefined {
  const ref = status?.image ?? spec.image;
  if (ref === undefined) return undefined;
  try {
    const parsed = parseImageReference(ref);
    if (status?.image === undefined && parsed.tag === undefined && parsed.digest === undefined && spec.imageTag !== undefined) {
      return { ...parsed, tag: spec.imageTag };
    }
    return parsed;
  } catch {
    return undefined;
  }
}

function liveMeta(obj: MCPServerLike, namespace: string, name: string): LiveMeta {
  const status = obj.status;
  const verified = findCondition(status, 'Verified');
  const mcp = status?.mcp;
  const auth = specFields(obj.spec).auth;
  return {
    namespace,
    name,
    ready: findCondition(status, 'Ready')?.status === 'True',
    ...(status?.phase !== undefined ? { phase: status.phase } : {}),
    verified: verified?.status === 'True',
    ...(verified !== undefined ? { verifiedReason: verified.reason } : {}),
    authRequired: requiresAuthorization(auth === undefined ? undefined : { auth }, status),
    ...(auth === undefined ? {} : { auth: { ...(auth.issuer === undefined ? {} : { issuer: auth.issuer }), scopes: auth.scopes, required: auth.required } }),
    replicas: status?.replicas ?? 0,
    readyReplicas: status?.readyReplicas ?? 0,
    ...(mcp !== undefined
      ? { protocolVersion: mcp.protocolVersion, serverInfo: { name: mcp.serverInfo.name, version: mcp.serverInfo.version }, capabilities: [...mcp.capabilities] }
      : {}),
    tools: (mcp?.tools ?? []).map((t) => t.name),
    toolCount: mcp?.toolCount ?? 0,
    ...(obj.metadata?.generation !== undefined ? { generation: obj.metadata.generation } : {}),
    ...(status?.observedGeneration !== undefined ? { observedGeneration: status.observedGeneration } : {}),
    ...(status?.image !== undefined ? { image: status.image } : {}),
  };
}

function ociPackage(ref: string | undefined, spec: SpecFields): OciPackage[] {
  if (ref === undefined) return [];
  // What `docker run -p <port>:<port> <image>` serves: the container's own port and path.
  const url = `http://localhost:${spec.port ?? 8088}${spec.containerPath ?? '/mcp'}`;
  return [{ registryType: 'oci', identifier: ref, transport: { type: 'streamable-http', url } }];
}

/**
 * The catalog entry of a server, or undefined when it must not be listed (opted out, or not
 * yet named). `deletedAtMs` marks a server that is gone (a tombstone): status `deleted`.
 */
export function catalogEntry(obj: MCPServerLike, settings: EntrySettings, deletedAtMs?: number): CatalogEntry | undefined {
  const name = obj.metadata?.name;
  const namespace = obj.metadata?.namespace;
  if (name === undefined || namespace === undefined || !isPublished(obj)) return undefined;
  const spec = specFields(obj.spec);
  const status = obj.status;
  const image = imageOf(status, spec);
  const title = spec.catalog?.title ?? status?.mcp?.serverInfo.name;
  const server: ServerDetail = {
    name: registryName(settings.namePrefix, namespace, name),
    description: clip(spec.catalog?.description ?? `MCP server ${name} in namespace ${namespace}`),
    version: catalogVersion({ specVersion: spec.catalog?.version, image, serverVersion: status?.mcp?.serverInfo.version, generation: obj.metadata?.generation }),
    ...(title !== undefined && title !== '' ? { title: clip(title) } : {}),
  };
  const packages = ociPackage(status?.image ?? spec.image, spec);
  if (packages.length > 0) server.packages = packages;
  if (status?.url !== undefined && HTTP_URL.test(status.url)) server.remotes = [{ type: 'streamable-http', url: status.url }];

  const deletionMs = deletedAtMs ?? time(obj.metadata?.deletionTimestamp);
  const updatedMs = Math.max(updatedAtMs(obj), deletionMs ?? 0);
  const publishedMs = time(obj.metadata?.creationTimestamp) ?? updatedMs;
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    name: server.name,
    version: server.version,
    updatedMs,
    deleted: deletionMs !== undefined,
    response: {
      server,
      _meta: {
        [OFFICIAL_META_KEY]: {
          status: deletionMs !== undefined ? 'deleted' : 'active',
          publishedAt: iso(publishedMs),
          updatedAt: iso(updatedMs),
          isLatest: true,
          ...(deletionMs !== undefined ? { statusChangedAt: iso(deletionMs) } : {}),
        },
        [LIVE_META_KEY]: liveMeta(obj, namespace, name),
      },
    },
  };
}
