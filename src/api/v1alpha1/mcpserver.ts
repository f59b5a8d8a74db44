/**
 * The MCPServer API, v1alpha1. This file is the single source of truth: the CRD in `crds/`,
 * the types in `imports/` and the editor schema for `.mcp/metadata.yaml` are generated from it
 * (`npm run gen`), and `npm run gen:check` fails when they drift.
 *
 * Only defaults that do not depend on the operator's configuration live here (they become CRD
 * `default`s that the API server fills in). Defaults that do — the ingress path (derived from
 * the name), host, class and the image tag — are applied by `resolveServer()` in charts-ts, the
 * one function both `synth` and the operator call.
 */
import { z } from 'zod';
import type { V1ObjectMeta } from '@kubernetes/client-node';
import { API_VERSION, KIND } from './group.js';
import { withCrossFieldRules, type CrossFieldRule } from './cross-field.js';
import {
  IMAGE_REF,
  IMAGE_TAG,
  annotations,
  cidr,
  dnsLabel,
  dnsSubdomain,
  dnsSubdomainOrDefault,
  envVarName,
  ingressHost,
  ingressPath,
  port,
  portOrDefault,
  quantity,
  urlPath,
  CONFIG_KEY,
} from './formats.js';
import { compareQuantities } from './quantity.js';

export const SPEC_DEFAULTS = {
  replicas: 1,
  port: 8088,
  servicePort: 80,
  containerPath: '/mcp',
  useProvisionedRegistry: false,
  requests: { cpu: '50m', memory: '64Mi' },
  limits: { cpu: '500m', memory: '256Mi' },
  probeType: 'tcp',
} as const;

const MAX_ENV_VARS = 128;
/** The Deployment's replicas is an int32. */
const MAX_REPLICAS = 2 ** 31 - 1;

const resourceList = (defaults: { cpu: string; memory: string }, what: string) =>
  z
    .strictObject({
      cpu: quantity().default(defaults.cpu).describe(`CPU ${what}. Default "${defaults.cpu}" (also when empty).`),
      memory: quantity()
        .default(defaults.memory)
        .describe(`Memory ${what}. Default "${defaults.memory}" (also when empty).`),
    })
    .prefault({});

type ResourceName = 'cpu' | 'memory';
interface ResourceFields {
  requests?: { cpu?: string; memory?: string };
  limits?: { cpu?: string; memory?: string };
}

/** The value the container gets: the given quantity, or the default when absent or empty. */
export function effectiveQuantity(resources: ResourceFields | undefined, kind: 'requests' | 'limits', name: ResourceName): string {
  const given = resources?.[kind]?.[name];
  return given === undefined || given === '' ? SPEC_DEFAULTS[kind][name] : given;
}

/** CEL for effectiveQuantity (the API server fills defaults in, but "" stays ""). */
const effectiveCel = (kind: 'requests' | 'limits', name: ResourceName): string =>
  `(has(self.${kind}) && has(self.${kind}.${name}) && self.${kind}.${name} != '' && isQuantity(self.${kind}.${name}) ? self.${kind}.${name} : '${SPEC_DEFAULTS[kind][name]}')`;

// A request above its limit is refused by the API server only when the Deployment is written,
// long after the MCPServer was accepted; defaults count, as they do in the original.
const requestWithinLimit = (name: ResourceName): CrossFieldRule<ResourceFields> => ({
  cel: `quantity(${effectiveCel('requests', name)}).compareTo(quantity(${effectiveCel('limits', name)})) <= 0`,
  message: `requests.${name} must not be above limits.${name} (defaults: requests ${SPEC_DEFAULTS.requests[name]}, limits ${SPEC_DEFAULTS.limits[name]})`,
  path: ['requests', name],
  holds: (r) => (compareQuantities(effectiveQuantity(r, 'requests', name), effectiveQuantity(r, 'limits', name)) ?? 0) <= 0,
});

export const ResourcesSchema = withCrossFieldRules(
  z.strictObject({
    requests: resourceList(SPEC_DEFAULTS.requests, 'requests').describe('Resources the scheduler reserves.'),
    limits: resourceList(SPEC_DEFAULTS.limits, 'limits').describe('Upper bounds enforced at run time.'),
  }),
  [requestWithinLimit('cpu'), requestWithinLimit('memory')],
).describe('Container resources. Defaults: requests 50m / 64Mi, limits 500m / 256Mi.');

export const EnvVarSchema = z.strictObject({
  name: envVarName.describe('Environment variable name.'),
  value: z.string().max(32768).default('').describe('Plain value. Never put secrets here; use secretEnvVars.'),
});

export const SecretEnvVarSchema = z.strictObject({
  name: envVarName.describe('Environment variable name.'),
  secretKeyRef: z
    .strictObject({
      name: dnsSubdomain().describe('Name of a Secret in the server namespace.'),
      key: z
        .string()
        .min(1)
        .max(253)
        .regex(CONFIG_KEY, { error: "must consist of letters, digits, '-', '_' or '.'" })
        .describe('Key inside the Secret.'),
    })
    .describe('Where the value comes from.'),
});

export const ProbeSchema = withCrossFieldRules(
  z
    .strictObject({
      type: z
        .enum(['tcp', 'http', 'none'])
        .default(SPEC_DEFAULTS.probeType)
        .describe(
          "How Kubernetes checks the container: 'tcp' (default; connects to the port), 'http' (GET on `path`; " +
            "never point it at the MCP endpoint, which answers GET with 405 or an endless stream) or 'none'.",
        ),
      path: urlPath().optional().describe("Health path for type 'http', e.g. /healthz."),
      initialDelaySeconds: z.number().int().min(0).max(3600).optional().describe('Seconds before the first probe.'),
      periodSeconds: z.number().int().min(1).max(3600).optional().describe('Seconds between probes. Default 10.'),
    })
    .describe('Liveness and readiness probes. Default: TCP on the container port.'),
  [
    {
      // The API server checks the `default: {}` of probe against this rule before nested
      // defaults apply, so `type` may be absent here.
      cel: "!has(self.type) || self.type != 'http' || has(self.path)",
      message: "path is required when type is 'http'",
      path: ['path'],
      holds: (probe) => probe.type !== 'http' || probe.path !== undefined,
    },
  ],
);

// Strict: a misspelt field is an error in the CLI (the CRD generator drops additionalProperties:false).

/** Bounds of a per-server verification interval: often enough to notice, rare enough for 1,000 servers. */
export const VERIFICATION_INTERVAL_BOUNDS = { min: 30, max: 86_400 } as const;

const VerificationSchema = z.strictObject({
  enabled: z
    .boolean()
    .optional()
    .describe('Set false for a server that cannot be verified (e.g. not Streamable HTTP). Default true.'),
  intervalSeconds: z
    .number()
    .int()
    .min(VERIFICATION_INTERVAL_BOUNDS.min)
    .max(VERIFICATION_INTERVAL_BOUNDS.max)
    .optional()
    .describe("Seconds between verifications of unchanged pods (jittered by up to 10%). Default: the operator's (300)."),
});

/** What the catalog (the MCP Registry API, `mcp-runtime catalog serve`) says about a server. */
export const CATALOG_LIMITS = { title: 100, description: 100, version: 255 } as const;

// The registry refuses version ranges (^1, ~1, >=1, 1.x, 1.*) and `latest` (a rule below; the
// API server's RE2 patterns have no lookahead): one exact version.
export const CATALOG_VERSION = /^[0-9A-Za-z][0-9A-Za-z.+_-]*$/;

const catalogObject = z.strictObject({
  publish: z
    .boolean()
    .optional()
    .describe('Set false to keep this server out of the catalog (the MCP Registry API). Default true.'),
  title: z.string().min(1).max(CATALOG_LIMITS.title).optional().describe("Display name in the catalog. Default: the server's own name (MCP serverInfo.name)."),
  description: z
    .string()
    .min(1)
    .max(CATALOG_LIMITS.description)
    .optional()
    .describe('One line on what the server does (at most 100 characters). Default: a sentence naming the server.'),
  version: z
    .string()
    .max(CATALOG_LIMITS.version)
    .regex(CATALOG_VERSION, { error: "must be one exact version (e.g. 1.2.3): letters, digits, '.', '+', '_' and '-'" })
    .optional()
    .describe('Version shown in the catalog. Default: the image tag, else the version the server reports, else 0.0.0-<digest or generation>.'),
});

const CatalogSchema = withCrossFieldRules(catalogObject, [
  {
    cel: "!has(self.version) || self.version != 'latest'",
    message: "must be one exact version (e.g. 1.2.3), not 'latest'",
    path: ['version'],
    holds: (c) => c.version !== 'latest',
  },
]);

const GatewaySchema = z.strictObject({
  enabled: z
    .boolean()
    .optional()
    .describe(
      'Route this server through the platform gateway (session pinning, per-tool metrics, audit). Default: true when the ' +
        'platform installed the gateway (the operator is told where it is), else false.',
    ),
});

/** A tool name as MCP allows it (letters, digits, `_`, `-`, `.`, `/`), or a prefix ending in `*`. */
export const TOOL_PATTERN = /^[A-Za-z0-9_./-]{1,128}\*?$|^\*$/;
const toolPattern = z.string().regex(TOOL_PATTERN, { error: "must be a tool name (letters, digits, '_', '-', '.', '/') or a prefix ending in '*'" });

/** A JWT claim name as a rule may test it (`sub`, `client_id`, `scope`, `groups`, `roles`, a namespaced URI claim...). */
const CLAIM_NAME = /^[A-Za-z0-9_.:/-]{1,128}$/;

const CallerToolRuleSchema = z.strictObject({
  claim: z.string().regex(CLAIM_NAME, { error: 'must be a JWT claim name such as sub, client_id, scope or groups' }).describe('The token claim to test (a string, a space-separated `scope`, or an array such as `groups`).'),
  values: z
    .array(z.string().min(1).max(256))
    .min(1)
    .max(64)
    .describe('The rule matches when the claim holds any of these values.'),
  allow: z.array(toolPattern).max(256).optional().describe('Tools these callers may list and call (replaces the server-wide allow). Absent: every tool not denied.'),
  deny: z.array(toolPattern).max(256).optional().describe('Tools these callers may neither list nor call (replaces the server-wide deny). Absent: none.'),
});

const ToolPolicySchema = z.strictObject({
  allow: z
    .array(toolPattern)
    .max(256)
    .optional()
    .describe('Tools clients may list and call: exact names, or prefixes ending in * (e.g. get_*). Absent: every tool not denied.'),
  deny: z
    .array(toolPattern)
    .max(256)
    .optional()
    .describe('Tools clients may neither list nor call (wins over allow). Absent: none.'),
  callers: z
    .array(CallerToolRuleSchema)
    .max(32)
    .optional()
    .describe(
      "Per-caller rules, read from the caller's access token (needs spec.auth): the first rule whose claim matches gives that caller its own allow and deny instead of the server-wide ones. Absent: the same tools for everyone.",
    ),
});

/** An OAuth scope token (RFC 6749 §3.3: visible ASCII except space, `"` and `\\`). */
export const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]{1,128}$/;
export const AUTH_LIMITS = { scopes: 32 } as const;

/** An http(s) URL without fragment or credentials (what RFC 8414/9728 allow as an issuer or resource). */
const oauthUrl = (what: string) =>
  z.string().superRefine((text, ctx) => {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: `must be an absolute http(s) URL (${what})` });
      return;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') ctx.addIssue({ code: 'custom', message: `must be an https:// URL (${what}), not ${url.protocol}` });
    else if (url.hash !== '' || url.search !== '' || url.username !== '' || url.password !== '')
      ctx.addIssue({ code: 'custom', message: `must not carry a query, a fragment or credentials (${what})` });
  });

/** cert-manager's issuer kinds (issuerRef.kind); external issuers of other groups are not offered. */
export const TLS_ISSUER_KINDS = ['ClusterIssuer', 'Issuer'] as const;

const TlsIssuerSchema = z.strictObject({
  name: dnsSubdomain().describe('Name of the cert-manager issuer.'),
  kind: z
    .enum(TLS_ISSUER_KINDS)
    .default('ClusterIssuer')
    .describe("ClusterIssuer (default; cluster-wide) or Issuer (in the server's namespace)."),
});

const TlsSchema = z.strictObject({
  secretName: dnsSubdomain()
    .optional()
    .describe(
      "A kubernetes.io/tls Secret in the server's namespace with the certificate for its ingressHost. Default: <name>-tls when an issuer is set " +
        "(cert-manager writes it), else the platform's default certificate.",
    ),
  issuer: TlsIssuerSchema.optional().describe(
    'A cert-manager issuer that obtains and renews the certificate for ingressHost into secretName (needs cert-manager in the cluster and spec.ingressHost). Default: none.',
  ),
});

const AuthSchema = z.strictObject({
  issuer: oauthUrl('the OpenID provider / authorization server')
    .describe(
      'The authorization server whose access tokens the gateway accepts (its OpenID or RFC 8414 metadata is discovered from this URL, ' +
        'its signing keys fetched and refreshed). Use https; http is for a local sandbox only (a render warning says so).',
    ),
  audience: oauthUrl('the audience')
    .optional()
    .describe(
      "The `aud` every token must carry (RFC 8707). Default: the server's public URL (scheme, ingressHost or the gateway's public URL, and ingressPath).",
    ),
  scopes: z
    .array(z.string().regex(SCOPE_TOKEN, { error: 'must be one OAuth scope (visible ASCII, no spaces or quotes)' }))
    .max(AUTH_LIMITS.scopes)
    .optional()
    .describe('Scopes every token must carry (all of them); advertised in the protected-resource metadata. Default: none.'),
  required: z
    .boolean()
    .optional()
    .describe('Refuse requests without a token (401). false: anonymous requests pass, and a token that is presented must still be valid. Default true.'),
  forwardToken: z
    .boolean()
    .optional()
    .describe("Pass the caller's Authorization header on to the pods. Default false: the server never sees the caller's token."),
});

/** Bounds that keep a NetworkPolicy small and readable. */
export const NETWORK_LIMITS = { egress: 64, ports: 16 } as const;

const EgressPortSchema = z.strictObject({
  port: port().describe('Destination port (1-65535).'),
  protocol: z.enum(['TCP', 'UDP']).optional().describe('TCP (default) or UDP.'),
});

const egressObject = z.strictObject({
  cidr: cidr()
    .optional()
    .describe('Destination addresses, an IPv4 or IPv6 CIDR such as 10.0.0.0/16, 203.0.113.7/32 or fd00::/64. Set exactly one of cidr and namespace.'),
  namespace: dnsLabel()
    .optional()
    .describe('Destination namespace by name: any pod in it. Set exactly one of cidr and namespace.'),
  ports: z
    .array(EgressPortSchema)
    .max(NETWORK_LIMITS.ports)
    .optional()
    .describe('Destination ports. Default: every port.'),
});

export const EgressRuleSchema = withCrossFieldRules(egressObject, [
  {
    cel: 'has(self.cidr) != has(self.namespace)',
    message: 'set exactly one of cidr and namespace',
    path: [],
    holds: (rule) => (rule.cidr === undefined) !== (rule.namespace === undefined),
  },
]);

const NetworkSchema = z.strictObject({
  isolate: z
    .boolean()
    .optional()
    .describe(
      "Render the server's NetworkPolicy. Default true: ingress only on the container port, from the platform gateway " +
        "(or the ingress controller's namespace when the server is not routed through the gateway) and from the operator's " +
        'namespace (its verifier dials the pods). Set false where policies are managed elsewhere. Only enforced by a CNI that ' +
        'implements NetworkPolicy.',
    ),
  egress: z
    .array(EgressRuleSchema)
    .max(NETWORK_LIMITS.egress)
    .optional()
    .describe(
      'Where the pods may connect. Absent: anywhere. Present (even empty): only these destinations, plus DNS (port 53, UDP ' +
        'and TCP) which is always allowed. Ignored when isolate is false.',
    ),
});

const specObject = z.strictObject({
  image: z
    .string({ error: 'image is required: the container image to run, e.g. registry.example.com/team/server' })
    .min(1, { error: 'must not be empty' })
    .max(1024)
    .regex(IMAGE_REF, { error: 'must not contain spaces' })
    .describe('Container image, with or without registry host, tag or digest.'),
  imageTag: z
    .string()
    .max(1024)
    .optional()
    .describe('Tag appended when `image` carries no tag or digest (ignored otherwise). Default "latest" (also when empty).'),
  registryOverride: z
    .string()
    .max(255)
    .regex(/^$|^[^\s/]+(\/[^\s/]+)*$/, { error: 'must be a registry host (and optional path), without spaces' })
    .optional()
    .describe('Replaces the registry host of `image` (or is prefixed when the image names no host). Empty: none.'),
  useProvisionedRegistry: z
    .boolean()
    .default(SPEC_DEFAULTS.useProvisionedRegistry)
    .describe("Rewrite the image to the operator's provisioned registry. Default false."),
  imagePullPolicy: z
    .enum(['Always', 'IfNotPresent', 'Never'])
    .optional()
    .describe('Default: Always for the tag "latest", IfNotPresent for other tags and digests.'),
  imagePullSecrets: z
    .array(z.string().max(253))
    .max(256)
    .optional()
    .describe(
      'Secrets used to pull the image; empty names are skipped. When none is given and the operator has provisioned ' +
        'credentials, it creates one.',
    ),
  replicas: z
    .number()
    .int()
    .min(0, { error: 'must be at least 0' })
    .max(MAX_REPLICAS, { error: `must be at most ${MAX_REPLICAS}` })
    .default(SPEC_DEFAULTS.replicas)
    .describe('Number of pods. Default 1.'),
  port: portOrDefault().default(SPEC_DEFAULTS.port).describe('Container port the server listens on. Default 8088 (also when 0).'),
  servicePort: portOrDefault().default(SPEC_DEFAULTS.servicePort).describe('ClusterIP Service port. Default 80 (also when 0).'),
  containerPath: urlPath()
    .default(SPEC_DEFAULTS.containerPath)
    .describe(
      'Path the container serves MCP on. Default /mcp. The edge rewrites `ingressPath` to this path: when ' +
        '`ingressPath` ends with it the leading part is stripped (/<name>/mcp -> /mcp), otherwise the whole ' +
        '`ingressPath` prefix is replaced by it.',
    ),
  ingressPath: ingressPath().optional().describe('Public path. Default /<name>/mcp (also when empty).'),
  ingressHost: ingressHost()
    .optional()
    .describe("Public host. Default (also when empty): the operator's MCP_DEFAULT_INGRESS_HOST, else any host."),
  ingressClass: dnsSubdomainOrDefault()
    .optional()
    .describe("IngressClass. Default (also when empty): the operator's DEFAULT_INGRESS_CLASS, else traefik."),
  ingressAnnotations: annotations
    .optional()
    .describe("Annotations merged over the controller's own Ingress annotations (these win)."),
  resources: ResourcesSchema.prefault({}),
  // Atomic lists, as in the original: a repeated name is accepted (the last one wins, with a
  // render warning) rather than refused.
  envVars: z.array(EnvVarSchema).max(MAX_ENV_VARS).optional().describe('Plain environment variables.'),
  secretEnvVars: z
    .array(SecretEnvVarSchema)
    .max(MAX_ENV_VARS)
    .optional()
    .describe('Environment variables read from Secrets (these win over envVars of the same name).'),
  probe: ProbeSchema.prefault({}),
  verification: VerificationSchema.optional().describe(
    "How the operator checks that the server speaks MCP (an MCP handshake and tools/list against every ready pod). Default: on, at the operator's interval.",
  ),
  gateway: GatewaySchema.optional().describe('Whether traffic reaches the pods through the platform gateway. Default: through it when installed.'),
  tools: ToolPolicySchema.optional().describe(
    'Which tools clients may see and call, enforced by the gateway: tools/list answers are filtered and a tools/call outside the policy is refused with a JSON-RPC error (and audited as denied). Needs the gateway. Default: every tool.',
  ),
  stateless: z
    .boolean()
    .optional()
    .describe(
      'The server keeps no state between requests (no Mcp-Session-Id, or the 2026-07-28 protocol), so any pod can answer ' +
        'any request. Default false: a stateful server with replicas > 1 needs the gateway, and condition SessionSafe says so.',
    ),
  tls: TlsSchema.optional().describe(
    "TLS at the edge for this server's route. Default: the platform's (setup --with-tls: HTTPS with the platform certificate; without it, plain HTTP for a sandbox).",
  ),
  auth: AuthSchema.optional().describe(
    'OAuth 2.1 for clients, enforced by the gateway (MCP authorization): requests need a bearer token from `issuer` for this ' +
      "server's URL; 401 answers point to the protected-resource metadata (RFC 9728). Needs the gateway. Default: open.",
  ),
  network: NetworkSchema.optional().describe(
    "Network isolation of the server's pods (a NetworkPolicy). Default: ingress only from the gateway or ingress controller " +
      "and the operator; egress unrestricted.",
  ),
  catalog: CatalogSchema.optional().describe('How the server appears in the catalog (the MCP Registry API). Default: published, with defaults for every field.'),
});

/** The fields the cross-field rules read; the metadata file has them too (image optional there, no tls). */
interface RuleFields {
  image?: string;
  imageTag?: string;
  ingressHost?: string;
  tls?: { issuer?: unknown };
}

/** True when `image` names a tag or a digest, so `imageTag` is not used (the original's rule). */
export function imageCarriesTagOrDigest(image: string): boolean {
  return image.includes('@') || image.slice(image.lastIndexOf('/') + 1).includes(':');
}

const TAG_CEL = `r'${IMAGE_TAG.source}'`;

/**
 * Only what the cluster could not run is refused here. Combinations the original API accepted
 * (a digest with imageTag, registryOverride with useProvisionedRegistry, a name in both envVars
 * and secretEnvVars, repeated names) are accepted and explained by a render warning.
 */
export const SPEC_CROSS_FIELD_RULES: readonly CrossFieldRule<RuleFields>[] = [
  {
    cel:
      "!has(self.imageTag) || self.imageTag == '' || self.image.contains('@') || " +
      `self.image.substring(self.image.lastIndexOf('/') + 1).contains(':') || self.imageTag.matches(${TAG_CEL})`,
    message: 'must be a valid tag (letters, digits, _, . and -, at most 128 characters) when image carries no tag or digest',
    path: ['imageTag'],
    holds: (s: RuleFields) =>
      s.imageTag === undefined || s.imageTag === '' || s.image === undefined || imageCarriesTagOrDigest(s.image) || IMAGE_TAG.test(s.imageTag),
  },
  {
    // A certificate names its host; the operator's default host is not part of the spec a reviewer sees.
    cel: "!has(self.tls) || !has(self.tls.issuer) || (has(self.ingressHost) && self.ingressHost != '')",
    message: 'tls.issuer needs spec.ingressHost: the certificate is issued for that host name',
    path: ['tls', 'issuer'],
    holds: (s: RuleFields) => s.tls?.issuer === undefined || (s.ingressHost !== undefined && s.ingressHost !== ''),
  },
];

export const MCPServerSpecSchema = withCrossFieldRules(specObject, SPEC_CROSS_FIELD_RULES).describe('Desired state of an MCP server.');

export const CONDITION_TYPES = ['Ready', 'Available', 'Routed', 'Configured', 'Verified', 'SessionSafe'] as const;
export const PHASES = ['Pending', 'PartiallyReady', 'Ready', 'Error'] as const;

export const ConditionSchema = z.object({
  type: z.string().min(1).max(316).describe('Condition type: Ready, Available, Routed, Configured, Verified or SessionSafe.'),
  status: z.enum(['True', 'False', 'Unknown']),
  reason: z
    .string()
    .min(1)
    .max(1024)
    .regex(/^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/)
    .describe('CamelCase reason code.'),
  message: z.string().max(32768).describe('What happened and what to do about it.'),
  lastTransitionTime: z.string().describe('When the status last changed (RFC 3339).').meta({ format: 'date-time' }),
  observedGeneration: z.number().int().min(0).optional().describe('Generation this condition was computed from.'),
});

/** Bounds that keep status small whatever a server lists (the count is always the total). */
export const MCP_STATUS_LIMITS = { tools: 50, description: 200, capabilities: 16 } as const;

export const McpToolSchema = z.object({
  name: z.string().max(256),
  title: z.string().max(MCP_STATUS_LIMITS.description).optional(),
  description: z.string().max(MCP_STATUS_LIMITS.description).optional().describe(`At most ${MCP_STATUS_LIMITS.description} characters (an ellipsis marks a cut).`),
});

export const McpStatusSchema = z.object({
  protocolVersion: z.string().max(64).describe('The protocol revision the server negotiated, e.g. 2025-06-18.'),
  serverInfo: z.object({ name: z.string().max(256), version: z.string().max(256) }).describe("The server's own name and version (initialize)."),
  capabilities: z.array(z.string().max(64)).max(MCP_STATUS_LIMITS.capabilities).describe('Capabilities the server announced (tools, resources, prompts, logging, ...).'),
  tools: z.array(McpToolSchema).max(MCP_STATUS_LIMITS.tools).describe(`The first ${MCP_STATUS_LIMITS.tools} tools by name.`),
  toolCount: z.number().int().min(0).describe('All tools the server lists (tools may hold fewer).'),
  toolsDigest: z.string().max(64).describe('Changes when any tool (name, title, description, schemas) changes.'),
  podsReady: z.number().int().min(0).describe('Ready pods when verified.'),
  podsVerified: z.number().int().min(0).describe('Ready pods that answered the MCP handshake (or asked for authorization).'),
  observedTime: z
    .string()
    .describe('When this result was first observed. Later identical results are not written (an idle platform makes no writes); every run is counted in the metric mcp_runtime_verifications_total.')
    .meta({ format: 'date-time' }),
});

export const MCPServerStatusSchema = z
  .object({
    phase: z.enum(PHASES).optional().describe('Summary: Pending, PartiallyReady, Ready or Error.'),
    message: z.string().max(32768).optional().describe('Human-readable summary of the phase.'),
    conditions: z
      .array(ConditionSchema)
      .max(16)
      .optional()
      .meta({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'] }),
    observedGeneration: z.number().int().min(0).optional().describe('Generation of the spec last reconciled.'),
    url: z.string().max(2048).optional().describe('Where clients reach the server, e.g. http://host/<name>/mcp.'),
    image: z.string().max(2048).optional().describe('The image reference actually deployed.'),
    replicas: z.number().int().min(0).optional().describe('Desired pods.'),
    readyReplicas: z.number().int().min(0).optional().describe('Pods that are ready.'),
    deploymentReady: z.boolean().optional(),
    serviceReady: z.boolean().optional(),
    ingressReady: z.boolean().optional(),
    mcp: McpStatusSchema.optional().describe('What the server answers over MCP, from the last verification that found one.'),
  })
  .describe('Observed state, written by the operator.');

export type MCPServerSpecInput = z.input<typeof MCPServerSpecSchema>;
/** A spec with every CRD-level default filled in (what the API server stores). */
export type MCPServerSpec = z.output<typeof MCPServerSpecSchema>;
export type MCPServerStatus = z.output<typeof MCPServerStatusSchema>;
export type Condition = z.output<typeof ConditionSchema>;
export type McpStatus = z.output<typeof McpStatusSchema>;
export type McpTool = z.output<typeof McpToolSchema>;

/** The condition of `type` in a server's status, if reported. */
export function findCondition(status: MCPServerStatus | undefined, type: ConditionType): Condition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

/**
 * Whether clients need credentials: the gateway asks for tokens (spec.auth, unless anonymous calls
 * pass), or the server itself answered the verifier 401/403 (Verified=True, reason AuthRequired).
 * The catalog and `server connect` both say it from here.
 */
export function requiresAuthorization(spec: { auth?: { required?: boolean } | undefined } | undefined, status: MCPServerStatus | undefined): boolean {
  return (spec?.auth !== undefined && spec.auth.required !== false) || findCondition(status, 'Verified')?.reason === 'AuthRequired';
}
export type CatalogSpec = z.output<typeof CatalogSchema>;
export type ToolPolicy = z.output<typeof ToolPolicySchema>;
export type NetworkSpec = z.output<typeof NetworkSchema>;
export type AuthSpec = z.output<typeof AuthSchema>;
export type TlsSpec = z.output<typeof TlsSchema>;
export type TlsIssuer = z.output<typeof TlsIssuerSchema>;
export type EgressRule = z.output<typeof EgressRuleSchema>;
export type ConditionType = (typeof CONDITION_TYPES)[number];
export type Phase = (typeof PHASES)[number];

export interface MCPServer {
  apiVersion: typeof API_VERSION;
  kind: typeof KIND;
  metadata: V1ObjectMeta & { name: string; namespace?: string };
  spec: MCPServerSpec;
  status?: MCPServerStatus;
}

/** An MCPServer object as read from a manifest: the metadata must name it; the spec is validated. */
export const MCPServerManifestSchema = z.object({
  apiVersion: z.literal(API_VERSION, { error: `apiVersion must be ${API_VERSION}` }),
  kind: z.literal(KIND, { error: `kind must be ${KIND}` }),
  metadata: z.looseObject({
    name: dnsLabel(),
    namespace: dnsLabel().optional(),
    labels: z.record(z.string(), z.string()).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  }),
  spec: MCPServerSpecSchema,
  status: MCPServerStatusSchema.optional(),
});

/** Fills in the CRD-level defaults exactly as the API server would. Throws a ZodError on invalid input. */
export function defaultSpec(spec: unknown): MCPServerSpec {
  return MCPServerSpecSchema.parse(spec);
}
