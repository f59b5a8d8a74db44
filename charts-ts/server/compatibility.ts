/**
 * MCPServers the original (Go) API accepted but that do not say what they seem to. We keep the
 * original's group and version, so such objects are accepted and rendered by its rules; each
 * case yields a warning instead of a rejection. A warning reads `<Reason>: <message>`, Reason
 * being a CamelCase condition reason the operator can put on the status as it is.
 */
import { ENV_VAR_NAME, DNS1123_SUBDOMAIN, imageCarriesTagOrDigest, SPEC_DEFAULTS, type MCPServerSpec } from '../../src/api/v1alpha1/index.js';
import type { ImageSource } from '../../src/images/reference.js';
import type { OperatorSettings } from './settings.js';

/** Every reason a render warning can carry. */
export const RENDER_WARNING_REASONS = [
  // Compatibility with the original API (see README, "Compatibility with the original").
  'ImageTagIgnored',
  'RegistryOverrideIgnored',
  'ProvisionedRegistryMissing',
  'ZeroPortDefaulted',
  'DuplicateEnvVar',
  'NonPortableEnvVarName',
  'InvalidPullSecretName',
  'UnroutableIngressPath',
  // Rendering choices.
  'NoPathRewrite',
  'PathRewriteDropped',
  'ProbeFallback',
  // The gateway.
  'GatewayNotInstalled',
  'GatewayNeedsTraefik',
  'IngressAnnotationsUnused',
  'ToolPolicyNotEnforced',
  // Authentication (spec.auth).
  'AuthNotEnforced',
  'AuthOverPlainHttp',
  'AuthAudienceFromRequest',
  'ToolCallersWithoutAuth',
  // TLS (spec.tls).
  'TlsNotInstalled',
  // Found by the operator, not the renderer: spec.tls.issuer on a cluster without cert-manager's CRD.
  'CertManagerNotInstalled',
] as const;
export type RenderWarningReason = (typeof RENDER_WARNING_REASONS)[number];

export const renderWarning = (reason: RenderWarningReason, message: string): string => `${reason}: ${message}`;

/** Splits a warning back into its reason and message (for a condition or an Event). */
export function parseRenderWarning(warning: string): { reason: RenderWarningReason | 'Configuration'; message: string } {
  const colon = warning.indexOf(': ');
  const reason = colon < 0 ? '' : warning.slice(0, colon);
  return (RENDER_WARNING_REASONS as readonly string[]).includes(reason)
    ? { reason: reason as RenderWarningReason, message: warning.slice(colon + 2) }
    : { reason: 'Configuration', message: warning };
}

type Spec = Partial<MCPServerSpec> & Pick<MCPServerSpec, 'image'>;

const provisionedUrl = (settings: OperatorSettings): string | undefined => {
  const url = settings.provisionedRegistry?.url;
  return url === undefined || url === '' ? undefined : url;
};

/**
 * The image fields as the original read them: empty strings are unset, and useProvisionedRegistry
 * wins over registryOverride when the operator has a provisioned registry (the override is used
 * only when it has none).
 */
export function imageSourceByOriginalRules(spec: Spec, settings: OperatorSettings): ImageSource {
  const override = spec.registryOverride === '' ? undefined : spec.registryOverride;
  const provisionedWins = spec.useProvisionedRegistry === true && provisionedUrl(settings) !== undefined;
  return {
    image: spec.image,
    ...(spec.imageTag === undefined || spec.imageTag === '' ? {} : { imageTag: spec.imageTag }),
    ...(override === undefined || provisionedWins ? {} : { registryOverride: override }),
    ...(spec.useProvisionedRegistry === undefined ? {} : { useProvisionedRegistry: spec.useProvisionedRegistry }),
  };
}

/** Kubernetes lets a later env var of the same name win; server-side apply refuses duplicates. */
export function dedupeEnv<T extends { readonly name: string }>(env: readonly T[]): T[] {
  const last = new Map(env.map((e, i) => [e.name, i]));
  return env.filter((e, i) => last.get(e.name) === i);
}

export function compatibilityWarnings(spec: Spec, settings: OperatorSettings): string[] {
  const warnings: string[] = [];
  if (spec.imageTag !== undefined && spec.imageTag !== '' && imageCarriesTagOrDigest(spec.image)) {
    warnings.push(
      renderWarning('ImageTagIgnored', `imageTag "${spec.imageTag}" is ignored: image "${spec.image}" already carries a tag or digest`),
    );
  }
  if (spec.registryOverride !== undefined && spec.registryOverride !== '' && spec.useProvisionedRegistry === true) {
    const url = provisionedUrl(settings);
    warnings.push(
      url === undefined
        ? renderWarning(
            'ProvisionedRegistryMissing',
            `useProvisionedRegistry is set but the operator has no provisioned registry; registryOverride "${spec.registryOverride}" is used`,
          )
        : renderWarning(
            'RegistryOverrideIgnored',
            `registryOverride "${spec.registryOverride}" is ignored: useProvisionedRegistry moves the image to ${url}; set only one`,
          ),
    );
  }
  for (const [field, fallback] of [
    ['port', SPEC_DEFAULTS.port],
    ['servicePort', SPEC_DEFAULTS.servicePort],
  ] as const) {
    if (spec[field] === 0) warnings.push(renderWarning('ZeroPortDefaulted', `${field} 0 means the default ${fallback}; omit the field instead`));
  }
  const names = [...(spec.envVars ?? []).map((e) => e.name), ...(spec.secretEnvVars ?? []).map((e) => e.name)];
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  for (const [name, count] of counts) {
    if (count > 1) {
      warnings.push(
        renderWarning('DuplicateEnvVar', `environment variable ${name} is defined ${count} times in envVars/secretEnvVars; the last one wins`),
      );
    }
    if (!ENV_VAR_NAME.test(name)) {
      warnings.push(
        renderWarning(
          'NonPortableEnvVarName',
          `environment variable name "${name}" is not a C identifier: shells cannot read it, and clusters before Kubernetes 1.32 refuse it`,
        ),
      );
    }
  }
  for (const secret of spec.imagePullSecrets ?? []) {
    if (secret !== '' && !(secret.length <= 253 && DNS1123_SUBDOMAIN.test(secret))) {
      warnings.push(renderWarning('InvalidPullSecretName', `imagePullSecrets entry "${secret}" is not a valid Secret name; no Secret can match it`));
    }
  }
  if (spec.ingressPath !== undefined && /[\s?#]/.test(spec.ingressPath)) {
    warnings.push(
      renderWarning(
        'UnroutableIngressPath',
        `ingressPath "${spec.ingressPath}" contains whitespace, '?' or '#', which no request path does: the route never matches`,
      ),
    );
  }
  return warnings;
}
