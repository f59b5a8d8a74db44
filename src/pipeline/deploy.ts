/**
 * `pipeline deploy` and `pipeline diff`: server-side apply of validated MCPServer manifests.
 *
 * Deploy is all-or-nothing as far as the API server lets us check: every object is first
 * applied as a server-side dry run (schema, CEL rules, RBAC, admission), and only when all of
 * them pass are they applied for real. Missing namespaces are created (with the `restricted`
 * Pod Security labels) just before the real apply.
 */
import { API_VERSION, KIND } from '../api/v1alpha1/group.js';
import { namespaceObject, namespaceState, type NamespaceState } from '../cluster/namespaces.js';
import { applyWithOutcome, comparable, describeObject, CLI_FIELD_MANAGER, type ApplyOutcome, type ApplyResult } from '../kube/apply.js';
import { ApiError, ForbiddenError, InContextError } from '../kube/errors.js';
import type { KubeObject, KubeRest } from '../kube/rest.js';
import { diffObjects, type FieldChange } from './field-diff.js';
import type { LoadedManifest } from './manifests.js';
import { pruneServers, type PrunedObject } from './prune.js';
import { withSource, type DeploySource } from './source.js';

export interface DeployOptions {
  dryRun?: boolean;
  /** Take over fields owned by another field manager. */
  force?: boolean;
  fieldManager?: string;
  /** Labels every object with its source (always set by the CLI), so a later prune can find it. */
  source?: DeploySource;
  /** After applying, delete the MCPServers of `source` the folder no longer defines. Needs `source`. */
  prune?: boolean;
}

export interface NamespaceResult {
  name: string;
  /** created: did not exist and was (or, in a dry run, would be) created. */
  outcome: 'created' | 'exists' | 'unknown';
}

export interface ObjectResult {
  ref: string;
  file: string;
  outcome: ApplyOutcome;
  note?: string;
}

export interface DeployReport {
  dryRun: boolean;
  namespaces: NamespaceResult[];
  objects: ObjectResult[];
  /** Servers removed by `prune` (or that would be, in a dry run). */
  pruned: PrunedObject[];
}

/** Re-throws an error naming the file and object it came from (the CLI maps the cause to an exit code). */
function inContext(error: unknown, manifest: LoadedManifest | undefined, what: string, applied: boolean): never {
  const where = manifest !== undefined ? `${manifest.file}:${manifest.line}: ${describeObject(manifest.object)}: ` : `${what}: `;
  throw new InContextError(where, applied ? '' : '\nNothing was applied.', error);
}

async function ensureApiInstalled(rest: KubeRest): Promise<void> {
  await rest.mapper.resolve(API_VERSION, KIND); // KindNotServedError → "run mcp-runtime setup"
}

async function namespaceStates(rest: KubeRest, manifests: readonly LoadedManifest[]): Promise<Map<string, NamespaceState>> {
  const states = new Map<string, NamespaceState>();
  for (const name of [...new Set(manifests.map((m) => m.object.metadata.namespace))].sort()) {
    states.set(name, await namespaceState(rest, name));
  }
  return states;
}

async function createNamespace(rest: KubeRest, name: string, options: DeployOptions): Promise<void> {
  try {
    await applyWithOutcome(rest, namespaceObject(name), { dryRun: options.dryRun, fieldManager: options.fieldManager ?? CLI_FIELD_MANAGER });
  } catch (error) {
    if (error instanceof ApiError && error.code === 403) {
      throw new ForbiddenError(
        `namespace "${name}" does not exist and ${rest.userName} may not create namespaces (403). ` +
          `Ask a cluster admin to create it (or to run \`mcp-runtime cluster init\`), or set metadata.namespace to an existing namespace.` +
          (options.dryRun === true ? '' : '\nNothing was applied.'),
      );
    }
    inContext(error, undefined, `creating namespace ${name}`, false);
  }
}

function namespaceNote(ns: string): string {
  return `namespace ${ns} does not exist yet, so the server could not check this object in a dry run`;
}

export async function deployManifests(rest: KubeRest, given: readonly LoadedManifest[], options: DeployOptions = {}): Promise<DeployReport> {
  const dryRun = options.dryRun === true;
  const source = options.source;
  if (options.prune === true && source === undefined) throw new Error('deployManifests: prune needs a source');
  const manifests = source === undefined ? given : given.map((m) => ({ ...m, object: withSource(m.object, source) }));
  const manager = options.fieldManager ?? CLI_FIELD_MANAGER;
  await ensureApiInstalled(rest);
  const states = await namespaceStates(rest, manifests);
  const missing = [...states].filter(([, s]) => s === 'missing').map(([n]) => n);

  // 1. Dry run of everything the server can check: nothing is written if any object fails.
  for (const ns of missing) await createNamespace(rest, ns, { ...options, dryRun: true });
  const preflight = new Map<LoadedManifest, ApplyResult>();
  for (const m of manifests) {
    if (states.get(m.object.metadata.namespace) === 'missing') continue;
    try {
      preflight.set(m, await applyWithOutcome(rest, m.object, { dryRun: true, force: options.force, fieldManager: manager }));
    } catch (error) {
      inContext(error, m, '', false);
    }
  }

  const report: DeployReport = {
    dryRun,
    namespaces: [...states].map(([name, s]) => ({ name, outcome: s === 'missing' ? 'created' : s })),
    objects: [],
    pruned: [],
  };
  if (dryRun) {
    for (const m of manifests) {
      const result = preflight.get(m);
      report.objects.push(
        result !== undefined
          ? { ref: describeObject(m.object), file: m.file, outcome: result.outcome }
          : { ref: describeObject(m.object), file: m.file, outcome: 'created', note: namespaceNote(m.object.metadata.namespace) },
      );
    }
    if (options.prune === true) report.pruned = await pruneServers(rest, source!, manifests.map((m) => m.object), { dryRun: true });
    return report;
  }

  // 2. The real thing.
  for (const ns of missing) await createNamespace(rest, ns, options);
  let applied = false;
  for (const m of manifests) {
    try {
      const result = await applyWithOutcome(rest, m.object, { force: options.force, fieldManager: manager });
      applied ||= result.outcome !== 'unchanged';
      report.objects.push({ ref: describeObject(m.object), file: m.file, outcome: result.outcome });
    } catch (error) {
      inContext(error, m, '', applied || missing.length > 0);
    }
  }
  // Only once everything applied: a failed deploy never removes a server.
  if (options.prune === true) report.pruned = await pruneServers(rest, source!, manifests.map((m) => m.object));
  return report;
}

export interface ObjectDiff {
  ref: string;
  file: string;
  outcome: ApplyOutcome;
  changes: FieldChange[];
  note?: string;
}

/** What `deploy` would change, per object, as field changes (server-side dry run vs live). */
export async function diffManifests(rest: KubeRest, given: readonly LoadedManifest[], options: DeployOptions = {}): Promise<ObjectDiff[]> {
  await ensureApiInstalled(rest);
  // Compare what deploy would apply, source label included (else the label shows as removed).
  const source = options.source;
  const manifests = source === undefined ? given : given.map((m) => ({ ...m, object: withSource(m.object, source) }));
  const states = await namespaceStates(rest, manifests);
  const diffs: ObjectDiff[] = [];
  for (const m of manifests) {
    const ref = describeObject(m.object);
    const ns = m.object.metadata.namespace;
    if (states.get(ns) === 'missing') {
      diffs.push({ ref, file: m.file, outcome: 'created', changes: diffObjects(undefined, comparable(m.object)), note: `${namespaceNote(ns)}; deploy creates the namespace` });
      continue;
    }
    let result: ApplyResult;
    try {
      result = await applyWithOutcome(rest, m.object, { dryRun: true, force: options.force, fieldManager: options.fieldManager ?? CLI_FIELD_MANAGER });
    } catch (error) {
      inContext(error, m, '', true);
    }
    diffs.push({ ref, file: m.file, outcome: result.outcome, changes: diffObjects(comparable(result.before), comparable(result.after) as KubeObject) });
  }
  return diffs;
}
