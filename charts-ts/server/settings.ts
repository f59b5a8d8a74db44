/**
 * The operator's configuration, as far as it shapes a server's objects. The operator reads it
 * from its environment once (`defaultOperatorSettings(process.env)`); `synth --servers` builds
 * the same object from flags, so both render through identical inputs.
 */
import { DNS1123_LABEL, ingressHostProblem } from '../../src/api/v1alpha1/index.js';
import { normalizeRegistry } from '../../src/images/reference.js';
import { dnsSubdomainProblem, registryProblem } from '../platform/option-problems.js';

export const DEFAULT_INGRESS_CLASS = 'traefik';
export const DEFAULT_PULL_SECRET_NAME = 'mcp-runtime-registry-creds';
/** The namespace `setup` installs the operator in (its verifier dials every server pod from there). */
export const DEFAULT_OPERATOR_NAMESPACE = 'mcp-runtime';
/** The namespace `setup` installs Traefik in, the ingress controller of servers not behind the gateway. */
export const DEFAULT_INGRESS_NAMESPACE = 'traefik';

/**
 * The operator container's entry in the platform image. Not `mcp-runtime operator`: the CLI
 * framework alone costs about 12 MB of RSS in a process that runs for months, and in a cluster
 * every setting comes from the environment anyway (the command's flags only override it).
 */
export const OPERATOR_ENTRY = '/app/dist/src/operator/main.js';

/**
 * Node flags of the operator container, on its command line before OPERATOR_ENTRY.
 * `--optimize-for-size` is V8's memory-over-speed mode (a 2 MB young generation, slower heap
 * growth): the operator's renders make short-lived garbage, and by default V8 lets the heap grow
 * to several times the live data before collecting. Rendering 3,000 servers in a loop: peak RSS
 * 141 -> 91 MB at the same CPU; at 1,000 servers without it the operator peaked 34-43 MB higher
 * (bench/README.md).
 *
 * Not in the image's NODE_OPTIONS: node accepts only a short list of V8 flags there and refuses
 * to start on any other ("--optimize-for-size is not allowed in NODE_OPTIONS", exit 9).
 */
export const OPERATOR_NODE_FLAGS: readonly string[] = ['--optimize-for-size'];

/** Environment variables of the operator Deployment (the platform chart sets exactly these). */
export const OPERATOR_ENV = {
  defaultIngressHost: 'MCP_DEFAULT_INGRESS_HOST',
  defaultIngressClass: 'DEFAULT_INGRESS_CLASS',
  registryUrl: 'PROVISIONED_REGISTRY_URL',
  registryUsername: 'PROVISIONED_REGISTRY_USERNAME',
  registryPassword: 'PROVISIONED_REGISTRY_PASSWORD',
  registrySecretName: 'PROVISIONED_REGISTRY_SECRET_NAME',
  ingressReadiness: 'INGRESS_READINESS',
  gatewayService: 'MCP_GATEWAY_SERVICE',
  ingressNamespace: 'MCP_INGRESS_NAMESPACE',
  ingressTls: 'MCP_INGRESS_TLS',
  // Set from the pod's own metadata (the downward API), so it is always the operator's namespace.
  operatorNamespace: 'POD_NAMESPACE',
} as const;

/** Where the platform gateway listens: its Service, which server routes send traffic to. */
export interface GatewayService {
  readonly namespace: string;
  readonly name: string;
  readonly port: number;
}

/** `namespace/name:port`, the form of MCP_GATEWAY_SERVICE. */
export const formatGatewayService = (g: GatewayService): string => `${g.namespace}/${g.name}:${g.port}`;

/** Parses MCP_GATEWAY_SERVICE; undefined when it is not `namespace/name:port`. */
export function parseGatewayService(text: string): GatewayService | undefined {
  const m = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([a-z0-9]([-a-z0-9]*[a-z0-9])?):([0-9]{1,5})$/.exec(text);
  const port = Number(m?.[5]);
  if (m === null || port < 1 || port > 65535) return undefined;
  return { namespace: m[1]!, name: m[3]!, port };
}

export interface ProvisionedRegistry {
  /** Registry host with optional port and path, scheme stripped, e.g. `reg.example.com:5000/team`. */
  readonly url: string;
  /** User for pulls; a pull Secret is generated only when both username and password are set. */
  readonly username?: string;
  /** Password or token. Secret: never log it (the objects built here redact it when printed). */
  readonly password?: string;
  /** Name of the generated `kubernetes.io/dockerconfigjson` Secret. Default `mcp-runtime-registry-creds`. */
  readonly secretName: string;
}

export interface OperatorSettings {
  /** Host for servers that set no `ingressHost` (MCP_DEFAULT_INGRESS_HOST). Default: none, i.e. any host. */
  readonly defaultIngressHost?: string;
  /** IngressClass for servers that set no `ingressClass` (DEFAULT_INGRESS_CLASS). Default `traefik`. */
  readonly defaultIngressClass: string;
  /** The external registry set up with `registry provision` (PROVISIONED_REGISTRY_*). Default: none. */
  readonly provisionedRegistry?: ProvisionedRegistry;
  /**
   * The platform gateway (MCP_GATEWAY_SERVICE, `namespace/name:port`): servers route through it
   * unless their spec.gateway.enabled is false. Default: none (servers are routed to their pods).
   */
  readonly gateway?: GatewayService;
  /**
   * Namespace of the ingress controller (MCP_INGRESS_NAMESPACE): a server's NetworkPolicy lets it
   * in when the server is not routed through the gateway. Default `traefik`.
   */
  readonly ingressNamespace: string;
  /** Namespace of the operator (POD_NAMESPACE): a server's NetworkPolicy lets its verifier in. Default `mcp-runtime`. */
  readonly operatorNamespace: string;
  /**
   * The ingress controller serves HTTPS on its `websecure` entry point (MCP_INGRESS_TLS=true, set
   * by `setup --with-tls`): server routes go there, with the platform certificate unless a server
   * names its own. Default false: plain HTTP on `web`, for a sandbox.
   */
  readonly ingressTls: boolean;
}

const value = (env: Record<string, string | undefined>, key: string): string | undefined => {
  const raw = env[key]?.trim();
  return raw === undefined || raw === '' ? undefined : raw;
};

/**
 * Keeps the password out of logs: JSON.stringify and util.inspect print `[REDACTED]`, while the
 * field stays readable (and spreadable) for the one place that needs it, the pull Secret.
 */
function redacted(registry: ProvisionedRegistry): ProvisionedRegistry {
  const shown = () => ({ ...registry, ...(registry.password === undefined ? {} : { password: '[REDACTED]' }) });
  return Object.defineProperties(
    { ...registry },
    {
      toJSON: { value: shown, enumerable: false },
      [Symbol.for('nodejs.util.inspect.custom')]: { value: shown, enumerable: false },
    },
  );
}

/**
 * Parses the operator's environment (pass `process.env`). Pure: reads only the given record.
 * Blank values count as unset; a registry URL loses its scheme and trailing slash.
 */
export function defaultOperatorSettings(env: Record<string, string | undefined> = {}): OperatorSettings {
  const url = value(env, OPERATOR_ENV.registryUrl);
  const defaultIngressHost = value(env, OPERATOR_ENV.defaultIngressHost);
  const gatewayText = value(env, OPERATOR_ENV.gatewayService);
  // A malformed value is kept as an unusable target so operatorSettingsProblems() can name it.
  const gateway = gatewayText === undefined ? undefined : (parseGatewayService(gatewayText) ?? { namespace: '', name: gatewayText, port: 0 });
  return {
    ...(gateway === undefined ? {} : { gateway }),
    ...(defaultIngressHost === undefined ? {} : { defaultIngressHost }),
    defaultIngressClass: value(env, OPERATOR_ENV.defaultIngressClass) ?? DEFAULT_INGRESS_CLASS,
    ingressNamespace: value(env, OPERATOR_ENV.ingressNamespace) ?? DEFAULT_INGRESS_NAMESPACE,
    operatorNamespace: value(env, OPERATOR_ENV.operatorNamespace) ?? DEFAULT_OPERATOR_NAMESPACE,
    ingressTls: /^(true|1|yes|on)$/i.test(value(env, OPERATOR_ENV.ingressTls) ?? ''),
    ...(url === undefined
      ? {}
      : {
          provisionedRegistry: redacted({
            url: normalizeRegistry(url),
            ...optional('username', value(env, OPERATOR_ENV.registryUsername)),
            ...optional('password', value(env, OPERATOR_ENV.registryPassword)),
            secretName: value(env, OPERATOR_ENV.registrySecretName) ?? DEFAULT_PULL_SECRET_NAME,
          }),
        }),
  };
}

function optional<K extends string>(key: K, v: string | undefined): { [P in K]?: string } {
  return (v === undefined ? {} : { [key]: v }) as { [P in K]?: string };
}

const dnsLabelProblem = (name: string): string | undefined =>
  name.length <= 63 && DNS1123_LABEL.test(name) ? undefined : "must be a namespace name (a DNS-1123 label: lower-case letters, digits and '-')";

export interface SettingProblem {
  /** The environment variable (OPERATOR_ENV value) the setting comes from. */
  readonly env: string;
  readonly value: string;
  readonly message: string;
}

/**
 * Settings every server would inherit and the API server would refuse in each Ingress or pod
 * (a host that is an IP address, a class or Secret name that is not a DNS name, a registry that
 * is not a host). `synth --servers` refuses them up front; the operator can do the same at start.
 */
export function operatorSettingsProblems(settings: OperatorSettings): SettingProblem[] {
  const problems: SettingProblem[] = [];
  const check = (env: string, value: string | undefined, problem: (v: string) => string | undefined) => {
    const message = value === undefined ? undefined : problem(value);
    if (message !== undefined) problems.push({ env, value: value!, message });
  };
  check(OPERATOR_ENV.defaultIngressHost, settings.defaultIngressHost, ingressHostProblem);
  check(OPERATOR_ENV.defaultIngressClass, settings.defaultIngressClass, dnsSubdomainProblem);
  check(OPERATOR_ENV.registryUrl, settings.provisionedRegistry?.url, registryProblem);
  check(OPERATOR_ENV.registrySecretName, settings.provisionedRegistry?.secretName, dnsSubdomainProblem);
  // Label values in every server's NetworkPolicy; the API server would refuse anything but a namespace name.
  check(OPERATOR_ENV.ingressNamespace, settings.ingressNamespace, dnsLabelProblem);
  check(OPERATOR_ENV.operatorNamespace, settings.operatorNamespace, dnsLabelProblem);
  const gateway = settings.gateway;
  check(OPERATOR_ENV.gatewayService, gateway === undefined ? undefined : gateway.port === 0 ? gateway.name : formatGatewayService(gateway), (v) =>
    parseGatewayService(v) === undefined ? 'must be <namespace>/<service>:<port>, e.g. mcp-gateway/mcp-gateway:80' : undefined,
  );
  return problems;
}
