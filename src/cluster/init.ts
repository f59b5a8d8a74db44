/**
 * `cluster init`: the MCPServer CRD (from mcpServerCrd(), the same object `crds/` holds) and
 * the platform namespaces with their Pod Security labels (from the platform chart), by
 * server-side apply. Idempotent; a dry run shows what would change.
 */
import { mcpServerCrd } from '../api/v1alpha1/crd.js';
import { CRD_NAME } from '../api/v1alpha1/group.js';
import { applyWithOutcome, CLI_FIELD_MANAGER, describeObject, type ApplyResult } from '../kube/apply.js';
import type { KubeObject, KubeRest } from '../kube/rest.js';
import { pollUntil } from '../kube/wait.js';

/** The namespaces chart of the platform (every namespace `setup` would create). */
export async function platformNamespaceObjects(): Promise<KubeObject[]> {
  const { renderPlatform } = await import('../../charts-ts/platform/index.js');
  const chart = renderPlatform({}).find((c) => c.name === 'namespaces');
  return (chart?.objects ?? []) as KubeObject[];
}

export interface InitOptions {
  dryRun?: boolean;
  timeoutMs?: number;
}

export interface InitResult {
  results: ApplyResult[];
}

export async function waitCrdEstablished(rest: KubeRest, name: string, timeoutMs: number): Promise<void> {
  await pollUntil(
    async () => {
      const crd = await rest.find<KubeObject & { status?: { conditions?: { type: string; status: string }[] } }>(
        `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`,
      );
      return crd?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') === true ? true : undefined;
    },
    () => `CRD ${name} is not Established`,
    { timeoutMs, intervalMs: 250 },
  );
}

export async function clusterInit(rest: KubeRest, options: InitOptions = {}): Promise<InitResult> {
  const objects: KubeObject[] = [...(await platformNamespaceObjects()), mcpServerCrd() as KubeObject];
  const results: ApplyResult[] = [];
  for (const obj of objects) {
    results.push(await applyWithOutcome(rest, obj, { dryRun: options.dryRun, fieldManager: CLI_FIELD_MANAGER }));
  }
  if (options.dryRun !== true) await waitCrdEstablished(rest, CRD_NAME, options.timeoutMs ?? 60_000);
  return { results };
}

/** `created  CustomResourceDefinition mcpservers.mcp.agent-hellboy.io` lines (pure). */
export function renderApplyResults(results: readonly ApplyResult[], dryRun: boolean): string[] {
  return results.map((r) => `${`${r.outcome}${dryRun ? ' (dry run)' : ''}`.padEnd(dryRun ? 21 : 11)}${describeObject(r.object)}`);
}
