/**
 * The operator's run-time configuration: environment variables (what the platform chart sets)
 * overridden by command-line flags. Invalid values fail at start-up with the variable's name.
 */
import { z } from 'zod';
import { defaultOperatorSettings, OPERATOR_ENV, operatorSettingsProblems, type OperatorSettings } from '../../charts-ts/server/settings.js';
import { dnsLabel, VERIFICATION_INTERVAL_BOUNDS } from '../api/v1alpha1/index.js';
import type { IngressReadiness } from './status.js';

export const OPERATOR_RUNTIME_ENV = {
  ingressReadiness: 'INGRESS_READINESS',
  concurrency: 'OPERATOR_CONCURRENCY',
  namespaces: 'WATCH_NAMESPACES',
  metricsAddress: 'METRICS_BIND_ADDRESS',
  healthAddress: 'HEALTH_PROBE_BIND_ADDRESS',
  leaderElect: 'LEADER_ELECT',
  leaseNamespace: 'LEADER_ELECTION_NAMESPACE',
  identity: 'POD_NAME',
  resyncSeconds: 'RESYNC_PERIOD_SECONDS',
  verify: 'VERIFY_SERVERS',
  verifyIntervalSeconds: 'VERIFY_INTERVAL_SECONDS',
  verifyTimeoutSeconds: 'VERIFY_TIMEOUT_SECONDS',
  verifyConcurrency: 'VERIFY_CONCURRENCY',
} as const;

const address = z.string().regex(/^([0-9.]*|\[[0-9a-f:]*\]|[a-z0-9.-]*):\d{1,5}$/, { error: 'must be [host]:port, e.g. :8080' });

const RuntimeSchema = z.object({
  ingressReadiness: z.enum(['strict', 'permissive']).default('strict'),
  concurrency: z.coerce.number().int().min(1).max(64).default(4),
  namespaces: z.array(dnsLabel()).default([]),
  metricsAddress: address.default(':8080'),
  healthAddress: address.default(':8081'),
  leaderElect: z.boolean().default(true),
  leaseNamespace: dnsLabel().default('mcp-runtime'),
  leaseName: dnsLabel().default('mcp-runtime-operator'),
  identity: z.string().min(1).optional(),
  resyncSeconds: z.coerce.number().int().min(0).default(600),
  // Verification dials every ready pod: on by default; off where pods are simulated (KWOK).
  verify: z.boolean().default(true),
  verifyIntervalSeconds: z.coerce.number().int().min(VERIFICATION_INTERVAL_BOUNDS.min).max(VERIFICATION_INTERVAL_BOUNDS.max).default(300),
  verifyTimeoutSeconds: z.coerce.number().int().min(1).max(120).default(10),
  verifyConcurrency: z.coerce.number().int().min(1).max(64).default(4),
});

export interface OperatorConfig extends z.output<typeof RuntimeSchema> {
  readonly ingressReadiness: IngressReadiness;
  readonly settings: OperatorSettings;
}

export type OperatorFlags = Partial<z.input<typeof RuntimeSchema>> & {
  defaultIngressHost?: string;
  defaultIngressClass?: string;
  /** The platform gateway's Service, `namespace/name:port` (MCP_GATEWAY_SERVICE). */
  gatewayService?: string;
};

export class ConfigError extends Error {}

const list = (raw: string | undefined) =>
  raw === undefined || raw.trim() === '' ? undefined : raw.split(',').map((s) => s.trim()).filter(Boolean);

const bool = (raw: string | undefined) => (raw === undefined || raw === '' ? undefined : !/^(false|0|no|off)$/i.test(raw));

/** Merges env and flags (flags win) and validates. Pure: reads only its arguments. */
export function loadOperatorConfig(env: Record<string, string | undefined>, flags: OperatorFlags = {}): OperatorConfig {
  const e = OPERATOR_RUNTIME_ENV;
  const fromEnv = {
    ingressReadiness: env[e.ingressReadiness] || undefined,
    concurrency: env[e.concurrency] || undefined,
    namespaces: list(env[e.namespaces]),
    metricsAddress: env[e.metricsAddress] || undefined,
    healthAddress: env[e.healthAddress] || undefined,
    leaderElect: bool(env[e.leaderElect]),
    leaseNamespace: env[e.leaseNamespace] || undefined,
    identity: env[e.identity] || undefined,
    resyncSeconds: env[e.resyncSeconds] || undefined,
    verify: bool(env[e.verify]),
    verifyIntervalSeconds: env[e.verifyIntervalSeconds] || undefined,
    verifyTimeoutSeconds: env[e.verifyTimeoutSeconds] || undefined,
    verifyConcurrency: env[e.verifyConcurrency] || undefined,
  };
  const { defaultIngressHost, defaultIngressClass, gatewayService, ...runtimeFlags } = flags;
  const merged = { ...stripUndefined(fromEnv), ...stripUndefined(runtimeFlags) };
  const parsed = RuntimeSchema.safeParse(merged);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const field = String(issue.path[0] ?? '');
      const envName = (e as Record<string, string>)[field];
      return `${field}${envName === undefined ? '' : ` (${envName})`}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid operator configuration:\n  ${problems.join('\n  ')}`);
  }
  const settings = defaultOperatorSettings({
    ...env,
    ...(defaultIngressHost === undefined ? {} : { MCP_DEFAULT_INGRESS_HOST: defaultIngressHost }),
    ...(defaultIngressClass === undefined ? {} : { DEFAULT_INGRESS_CLASS: defaultIngressClass }),
    ...(gatewayService === undefined ? {} : { [OPERATOR_ENV.gatewayService]: gatewayService }),
  });
  // Settings no server could be rendered with stop the operator at start, naming the variable.
  const fatal: Record<string, string> = { [OPERATOR_ENV.gatewayService]: 'gatewayService', [OPERATOR_ENV.ingressNamespace]: 'ingressNamespace', [OPERATOR_ENV.operatorNamespace]: 'operatorNamespace' };
  const settingProblems = operatorSettingsProblems(settings).filter((p) => fatal[p.env] !== undefined);
  if (settingProblems.length > 0) {
    throw new ConfigError(`Invalid operator configuration:\n  ${settingProblems.map((p) => `${fatal[p.env]} (${p.env}) ${JSON.stringify(p.value)}: ${p.message}`).join('\n  ')}`);
  }
  return { ...parsed.data, settings };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
