/**
 * `synth --servers`: each MCPServer's objects through renderServer() — the function the
 * operator calls — into `<namespace>.<name>.yaml`, plus a kustomization. Pure: the caller reads
 * the manifests and writes the files.
 */
import { isDeepStrictEqual } from 'node:util';
import { DEFAULT_SERVER_NAMESPACE } from '../api/v1alpha1/index.js';
import { renderServerWithResolution, type OperatorSettings, type RenderedObject } from '../../charts-ts/server/index.js';
import { InvalidImageReferenceError } from '../images/reference.js';
import type { LoadedServer } from './manifests.js';
import type { FileSet } from './output.js';
import { ManifestError, type ManifestProblem } from './problems.js';
import { KUSTOMIZATION_FILE, kustomizationYaml, toYamlDocuments } from './yaml.js';

export interface ServerSynth {
  readonly files: FileSet;
  /** Files that contain a Secret (write them 0600, and never print them). */
  readonly privateFiles: ReadonlySet<string>;
  /** resolveServer() warnings, prefixed with the server they concern. */
  readonly warnings: readonly string[];
}

const objectKey = (o: RenderedObject) => `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

export function synthServers(servers: readonly LoadedServer[], settings: OperatorSettings): ServerSynth {
  const files = new Map<string, string>();
  const privateFiles = new Set<string>();
  const warnings: string[] = [];
  const problems: ManifestProblem[] = [];
  // Servers of one namespace share the generated pull Secret: emit it once (kustomize rejects
  // duplicate objects), and refuse objects that collide with different content.
  const emitted = new Map<string, { object: RenderedObject; file: string }>();

  for (const { file, server, lineOf } of servers) {
    const namespace = server.metadata.namespace ?? DEFAULT_SERVER_NAMESPACE;
    const id = `${namespace}/${server.metadata.name}`;
    let rendered;
    try {
      rendered = renderServerWithResolution(server, settings);
    } catch (error) {
      if (!(error instanceof InvalidImageReferenceError)) throw error;
      problems.push({ file, line: lineOf(['spec', 'image']), field: 'spec.image', message: error.message });
      continue;
    }
    const name = `${namespace}.${server.metadata.name}.yaml`;
    const objects: RenderedObject[] = [];
    for (const object of rendered.objects) {
      const key = objectKey(object);
      const previous = emitted.get(key);
      if (previous === undefined) {
        emitted.set(key, { object, file: name });
        objects.push(object);
      } else if (!isDeepStrictEqual(previous.object, object)) {
        problems.push({ file, line: lineOf(['metadata', 'name']), field: 'metadata.name', message: `renders ${object.kind} ${key} which differs from the one in ${previous.file}` });
      }
    }
    if (objects.some((o) => o.kind === 'Secret')) privateFiles.add(name);
    warnings.push(...rendered.resolved.warnings.map((w) => `${id}: ${w}`));
    files.set(name, toYamlDocuments(objects));
  }
  if (problems.length > 0) throw new ManifestError(problems);
  files.set(KUSTOMIZATION_FILE, kustomizationYaml([...files.keys()]));
  return { files, privateFiles, warnings };
}
