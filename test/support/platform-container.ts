/**
 * How the platform's operator container starts, read from where it is defined: the node flags
 * on the rendered Deployment's command, and the environment of the image's last stage
 * (the Dockerfile's ENV lines). Tests that run the operator's entry start it with both, so a
 * flag or variable node refuses (e.g. a V8 flag in NODE_OPTIONS) fails them as it would fail
 * the pod.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderPlatform } from '../../charts-ts/platform/charts.js';
import { OPERATOR_ENTRY } from '../../charts-ts/server/settings.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The pod spec of a platform Deployment, as the platform chart renders it by default. */
export function renderedPodSpec(deployment: string): Obj {
  const d = renderPlatform()
    .flatMap((f) => f.objects)
    .find((o) => o.kind === 'Deployment' && o.metadata.name === deployment) as Obj | undefined;
  if (d === undefined) throw new Error(`the platform renders no Deployment ${deployment}`);
  return d.spec.template.spec;
}

/** The arguments between `node` and the entry in the operator Deployment's command. */
export function operatorNodeFlags(): string[] {
  const command = renderedPodSpec('mcp-runtime-operator').containers?.[0]?.command as string[] | undefined;
  if (command === undefined || command[0] !== 'node' || command.at(-1) !== OPERATOR_ENTRY) {
    throw new Error(`the operator Deployment's command is not node … ${OPERATOR_ENTRY}: ${JSON.stringify(command)}`);
  }
  return command.slice(1, -1);
}

/** ENV of the Dockerfile's last stage (`ENV K=V [K2="V 2" …]`; the legacy `ENV K V` form is refused). */
export function imageEnv(dockerfile = join(process.cwd(), 'Dockerfile')): Record<string, string> {
  const lines = readFileSync(dockerfile, 'utf8').split('\n');
  const lastFrom = lines.findLastIndex((l) => /^FROM\s/i.test(l));
  const env: Record<string, string> = {};
  for (const [i, line] of lines.entries()) {
    if (i < lastFrom || !/^ENV\s/i.test(line)) continue;
    const pairs = line.slice(3).trim().match(/[A-Za-z_][A-Za-z0-9_]*=("[^"]*"|\S*)/g);
    if (pairs === null || pairs.join(' ') !== line.slice(3).trim().replace(/\s+/g, ' ')) {
      throw new Error(`${dockerfile}:${i + 1}: only ENV KEY=VALUE pairs are understood here: ${line}`);
    }
    for (const pair of pairs) {
      const at = pair.indexOf('=');
      const value = pair.slice(at + 1);
      env[pair.slice(0, at)] = value.startsWith('"') ? value.slice(1, -1) : value;
    }
  }
  return env;
}
