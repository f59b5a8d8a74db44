/** The body shared by `server build` and `build push`. */
import type { Command } from '@oclif/core';
import { interruptible, runCommand, warnAlways } from '../registry/command-support.js';
import { buildOptions } from './build-flags.js';
import type { ServerBuildResult } from './server-build.js';

export async function runBuildCommand(
  cmd: Command,
  name: string,
  flags: Parameters<typeof buildOptions>[1] & { kubeconfig?: string; 'kube-context'?: string },
  push: boolean,
): Promise<ServerBuildResult> {
  return runCommand(cmd, async () => {
    const { serverBuild } = await import('./server-build.js');
    const { lookupProvisionedRegistry } = await import('../registry/lookup.js');
    const { kubeClient } = await import('../registry/kube.js');
    const access = { ...(flags.kubeconfig === undefined ? {} : { kubeconfig: flags.kubeconfig }), ...(flags['kube-context'] === undefined ? {} : { context: flags['kube-context'] }) };
    const provisioned = flags.registry === undefined ? await lookupProvisionedRegistry(access) : undefined;
    if (flags['insecure-registry'] && push) {
      warnAlways(cmd, 'TLS verification is OFF for the push (--insecure-registry): the connection can be intercepted and the image altered.');
    }
    const stop = interruptible();
    try {
      const result = await serverBuild(buildOptions(name, flags, push, provisioned?.url), {
        log: (line) => cmd.logToStderr(line),
        signal: stop.signal,
        kube: () => kubeClient(access),
      });
      cmd.log(result.push?.digest === undefined ? result.reference : `${result.reference}@${result.push.digest}`);
      return result;
    } finally {
      stop.dispose();
    }
  });
}
