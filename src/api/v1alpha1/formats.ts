/**
 * Building blocks for field validation. Each schema here carries a message a user can act on,
 * and each regular expression is the one the API server (and kubectl) applies, so a manifest
 * the CLI accepts is one the cluster accepts.
 */
import { isIP } from 'node:net';
import { z } from 'zod';

// RFC 1123 label: what Kubernetes requires of names of Services, namespaces and our servers.
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
// RFC 1123 subdomain: names of Secrets, ConfigMaps and most objects.
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
// Kubernetes resource.Quantity (the serialized form: number with optional SI / binary suffix).
export const QUANTITY =
  /^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?[0-9]+))?$/;
// The same without a minus sign: container resources cannot be negative (the API server says so
// only when the Deployment is written). The empty string means "the default", as in the original.
export const RESOURCE_QUANTITY = /^$|^\+?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?[0-9]+))?$/;
// C identifier, the portable env var name (POSIX shells read only these).
export const ENV_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// What Kubernetes accepts as an env var name (RelaxedEnvironmentVariableValidation, GA in 1.34):
// printable ASCII except '='. The original API accepted any string; names outside ENV_VAR_NAME
// are accepted with a warning.
export const KUBE_ENV_VAR_NAME = /^[ -<>-~]+$/;
// Secret / ConfigMap data key.
export const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
// Annotation key: optional DNS subdomain prefix + '/' + a qualified name of up to 63 chars.
export const ANNOTATION_KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
// Host name for an Ingress rule: a DNS subdomain, optionally with a leading '*.' wildcard.
export const INGRESS_HOST = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
// URL path: starts with '/', no whitespace, no query or fragment.
export const URL_PATH = /^\/[^\s?#]*$/;
// Ingress path as the original API took it: empty (the default) or anything starting with '/'.
export const INGRESS_PATH = /^$|^\//;
// An IPv4 address: the Ingress API refuses one as a host ("must be a DNS name, not an IP address").
export const IPV4_LIKE = /^[0-9]+(\.[0-9]+){3}$/;
// Image reference: no whitespace; the detailed grammar lives in src/images/reference.ts.
export const IMAGE_REF = /^[^\s]+$/;
// Tag grammar from the OCI distribution spec.
export const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export const dnsLabel = () =>
  z
    .string()
    .min(1, { error: 'must not be empty' })
    .max(63, { error: 'must be at most 63 characters' })
    .regex(DNS1123_LABEL, {
      error: `must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit`,
    });

export const dnsSubdomain = () =>
  z
    .string()
    .min(1, { error: 'must not be empty' })
    .max(253, { error: 'must be at most 253 characters' })
    .regex(DNS1123_SUBDOMAIN, {
      error: `must be a DNS-1123 subdomain: lower-case letters, digits, '-' and '.'`,
    });

/** Why `cidr` is not an IPv4 or IPv6 CIDR (address/prefix length), or undefined when it is one. */
export function cidrProblem(cidr: string): string | undefined {
  const slash = cidr.indexOf('/');
  const address = slash < 0 ? cidr : cidr.slice(0, slash);
  const prefix = slash < 0 ? '' : cidr.slice(slash + 1);
  // Node accepts an IPv6 zone (fe80::1%eth0); Kubernetes (Go's net.ParseCIDR) does not.
  const family = address.includes('%') ? 0 : isIP(address);
  if (family === 0) return 'must be a CIDR such as 10.0.0.0/16 or fd00::/64 (the address part is not an IP address)';
  const max = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max) return `must be a CIDR such as 10.0.0.0/16: the prefix length must be 0 to ${max}`;
  return undefined;
}

/**
 * An IPv4 or IPv6 CIDR. The CRD carries `format: cidr`, which the API server checks with Go's
 * net.ParseCIDR; the CLI checks the same with cidrProblem().
 */
export const cidr = () =>
  z
    .string()
    .max(64)
    .superRefine((value, ctx) => {
      const problem = cidrProblem(value);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
    })
    .meta({ format: 'cidr' });

export const port = () =>
  z
    .number()
    .int()
    .min(1, { error: 'must be at least 1' })
    .max(65535, { error: 'must be at most 65535' });

/** A port where 0 means "the default", as the original API read it (Go's zero value). */
export const portOrDefault = () =>
  z
    .number()
    .int()
    .min(0, { error: 'must be at least 1 (0 means the default)' })
    .max(65535, { error: 'must be at most 65535' });

export const quantity = () =>
  z
    .string({ error: 'must be a quoted Kubernetes quantity such as "500m" or "256Mi"' })
    .max(64)
    .regex(RESOURCE_QUANTITY, { error: 'must be a non-negative Kubernetes quantity such as "500m", "1" or "256Mi"' });

// The Ingress API (networking/v1 validation) refuses these in a Prefix or Exact path.
const KUBE_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'] as const;
const KUBE_PATH_SUFFIXES = ['/..', '/.'] as const;
export const KUBE_PATH_MESSAGE = "must not contain '//', '/./', '/../' or '%2F', nor end with '/.' or '/..' (the Ingress API refuses such paths)";

/** True when the Ingress API would refuse `path` as a Prefix path. */
export function isKubeIngressPath(path: string): boolean {
  return !KUBE_PATH_SEQUENCES.some((s) => path.includes(s)) && !KUBE_PATH_SUFFIXES.some((s) => path.endsWith(s));
}

const KUBE_PATH_CEL = [
  ...KUBE_PATH_SEQUENCES.map((s) => `!self.contains('${s}')`),
  ...KUBE_PATH_SUFFIXES.map((s) => `!self.endsWith('${s}')`),
].join(' && ');

/**
 * The public path: empty (the default /<name>/mcp) or starting with '/', and nothing the Ingress
 * API refuses. Spaces, '?' and '#' are accepted as the original did (with a render warning).
 */
export const ingressPath = () =>
  z
    .string()
    .max(1024)
    .regex(INGRESS_PATH, { error: "must start with '/'" })
    .refine(isKubeIngressPath, { error: KUBE_PATH_MESSAGE })
    .meta({ 'x-kubernetes-validations': [{ rule: KUBE_PATH_CEL, message: KUBE_PATH_MESSAGE }] });

const HOST_MESSAGE = 'must be a DNS name such as mcp.example.com (optionally *.example.com), not an IP address';

/** Why `host` cannot be an Ingress rule host, or undefined when it can. */
export function ingressHostProblem(host: string): string | undefined {
  return host.length <= 253 && INGRESS_HOST.test(host) && !IPV4_LIKE.test(host) ? undefined : HOST_MESSAGE;
}

/** An Ingress host, or empty (the operator's default host, else any host). */
export const ingressHost = () =>
  z
    .string()
    .max(253)
    .regex(new RegExp(`^$|${INGRESS_HOST.source}`), { error: HOST_MESSAGE })
    .refine((h) => !IPV4_LIKE.test(h), { error: HOST_MESSAGE })
    .meta({ 'x-kubernetes-validations': [{ rule: `!self.matches(r'${IPV4_LIKE.source}')`, message: HOST_MESSAGE }] });

/** A DNS-1123 subdomain, or empty for "the default". */
export const dnsSubdomainOrDefault = () =>
  z
    .string()
    .max(253, { error: 'must be at most 253 characters' })
    .regex(new RegExp(`^$|${DNS1123_SUBDOMAIN.source}`), {
      error: `must be a DNS-1123 subdomain: lower-case letters, digits, '-' and '.'`,
    });

export const urlPath = () =>
  z
    .string()
    .max(1024)
    .regex(URL_PATH, { error: "must start with '/' and contain no spaces, '?' or '#'" });

export const envVarName = z
  .string()
  .min(1, { error: 'must not be empty' })
  .max(256)
  .regex(KUBE_ENV_VAR_NAME, { error: "must be printable ASCII without '=' (what Kubernetes accepts as an environment variable name)" });

const ANNOTATION_KEY_MESSAGE =
  'annotation keys must be [prefix/]name with a DNS subdomain prefix and a name of at most 63 characters';

// The original API took any number of annotations; Kubernetes caps their total at 256 KiB.
export const MAX_ANNOTATIONS = 256;
export const annotations = z
  .record(z.string().max(317).regex(ANNOTATION_KEY, { error: ANNOTATION_KEY_MESSAGE }), z.string().max(262144))
  // JSON Schema's propertyNames is not allowed in CRDs, so the key rule is CEL there (a raw string,
  // because CEL rejects escapes such as '\.' in ordinary string literals).
  .meta({
    maxProperties: MAX_ANNOTATIONS,
    'x-kubernetes-validations': [
      { rule: `self.all(k, k.size() <= 317 && k.matches(r'${ANNOTATION_KEY.source}'))`, message: ANNOTATION_KEY_MESSAGE },
    ],
  });
