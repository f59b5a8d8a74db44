/** The body shared by `server build` and `build push`. */
import type { ClusterCommand, KubeFlagValues } from './base.js';
import { interruptible } from './interrupt.js';
import { buildOptions } from './build-flags.js';
import type { ServerBuildResult } from '../build/server-build.js';

export async function runBuildCommand(
  cmd: ClusterCommand,
  name: string,
  flags: Parameters<typeof buildOptions>[1] & KubeFlagValues,
  push: boolean,
): Promise<ServerBuildResult> {
  const { serverBuild } = await import('../build/server-build.js');
  const { lookupProvisionedRegistry } = await import('../registry/lookup.js');
  const provisioned = flags.registry === undefined ? await lookupProvisionedRegistry({ kubeconfig: flags.kubeconfig, context: flags.context }) : undefined;
  if (flags['insecure-registry'] && push) {
    cmd.warnAlways('TLS verification is OFF for the push (--insecure-registry): the connection can be intercepted and the image altered.');
  }
  const stop = interruptible();
  try {
    const result = await serverBuild(buildOptions(name, flags, push, provisioned?.url), {
      log: (line) => cmd.logToStderr(line),
      signal: stop.signal,
      kube: async () => (await cmd.connect(flags)).client,
    });
    cmd.log(result.push?.digest === undefined ? result.reference : `${result.reference}@${result.push.digest}`);
    return result;
  } finally {
    stop.dispose();
  }
}
