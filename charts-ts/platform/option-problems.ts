/**
 * Checks the platform options before anything is rendered, so a malformed CIDR or host given on
 * the command line is refused at once, naming the flag, instead of by the API server halfway
 * through `setup` (or never, for a `synth` folder applied later).
 */
import { isIP } from 'node:net';
import { DNS1123_SUBDOMAIN, RESOURCE_QUANTITY, cidrProblem, ingressHostProblem, parseQuantity } from '../../src/api/v1alpha1/index.js';
import { parseImageReference, withRegistry } from '../../src/images/reference.js';
import { namePrefixProblem } from '../../src/catalog/names.js';
import type { PlatformOptions } from './options.js';

/** The command-line flag of each option (setup and synth share these names). */
export const OPTION_FLAGS = {
  defaultIngressHost: '--default-ingress-host',
  defaultIngressClass: '--ingress-class',
  registryAllowedCidrs: '--registry-allow-cidr',
  registryClusterIP: '--registry-cluster-ip',
  catalogNamePrefix: '--catalog-name-prefix',
  registryStorageSize: '--registry-storage-size',
  registryStorageClass: '--registry-storage-class',
  registryUrl: '--registry',
  pullSecretName: '--registry-pull-secret',
  passwordSecret: '--registry-password-secret',
  gatewayPublicUrl: '--gateway-public-url',
  tlsSecretName: '--with-tls',
} as const;

/** Why `url` cannot be the platform's public address (an http(s) origin), or undefined. */
export function publicUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be an absolute URL such as https://mcp.example.com';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return `must be an http(s) URL, not ${parsed.protocol}`;
  if (parsed.pathname !== '/' || parsed.search !== '' || parsed.hash !== '' || parsed.username !== '') return 'must be only a scheme and host (and port), such as https://mcp.example.com';
  return undefined;
}

export interface OptionProblem {
  readonly flag: string;
  readonly value: string;
  readonly message: string;
}

export class InvalidPlatformOptionsError extends Error {
  constructor(readonly problems: readonly OptionProblem[]) {
    super(problems.map((p) => `${p.flag} ${JSON.stringify(p.value)}: ${p.message}`).join('\n'));
    this.name = 'InvalidPlatformOptionsError';
  }
}

// The MCPServer API checks spec.network.egress CIDRs with the same function.
export { cidrProblem } from '../../src/api/v1alpha1/index.js';

export const dnsSubdomainProblem = (name: string): string | undefined =>
  name.length <= 253 && DNS1123_SUBDOMAIN.test(name) ? undefined : "must be a DNS-1123 subdomain: lower-case letters, digits, '-' and '.'";

/** Why `url` cannot be used as a registry (host with optional port and path), or undefined. */
export function registryProblem(url: string): string | undefined {
  try {
    withRegistry(parseImageReference('probe'), url);
    return undefined;
  } catch (error) {
    return `must be a registry host with optional port and path, e.g. reg.example.com/team (${(error as Error).message})`;
  }
}

export function platformOptionProblems(options: PlatformOptions): OptionProblem[] {
  const problems: OptionProblem[] = [];
  const check = (flag: string, value: string | undefined, problem: (v: string) => string | undefined) => {
    if (value === undefined) return;
    const message = problem(value);
    if (message !== undefined) problems.push({ flag, value, message });
  };
  check(OPTION_FLAGS.defaultIngressHost, options.defaultIngressHost, ingressHostProblem);
  check(OPTION_FLAGS.defaultIngressClass, options.defaultIngressClass, dnsSubdomainProblem);
  for (const cidr of options.registryAllowedCidrs ?? []) check(OPTION_FLAGS.registryAllowedCidrs, cidr, cidrProblem);
  check(OPTION_FLAGS.registryClusterIP, options.registryClusterIP, (ip) =>
    isIP(ip) === 0 ? "must be an IP address in the cluster's Service CIDR, such as 10.96.0.50" : undefined,
  );
  check(OPTION_FLAGS.registryStorageSize, options.registryStorageSize, (size) =>
    size !== '' && RESOURCE_QUANTITY.test(size) && (parseQuantity(size)?.num ?? 0n) > 0n
      ? undefined
      : 'must be a positive Kubernetes quantity such as 10Gi',
  );
  check(OPTION_FLAGS.registryStorageClass, options.registryStorageClass, dnsSubdomainProblem);
  check(OPTION_FLAGS.catalogNamePrefix, options.catalogNamePrefix, namePrefixProblem);
  check(OPTION_FLAGS.gatewayPublicUrl, options.gatewayPublicUrl, publicUrlProblem);
  check(OPTION_FLAGS.tlsSecretName, options.tlsSecretName, dnsSubdomainProblem);
  if (options.tlsSecretName !== undefined && options.ingress === 'none') {
    problems.push({ flag: OPTION_FLAGS.tlsSecretName, value: options.tlsSecretName, message: 'configures the Traefik the platform installs; with --ingress none, give your controller the certificate' });
  }
  if (options.registry !== undefined && options.registry !== 'internal') {
    check(OPTION_FLAGS.registryUrl, options.registry.url, registryProblem);
    check(OPTION_FLAGS.pullSecretName, options.registry.pullSecretName, dnsSubdomainProblem);
    check(OPTION_FLAGS.passwordSecret, options.registry.passwordSecret, dnsSubdomainProblem);
  }
  return problems;
}
