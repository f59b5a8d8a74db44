/**
 * resolveServer(): every operator-level default applied to an MCPServer, in one pure function.
 * The constructs render only what this returns, so `synth --servers` and the operator cannot
 * disagree about a default. It never sees the registry password (see pull-secret.ts).
 */
import {
  DEFAULT_SERVER_NAMESPACE,
  SPEC_DEFAULTS,
  effectiveQuantity,
  type MCPServer,
  type MCPServerSpec,
} from '../../src/api/v1alpha1/index.js';
import {
  defaultPullPolicy,
  formatImageReference,
  isInRegistry,
  registryHost,
  resolveImageReference,
} from '../../src/images/reference.js';
import { serverLabels, serverSelectorLabels, type Labels } from '../lib/labels.js';
import { ingressAnnotations, middlewareReference } from './annotations.js';
import { resolveNetwork, type ResolvedNetwork } from './network.js';
import { pathRewrite, type PathRewrite } from './path-rewrite.js';
import { compatibilityWarnings, dedupeEnv, imageSourceByOriginalRules, renderWarning } from './compatibility.js';
import type { GatewayService, OperatorSettings } from './settings.js';

export type PullPolicy = 'Always' | 'IfNotPresent' | 'Never';

export interface ResolvedProbe {
  readonly type: 'tcp' | 'http' | 'none';
  /** Only for `http`. */
  readonly path?: string;
  readonly initialDelaySeconds?: number;
  readonly periodSeconds: number;
}

export interface ResolvedEnvVar {
  readonly name: string;
  readonly value?: string;
  readonly secretKeyRef?: { readonly name: string; readonly key: string };
}

/** The generated pull Secret, without its content (that needs the password; see pull-secret.ts). */
export interface ResolvedPullSecret {
  readonly name: string;
  /** Registry host the credentials are for (the `auths` key). */
  readonly registry: string;
}

export interface ResolvedServer {
  readonly name: string;
  readonly namespace: string;
  /** Labels on every object of the server. */
  readonly labels: Labels;
  /** Pod selector (immutable; a subset of `labels`). */
  readonly selector: Labels;
  /** The reference the kubelet pulls, after registry rewrite and default tag. */
  readonly image: string;
  readonly pullPolicy: PullPolicy;
  /** Pull Secret names on the pod: the spec's, or the generated one, or none. */
  readonly imagePullSecrets: readonly string[];
  /** Set when the operator must create the pull Secret from provisioned credentials. */
  readonly pullSecret?: ResolvedPullSecret;
  readonly replicas: number;
  readonly port: number;
  readonly servicePort: number;
  readonly containerPath: string;
  readonly ingressPath: string;
  /** Host of the Ingress rule; undefined = any host. */
  readonly ingressHost?: string;
  readonly ingressClass: string;
  /** Final Ingress annotations (controller defaults merged under the user's). */
  readonly ingressAnnotations: Readonly<Record<string, string>>;
  /** How ingressPath becomes containerPath (see path-rewrite.ts). */
  readonly rewrite: PathRewrite;
  /** Name of the Traefik Middleware carrying `rewrite`; set only when one is rendered. */
  readonly middlewareName?: string;
  /**
   * How requests reach the pods: an Ingress to the server's Service, or a Traefik IngressRoute
   * to the platform gateway (which pins sessions, measures and audits; see charts-ts/server/gateway-route.ts).
   */
  readonly route: { readonly kind: 'ingress' } | GatewayRoute;
  /** The NetworkPolicy's sources and egress allow-list; undefined when spec.network.isolate is false (no policy). */
  readonly network?: ResolvedNetwork;
  /** spec.stateless: any pod may answer any request. */
  readonly stateless: boolean;
  /** spec.auth is set: the gateway asks for tokens, and the route also carries the RFC 9728 metadata path. */
  readonly protectedResource: boolean;
  /**
   * HTTPS at the edge (the platform has TLS): the route is on the `websecure` entry point, with
   * spec.tls.secretName's certificate or, without one, the platform's. Undefined: plain HTTP.
   */
  readonly tls?: ResolvedTls;
  /**
   * Where clients connect: `http://<host><ingressPath>`. Without a concrete host (hostless or a
   * `*.` wildcard) it is the path alone, e.g. `/weather/mcp`, meaning "on whatever address the
   * ingress controller answers"; use serverUrl(resolved, host) once that address is known.
   */
  readonly url: string;
  readonly resources: {
    readonly requests: { readonly cpu: string; readonly memory: string };
    readonly limits: { readonly cpu: string; readonly memory: string };
  };
  readonly env: readonly ResolvedEnvVar[];
  readonly probe: ResolvedProbe;
  /**
   * Things that will not work as the user probably expects; the operator surfaces them as Events.
   * Each reads `<Reason>: <message>`, Reason a CamelCase condition reason (see compatibility.ts).
   */
  readonly warnings: readonly string[];
}

/** HTTPS at the edge for one server (see ResolvedServer.tls). */
export interface ResolvedTls {
  /** The Secret with the certificate; undefined: the platform's default certificate. */
  readonly secretName?: string;
  /**
   * spec.tls.issuer: cert-manager writes `secretName` (always set then). An Ingress asks for it with
   * ingress-shim's annotation; a gateway IngressRoute (which ingress-shim does not watch) gets a Certificate.
   */
  readonly issuer?: { readonly name: string; readonly kind: 'ClusterIssuer' | 'Issuer' };
}

/** The Secret cert-manager writes for a server whose spec.tls.issuer names no secretName. */
export const defaultTlsSecretName = (server: string): string => `${server}-tls`;

export interface GatewayRoute {
  readonly kind: 'gateway';
  readonly gateway: GatewayService;
  /** The Middleware that names the server to the gateway (SERVER_HEADER). */
  readonly headerMiddlewareName: string;
}

export const DEFAULT_PROBE_PERIOD_SECONDS = 10;

/** The gateway header Middleware's name. */
export const gatewayMiddlewareName = (server: string): string => `${server}-gateway`;

/**
 * Through the gateway when the operator knows one, the server does not opt out, and the route is
 * Traefik's (the gateway's route is a Traefik IngressRoute; other classes keep their Ingress).
 */
function routeOf(spec: MCPServerSpec, name: string, traefik: boolean, gateway: GatewayService | undefined, warnings: string[]): ResolvedServer['route'] {
  const wanted = spec.gateway?.enabled;
  if (wanted === false) return { kind: 'ingress' };
  if (gateway === undefined) {
    if (wanted === true) warnings.push(renderWarning('GatewayNotInstalled', 'spec.gateway.enabled is true but the platform has no gateway (setup --gateway): requests go straight to the pods'));
    return { kind: 'ingress' };
  }
  if (!traefik) {
    if (wanted === true) warnings.push(renderWarning('GatewayNeedsTraefik', "the gateway's route is a Traefik IngressRoute; with another ingress class requests go straight to the pods"));
    return { kind: 'ingress' };
  }
  if (Object.keys(spec.ingressAnnotations ?? {}).length > 0) {
    warnings.push(renderWarning('IngressAnnotationsUnused', 'ingressAnnotations apply to an Ingress; a server routed through the gateway gets a Traefik IngressRoute instead (set spec.gateway.enabled: false to keep the Ingress)'));
  }
  return { kind: 'gateway', gateway, headerMiddlewareName: gatewayMiddlewareName(name) };
}

/** The Middleware name: stable whatever the rewrite kind, so a change of kind updates it in place. */
export const middlewareName = (server: string): string => `${server}-path-rewrite`;

export const defaultIngressPath = (name: string): string => `/${name}/mcp`;

/** `http://<host><path>`; the path alone when the host is unknown or a wildcard. */
export function serverUrl(server: Pick<ResolvedServer, 'ingressPath'>, host: string | undefined, tls = false): string {
  return host === undefined || host === '' || host.startsWith('*') ? server.ingressPath : `${tls ? 'https' : 'http'}://${host}${server.ingressPath}`;
}

/**
 * Applies the operator defaults. Pure. Throws InvalidImageReferenceError when `spec.image` (or
 * the registry it is moved to) is not a valid reference; the operator reports that on the status.
 * Fields the API server would default are defaulted here too, so a spec that skipped
 * `defaultSpec()` still renders the same objects.
 */
export function resolveServer(server: MCPServer, settings: OperatorSettings): ResolvedServer {
  const { spec } = server;
  const name = server.metadata.name;
  const namespace = server.metadata.namespace ?? DEFAULT_SERVER_NAMESPACE;
  const warnings: string[] = compatibilityWarnings(spec, settings);

  const provisioned = settings.provisionedRegistry;
  const ref = resolveImageReference(imageSourceByOriginalRules(spec, settings), provisioned?.url);
  const image = formatImageReference(ref);

  // The original skips empty names; other names are used as given (the API server takes them).
  const givenPullSecrets = (spec.imagePullSecrets ?? []).filter((s) => s !== '');
  const pullSecret =
    givenPullSecrets.length === 0 &&
    provisioned?.username !== undefined &&
    provisioned.password !== undefined &&
    isInRegistry(ref, provisioned.url)
      ? { name: provisioned.secretName, registry: registryHost(provisioned.url) }
      : undefined;

  const containerPath = spec.containerPath ?? SPEC_DEFAULTS.containerPath;
  const ingressPath = nonEmpty(spec.ingressPath) ?? defaultIngressPath(name);
  const ingressHost = nonEmpty(spec.ingressHost) ?? nonEmpty(settings.defaultIngressHost);
  const ingressClass = nonEmpty(spec.ingressClass) ?? settings.defaultIngressClass;
  const rewrite = pathRewrite(ingressPath, containerPath);
  const traefik = ingressClass === 'traefik';
  const mwName = traefik && rewrite.kind !== 'none' ? middlewareName(name) : undefined;

  const userAnnotations = spec.ingressAnnotations ?? {};
  if (rewrite.kind !== 'none' && !traefik) {
    warnings.push(
      renderWarning('NoPathRewrite', `ingress class "${ingressClass}" gets no path rewrite: the container receives ${ingressPath}, ` +
        `not containerPath ${containerPath}; serve ingressPath in the container or use the traefik class`),
    );
  }
  const mwRef = mwName === undefined ? undefined : middlewareReference(namespace, mwName);
  const userMiddlewares = userAnnotations['traefik.ingress.kubernetes.io/router.middlewares'];
  if (mwRef !== undefined && userMiddlewares !== undefined && !userMiddlewares.split(',').map((s) => s.trim()).includes(mwRef)) {
    warnings.push(
      renderWarning(
        'PathRewriteDropped',
        `ingressAnnotations replace traefik.ingress.kubernetes.io/router.middlewares, which drops the path rewrite; ` +
          `add ${mwRef} to your list to keep it`,
      ),
    );
  }

  const route = routeOf(spec, name, traefik, settings.gateway, warnings);
  if (route.kind !== 'gateway' && spec.tools !== undefined && (spec.tools.allow !== undefined || (spec.tools.deny ?? []).length > 0)) {
    warnings.push(renderWarning('ToolPolicyNotEnforced', 'spec.tools is enforced by the gateway, and this server is routed straight to its pods: every tool stays reachable'));
  }
  const tls = settings.ingressTls ? resolveTls(spec.tls, name) : undefined;
  if (spec.tls !== undefined && !settings.ingressTls) {
    warnings.push(renderWarning('TlsNotInstalled', 'spec.tls asks for HTTPS, and the platform was set up without TLS (setup --with-tls): the route stays plain HTTP'));
  }
  if (spec.auth === undefined && (spec.tools?.callers ?? []).length > 0) {
    warnings.push(renderWarning('ToolCallersWithoutAuth', 'spec.tools.callers reads the caller from its access token, and this server has no spec.auth: every caller gets the server-wide lists'));
  }
  if (spec.auth !== undefined) {
    if (route.kind !== 'gateway') {
      warnings.push(renderWarning('AuthNotEnforced', 'spec.auth is enforced by the gateway, and this server is routed straight to its pods: it is open to anyone who reaches its path'));
    }
    if (spec.auth.issuer.startsWith('http://') || spec.auth.audience?.startsWith('http://') === true) {
      warnings.push(renderWarning('AuthOverPlainHttp', 'spec.auth uses an http:// URL: tokens and keys travel unencrypted; use https outside a local sandbox'));
    }
    if (spec.auth.audience === undefined && ingressHost === undefined) {
      warnings.push(
        renderWarning(
          'AuthAudienceFromRequest',
          "spec.auth has no audience and the server no ingressHost: the audience is built from the gateway's public URL, else from the host each request names; set one of them",
        ),
      );
    }
  }
  const probe = resolveProbe(spec.probe, warnings);
  const network = resolveNetwork(spec, route.kind === 'gateway' ? route.gateway.namespace : undefined, settings);
  return {
    name,
    namespace,
    labels: serverLabels(name),
    selector: serverSelectorLabels(name),
    image,
    pullPolicy: spec.imagePullPolicy ?? defaultPullPolicy(ref),
    imagePullSecrets: pullSecret === undefined ? [...givenPullSecrets] : [pullSecret.name],
    ...(pullSecret === undefined ? {} : { pullSecret }),
    replicas: spec.replicas ?? SPEC_DEFAULTS.replicas,
    // 0 is Go's zero value: the original read it as "unset".
    port: spec.port || SPEC_DEFAULTS.port,
    servicePort: spec.servicePort || SPEC_DEFAULTS.servicePort,
    containerPath,
    ingressPath,
    ...(ingressHost === undefined ? {} : { ingressHost }),
    ingressClass,
    ingressAnnotations: ingressAnnotations(ingressClass, userAnnotations, mwRef, tls !== undefined, tls?.issuer),
    rewrite,
    ...(mwName === undefined ? {} : { middlewareName: mwName }),
    route,
    ...(network === undefined ? {} : { network }),
    stateless: spec.stateless ?? false,
    protectedResource: spec.auth !== undefined,
    ...(tls === undefined ? {} : { tls }),
    url: serverUrl({ ingressPath }, ingressHost, tls !== undefined),
    resources: {
      requests: {
        cpu: effectiveQuantity(spec.resources, 'requests', 'cpu'),
        memory: effectiveQuantity(spec.resources, 'requests', 'memory'),
      },
      limits: {
        cpu: effectiveQuantity(spec.resources, 'limits', 'cpu'),
        memory: effectiveQuantity(spec.resources, 'limits', 'memory'),
      },
    },
    env: dedupeEnv([
      ...(spec.envVars ?? []).map((e) => ({ name: e.name, value: e.value ?? '' })),
      ...(spec.secretEnvVars ?? []).map((e) => ({ name: e.name, secretKeyRef: { name: e.secretKeyRef.name, key: e.secretKeyRef.key } })),
    ]),
    probe,
    warnings,
  };
}

function resolveTls(spec: MCPServerSpec['tls'], name: string): ResolvedTls {
  const issuer = spec?.issuer;
  // The CRD fills kind in; a spec that skipped defaultSpec() gets the same default here.
  if (issuer !== undefined) return { secretName: spec?.secretName ?? defaultTlsSecretName(name), issuer: { name: issuer.name, kind: issuer.kind ?? 'ClusterIssuer' } };
  return spec?.secretName === undefined ? {} : { secretName: spec.secretName };
}

function resolveProbe(given: Partial<MCPServerSpec['probe']> | undefined, warnings: string[]): ResolvedProbe {
  const probe = given ?? {};
  let type = probe.type ?? SPEC_DEFAULTS.probeType;
  // The API server rejects http without a path; a spec that skipped validation falls back to tcp
  // rather than probing the MCP endpoint (which answers GET with 405 or an endless stream).
  if (type === 'http' && probe.path === undefined) {
    warnings.push(renderWarning('ProbeFallback', "probe type 'http' needs a path; using a TCP probe instead"));
    type = 'tcp';
  }
  return {
    type,
    ...(type === 'http' ? { path: probe.path } : {}),
    ...(probe.initialDelaySeconds === undefined ? {} : { initialDelaySeconds: probe.initialDelaySeconds }),
    periodSeconds: probe.periodSeconds ?? DEFAULT_PROBE_PERIOD_SECONDS,
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
