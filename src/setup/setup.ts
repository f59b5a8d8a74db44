/**
 * `setup`: installs the platform (namespaces, CRDs, operator, registry, Traefik) by
 * server-side applying the objects the platform chart renders (charts-ts/platform), in chart
 * order, then waits until its Deployments are available.
 *
 * Idempotent: a second run applies the same objects, the API server finds nothing to change,
 * and the report says "no changes". `dryRun` sends every apply with dryRun=All and reports
 * what would change (field by field) without writing anything.
 */
import type { PlatformOptions } from '../../charts-ts/platform/options.js';
import { applyWithOutcome, CLI_FIELD_MANAGER, comparable, describeObject, type ApplyOutcome } from '../kube/apply.js';
import { ApiError, ApplyFailedError, KindNotServedError, TimeoutError, UsageError } from '../kube/errors.js';
import type { KubeObject, KubeRest } from '../kube/rest.js';
import { pollUntil } from '../kube/wait.js';
import { diffObjects, type FieldChange } from '../pipeline/field-diff.js';
import { summarizeDeployment, readDeployment, type DeploymentSummary } from '../status/deployments.js';
import { explainUnavailable } from '../status/pod-problems.js';
import { waitCrdEstablished } from '../cluster/init.js';

export interface SetupOptions {
  ingress: 'traefik' | 'none';
  /** The platform knobs `setup` shares with `synth` (src/cli/platform-flags.ts); `ingress` above wins. */
  platform?: Omit<PlatformOptions, 'registry' | 'operatorImage' | 'ingress'>;
  forceIngressInstall: boolean;
  /** undefined: external when `registry provision` stored one, else internal. */
  registry?: 'internal' | 'external';
  operatorImage?: string;
  dryRun: boolean;
  wait: boolean;
  timeoutMs: number;
  /** Progress lines (decisions, per-object results). */
  log: (line: string) => void;
  /** Readiness snapshots while waiting. */
  onWait?: (snapshot: DeploymentSummary[], elapsedMs: number) => void;
}

export interface Decision {
  registry: { mode: 'internal' } | { mode: 'external'; url: string; username?: string; secret: string };
  ingress: 'traefik' | 'none';
  /** Why Traefik is not installed although asked for. */
  ingressSkipped?: string;
  operatorImage?: string;
}

export interface ObjectReport {
  ref: string;
  outcome: ApplyOutcome;
  /** Field changes (dry run only, for configured objects). */
  changes?: FieldChange[];
  note?: string;
}

export interface SetupReport {
  decision: Decision;
  objects: ObjectReport[];
  counts: Record<ApplyOutcome, number>;
  dryRun: boolean;
  /** Deployments waited for, as last seen. */
  deployments: DeploymentSummary[];
  endpoints: string[];
}

interface IngressClassObject extends KubeObject {
  spec?: { controller?: string };
}

async function decide(rest: KubeRest, options: SetupOptions): Promise<Decision> {
  const { readProvisionedRegistry } = await import('../registry/provision.js');
  let provisioned: Awaited<ReturnType<typeof readProvisionedRegistry>>;
  try {
    provisioned = await readProvisionedRegistry(rest.client);
  } catch (error) {
    if ((error as { code?: unknown }).code === 403) provisioned = undefined;
    else throw error;
  }
  let registry: Decision['registry'];
  if (options.registry === 'external' || (options.registry === undefined && provisioned !== undefined)) {
    if (provisioned === undefined) {
      throw new UsageError(
        '--registry external needs a registry stored with `mcp-runtime registry provision --url <registry>` ' +
          '(Secret mcp-runtime/mcp-runtime-registry not found or not readable).',
      );
    }
    registry = {
      mode: 'external',
      url: provisioned.url,
      ...(provisioned.username === undefined ? {} : { username: provisioned.username }),
      secret: provisioned.secretName,
    };
  } else {
    registry = { mode: 'internal' };
  }
  const operatorImage = options.operatorImage ?? provisioned?.operatorImage ?? (process.env.OPERATOR_IMG || undefined);
  const decision: Decision = { registry, ingress: options.ingress, ...(operatorImage !== undefined ? { operatorImage } : {}) };
  if (options.ingress === 'traefik' && !options.forceIngressInstall) {
    let classes: IngressClassObject[] = [];
    try {
      classes = await rest.list<IngressClassObject>('/apis/networking.k8s.io/v1/ingressclasses');
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 403)) throw error;
    }
    const foreign = classes.filter((c) => c.metadata?.labels?.['app.kubernetes.io/managed-by'] !== 'mcp-runtime');
    if (foreign.length > 0) {
      decision.ingress = 'none';
      decision.ingressSkipped =
        `IngressClass ${foreign.map((c) => `${c.metadata?.name} (${c.spec?.controller ?? '?'})`).join(', ')} already exists; ` +
        'not installing Traefik (pass --force-ingress-install to install it anyway)';
    }
  }
  return decision;
}

export async function renderObjects(decision: Decision, options: SetupOptions): Promise<{ objects: KubeObject[]; crds: string[] }> {
  const { renderPlatform } = await import('../../charts-ts/platform/index.js');
  const charts = renderPlatform({
    ...options.platform,
    ingress: decision.ingress,
    registry:
      decision.registry.mode === 'internal'
        ? 'internal'
        : {
            url: decision.registry.url,
            // The operator needs the user too: it writes pull Secrets only with user and password.
            ...(decision.registry.username === undefined ? {} : { username: decision.registry.username }),
            passwordSecret: decision.registry.secret,
          },
    ...(decision.operatorImage !== undefined ? { operatorImage: decision.operatorImage } : {}),
  });
  const objects = charts.flatMap((c) => c.objects as KubeObject[]);
  const crds = objects.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => o.metadata?.name ?? '');
  return { objects, crds };
}

/** The username of an external registry comes from the Secret at run time; nothing secret is rendered. */
/** What one setup run learned while applying, shared by its apply passes. */
interface ApplyState {
  /** Dry run: namespaces and CRDs that do not exist yet (objects in them cannot be checked). */
  readonly newNamespaces: Set<string>;
  readonly newKinds: Set<string>;
  crdsWaited: boolean;
}

const applyState = (): ApplyState => ({ newNamespaces: new Set(), newKinds: new Set(), crdsWaited: false });

async function applyAll(rest: KubeRest, objects: readonly KubeObject[], crds: readonly string[], options: SetupOptions, state: ApplyState = applyState()): Promise<ObjectReport[]> {
  const reports: ObjectReport[] = [];
  const { newNamespaces, newKinds } = state;
  for (const obj of objects) {
    const ref = describeObject(obj);
    const ns = obj.metadata?.namespace;
    if (options.dryRun && ns !== undefined && newNamespaces.has(ns)) {
      const note = `namespace ${ns} is new: not checked by the server`;
      reports.push({ ref, outcome: 'created', note });
      options.log(`${'created'.padEnd(10)} ${ref} (dry run; ${note})`);
      continue;
    }
    if (!options.dryRun && !state.crdsWaited && obj.kind !== 'Namespace' && obj.kind !== 'CustomResourceDefinition') {
      for (const name of crds) await waitCrdEstablished(rest, name, Math.min(options.timeoutMs, 60_000));
      state.crdsWaited = true;
    }
    try {
      const result = await applyWithOutcome(rest, obj, { dryRun: options.dryRun, fieldManager: CLI_FIELD_MANAGER });
      const report: ObjectReport = { ref, outcome: result.outcome };
      if (options.dryRun && result.outcome === 'configured') report.changes = diffObjects(comparable(result.before), comparable(result.after));
      if (options.dryRun && result.outcome === 'created' && obj.kind === 'Namespace') newNamespaces.add(obj.metadata?.name ?? '');
      if (options.dryRun && result.outcome === 'created' && obj.kind === 'CustomResourceDefinition') newKinds.add(obj.metadata?.name ?? '');
      reports.push(report);
      options.log(`${result.outcome.padEnd(10)} ${ref}${options.dryRun ? ' (dry run)' : ''}`);
    } catch (error) {
      if (options.dryRun && error instanceof KindNotServedError && newKinds.size > 0) {
        const note = 'its CRD is new: not checked by the server';
        reports.push({ ref, outcome: 'created', note });
        options.log(`${'created'.padEnd(10)} ${ref} (dry run; ${note})`);
        continue;
      }
      if (error instanceof ApiError || error instanceof KindNotServedError) throw new ApplyFailedError(ref, error);
      throw error;
    }
  }
  return reports;
}

interface PvcObject extends KubeObject {
  status?: { phase?: string };
}

async function waitForDeployments(rest: KubeRest, targets: readonly KubeObject[], options: SetupOptions): Promise<DeploymentSummary[]> {
  let snapshot: DeploymentSummary[] = [];
  const started = Date.now();
  const read = async () => {
    snapshot = [];
    for (const t of targets) {
      const ns = t.metadata?.namespace ?? '';
      const name = t.metadata?.name ?? '';
      const d = await readDeployment(rest, ns, name);
      const r = d === undefined ? { namespace: ns, name, available: false, ready: 0, desired: 0, reason: 'not found' } : summarizeDeployment(d);
      if (d !== undefined) await explainUnavailable(rest, d, r);
      if (!r.available && ns === 'registry') {
        const pvc = await rest.find<PvcObject>(`/api/v1/namespaces/registry/persistentvolumeclaims/registry-data`).catch(() => undefined);
        if (pvc?.status?.phase === 'Pending') {
          r.reason = `${r.reason ?? ''}; PVC registry/registry-data is Pending (does the cluster have a default StorageClass?)`;
        }
      }
      snapshot.push(r);
    }
    options.onWait?.(snapshot, Date.now() - started);
    return snapshot.every((s) => s.available) ? snapshot : undefined;
  };
  try {
    return await pollUntil(read, () => describeWaiting(snapshot), { timeoutMs: options.timeoutMs, intervalMs: 1000 });
  } catch (error) {
    if (error instanceof TimeoutError) {
      throw new TimeoutError(
        `${error.message}\nThe platform objects were applied; check with \`mcp-runtime status\` and run setup again (or raise --timeout).`,
      );
    }
    throw error;
  }
}

export function describeWaiting(snapshot: readonly DeploymentSummary[]): string {
  return snapshot
    .filter((s) => !s.available)
    .map((s) => `${s.namespace}/${s.name} ${s.ready}/${s.desired}${s.reason !== undefined ? ` (${s.reason})` : ''}`)
    .join(', ');
}

interface ServiceObject extends KubeObject {
  spec?: { type?: string; clusterIP?: string; ports?: { port: number; nodePort?: number; name?: string }[] };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
}

async function endpoints(rest: KubeRest, decision: Decision, options: SetupOptions): Promise<string[]> {
  const { REGISTRY_NAME, REGISTRY_PORT, OPERATOR_NAME, NAMESPACES } = await import('../../charts-ts/platform/index.js');
  const lines: string[] = [];
  if (decision.registry.mode === 'internal') {
    lines.push(`Registry:  ${REGISTRY_NAME}.${NAMESPACES.registry}.svc.cluster.local:${REGISTRY_PORT} (in-cluster; \`mcp-runtime registry info\` for push access)`);
  } else {
    lines.push(`Registry:  ${decision.registry.url} (external, from \`registry provision\`)`);
  }
  lines.push(`Operator:  Deployment ${NAMESPACES.operator}/${OPERATOR_NAME}`);
  if (decision.ingress === 'traefik') {
    const svc = await rest.find<ServiceObject>(`/api/v1/namespaces/${NAMESPACES.traefik}/services/traefik`).catch(() => undefined);
    const lb = (svc?.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? i.hostname).filter((a): a is string => a !== undefined);
    const nodePort = svc?.spec?.ports?.find((p) => p.name === 'web')?.nodePort;
    const host = options.platform?.defaultIngressHost ?? lb[0];
    if (host !== undefined) lines.push(`Ingress:   Traefik, servers at http://${host}/<server>/mcp`);
    else {
      lines.push(
        `Ingress:   Traefik (Service ${NAMESPACES.traefik}/traefik, type ${svc?.spec?.type ?? '?'}: no external address yet` +
          `${nodePort !== undefined ? `; NodePort ${nodePort}` : ''}); servers at http://<address>/<server>/mcp`,
      );
    }
  } else {
    lines.push(`Ingress:   not installed by setup${decision.ingressSkipped !== undefined ? ' (an IngressClass exists)' : ' (--ingress none)'}; servers use IngressClass ${'traefik'} unless they set ingressClass`);
  }
  lines.push(`Servers:   namespace ${NAMESPACES.servers}; deploy with \`mcp-runtime pipeline deploy --dir manifests/\``);
  return lines;
}

/**
 * A Service's ClusterIP cannot change: say so, and how to get the one asked for, before
 * anything is applied (instead of the API server's "may not change once set" halfway through).
 */
async function refuseRegistryClusterIPChange(rest: KubeRest, wanted: string | undefined): Promise<void> {
  if (wanted === undefined) return;
  const { REGISTRY_NAME, NAMESPACES } = await import('../../charts-ts/platform/index.js');
  const service = await rest.find<ServiceObject>(`/api/v1/namespaces/${NAMESPACES.registry}/services/${REGISTRY_NAME}`);
  const current = service?.spec?.clusterIP;
  if (current === undefined || current === '' || current === wanted) return;
  throw new UsageError(
    `--registry-cluster-ip ${wanted}: Service ${NAMESPACES.registry}/${REGISTRY_NAME} already has ClusterIP ${current}, and a ClusterIP cannot change. ` +
      `Delete that Service (\`kubectl -n ${NAMESPACES.registry} delete service ${REGISTRY_NAME}\`; images and the registry's volume stay) and run setup again, ` +
      `or leave out --registry-cluster-ip.`,
  );
}

export async function setupPlatform(rest: KubeRest, options: SetupOptions): Promise<SetupReport> {
  await rest.version(); // unreachable → clear error before anything else
  const decision = await decide(rest, options);
  if (decision.ingressSkipped !== undefined) options.log(`note: ${decision.ingressSkipped}`);
  if (decision.registry.mode === 'external') options.log(`note: using the external registry ${decision.registry.url}; the in-cluster registry is not installed`);
  const { objects, crds } = await renderObjects(decision, options);
  if (decision.registry.mode === 'internal') await refuseRegistryClusterIPChange(rest, options.platform?.registryClusterIP);
  // The gateway's key Secret must exist before its pods start (they mount it), and is made
  // here rather than rendered: a key in a manifest would be a key in every `synth` output.
  const gatewayNamespace = objects.find((o) => o.kind === 'Deployment' && o.metadata?.name === 'mcp-gateway')?.metadata?.namespace;
  const beforeGateway = gatewayNamespace === undefined ? objects.length : objects.findIndex((o) => o.metadata?.namespace === gatewayNamespace && o.kind !== 'Namespace');
  const state = applyState();
  const reports = await applyAll(rest, objects.slice(0, beforeGateway), crds, options, state);
  if (gatewayNamespace !== undefined) {
    const { ensureGatewaySessionKeys } = await import('./gateway-keys.js');
    const outcome = state.newNamespaces.has(gatewayNamespace) ? 'created' : await ensureGatewaySessionKeys(rest, gatewayNamespace, options.dryRun);
    const ref = `Secret ${gatewayNamespace}/mcp-gateway-session-keys`;
    reports.push({ ref, outcome, note: 'random session-sealing key, kept across setups' });
    options.log(`${outcome.padEnd(10)} ${ref}${options.dryRun ? ' (dry run)' : ''}`);
    reports.push(...(await applyAll(rest, objects.slice(beforeGateway), crds, options, state)));
  }
  const counts: Record<ApplyOutcome, number> = { created: 0, configured: 0, unchanged: 0 };
  for (const r of reports) counts[r.outcome]++;
  const deploymentsToWait = objects.filter((o) => o.kind === 'Deployment');
  let deployments: DeploymentSummary[] = [];
  if (!options.dryRun && options.wait) deployments = await waitForDeployments(rest, deploymentsToWait, options);
  return {
    decision,
    objects: reports,
    counts,
    dryRun: options.dryRun,
    deployments,
    endpoints: options.dryRun ? [] : await endpoints(rest, decision, options),
  };
}
