/** `synth` of the platform: one YAML file per chart plus a kustomization listing them. Pure. */
import { renderPlatform, type PlatformOptions } from '../../charts-ts/platform/index.js';
import { KUSTOMIZATION_FILE, kustomizationYaml, toYamlDocuments } from './yaml.js';
import type { FileSet } from './output.js';

export function synthPlatform(options: PlatformOptions = {}): FileSet {
  const files = new Map<string, string>();
  for (const chart of renderPlatform(options)) files.set(`${chart.name}.yaml`, toYamlDocuments(chart.objects));
  files.set(KUSTOMIZATION_FILE, kustomizationYaml([...files.keys()]));
  return files;
}
