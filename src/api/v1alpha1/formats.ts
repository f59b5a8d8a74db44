/**
 * Building blocks for field validation. Each schema here carries a message a user can act on,
 * and each regular expression is the one the API server (and kubectl) applies, so a manifest
 * the CLI accepts is one the cluster accepts.
 */
import { z } from 'zod';

// RFC 1123 label: what Kubernetes requires of names of Services, namespaces and our servers.
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
// RFC 1123 subdomain: names of Secrets, ConfigMaps and most objects.
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
// Kubernetes resource.Quantity (the serialized form: number with optional SI / binary suffix).
export const QUANTITY =
  /^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$/;
// C identifier, the portable env var name (POSIX; Kubernetes is laxer, but shells are not).
export const ENV_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Secret / ConfigMap data key.
export const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
// Annotation key: optional DNS subdomain prefix + '/' + a qualified name of up to 63 chars.
export const ANNOTATION_KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
// Host name for an Ingress rule: a DNS subdomain, optionally with a leading '*.' wildcard.
export const INGRESS_HOST = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
// URL path: starts with '/', no whitespace, no query or fragment.
export const URL_PATH = /^\/[^\s?#]*$/;
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

export const port = () =>
  z
    .number()
    .int()
    .min(1, { error: 'must be at least 1' })
    .max(65535, { error: 'must be at most 65535' });

export const quantity = () =>
  z
    .string({ error: 'must be a quoted Kubernetes quantity such as "500m" or "256Mi"' })
    .max(64)
    .regex(QUANTITY, { error: 'must be a Kubernetes quantity such as "500m", "1" or "256Mi"' });

export const urlPath = () =>
  z
    .string()
    .max(1024)
    .regex(URL_PATH, { error: "must start with '/' and contain no spaces, '?' or '#'" });

export const envVarName = z
  .string()
  .min(1)
  .max(256)
  .regex(ENV_VAR_NAME, { error: 'must be a valid environment variable name (letters, digits, _; not starting with a digit)' });

const ANNOTATION_KEY_MESSAGE =
  'annotation keys must be [prefix/]name with a DNS subdomain prefix and a name of at most 63 characters';

export const annotations = z
  .record(z.string().max(317).regex(ANNOTATION_KEY, { error: ANNOTATION_KEY_MESSAGE }), z.string().max(65536))
  // JSON Schema's propertyNames is not allowed in CRDs, so the key rule is CEL there (a raw string,
  // because CEL rejects escapes such as '\.' in ordinary string literals).
  .meta({
    maxProperties: 64,
    'x-kubernetes-validations': [
      { rule: `self.all(k, k.size() <= 317 && k.matches(r'${ANNOTATION_KEY.source}'))`, message: ANNOTATION_KEY_MESSAGE },
    ],
  });
