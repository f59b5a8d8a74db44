/**
 * The shapes of the MCP Registry API (spec version 2025-12-01) that the catalog serves:
 * `server.json` (ServerDetail), ServerResponse and ServerList, as far as the catalog fills them.
 * The official OpenAPI document is kept in test/fixtures/mcp-registry/ and every response in the
 * tests is validated against it.
 */

/** The registry's own block in a ServerResponse's `_meta`. */
export const OFFICIAL_META_KEY = 'io.modelcontextprotocol.registry/official';
/** Our block in a ServerResponse's `_meta`: what the platform observes live. */
export const LIVE_META_KEY = 'io.agent-hellboy.mcp-runtime/live';

export interface RemoteTransport {
  type: 'streamable-http';
  url: string;
}

export interface OciPackage {
  registryType: 'oci';
  identifier: string;
  transport: { type: 'streamable-http'; url: string };
}

export interface ServerDetail {
  name: string;
  description: string;
  version: string;
  title?: string;
  packages?: OciPackage[];
  remotes?: RemoteTransport[];
}

export type OfficialStatus = 'active' | 'deleted';

export interface OfficialMeta {
  status: OfficialStatus;
  publishedAt: string;
  updatedAt: string;
  isLatest: boolean;
  statusChangedAt?: string;
}

/** What the platform knows about a deployed server beyond server.json. */
export interface LiveMeta {
  namespace: string;
  name: string;
  ready: boolean;
  phase?: string;
  verified: boolean;
  /** Reason of the Verified condition (Verified, AuthRequired, NotMCP, Unreachable, ...). */
  verifiedReason?: string;
  authRequired: boolean;
  /** From spec.auth: the authorization server clients get tokens from, the scopes they need, and whether anonymous calls pass. */
  auth?: { issuer?: string; scopes: string[]; required: boolean };
  replicas: number;
  readyReplicas: number;
  protocolVersion?: string;
  serverInfo?: { name: string; version: string };
  capabilities?: string[];
  /** Names of the first tools (status keeps at most 50); toolCount is the total. */
  tools: string[];
  toolCount: number;
  generation?: number;
  observedGeneration?: number;
  image?: string;
}

export interface ServerResponse {
  server: ServerDetail;
  _meta: { [OFFICIAL_META_KEY]: OfficialMeta; [LIVE_META_KEY]: LiveMeta };
}

export interface ServerList {
  servers: ServerResponse[];
  metadata: { count: number; nextCursor?: string };
}

/** One server in the catalog, with what the handler filters and sorts on. */
export interface CatalogEntry {
  /** The registry name, `<prefix>.<namespace>/<name>`. */
  readonly name: string;
  readonly version: string;
  /** updatedAt in milliseconds (for updated_since). */
  readonly updatedMs: number;
  readonly deleted: boolean;
  readonly response: ServerResponse;
}
