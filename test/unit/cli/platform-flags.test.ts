// `setup` offers every platform knob `synth` has, under the same name and with the same
// choices, and both turn them into the same chart options.
import { describe, expect, it } from '@jest/globals';
import Setup from '../../../src/commands/setup.js';
import Synth from '../../../src/commands/synth.js';
import { platformOptionsOf } from '../../../src/cli/platform-flags.js';

// synth-only flags, and why setup has no flag of that name.
const SYNTH_ONLY: Record<string, string> = {
  'output-dir': 'synth writes files; setup applies',
  servers: 'synth renders servers offline; setup installs the platform',
  json: 'setup prints no problems in files',
  registry: 'setup takes the external registry from `registry provision` (--registry internal|external)',
  'registry-username': 'stored by `registry provision`',
  'registry-pull-secret': 'stored by `registry provision`',
  'registry-password-secret': 'stored by `registry provision`',
  'provisioned-registry': 'synth --servers only',
};

type Flag = { options?: readonly string[]; default?: unknown; multiple?: boolean };

describe('setup and synth platform knobs', () => {
  it('every synth knob but the documented exceptions is a setup flag with the same choices and default', () => {
    const setup = Setup.flags as Record<string, Flag>;
    const synth = Synth.flags as Record<string, Flag>;
    const missing = Object.keys(synth).filter((name) => SYNTH_ONLY[name] === undefined && setup[name] === undefined);
    expect(missing).toEqual([]);
    for (const name of Object.keys(synth).filter((n) => SYNTH_ONLY[n] === undefined && n !== 'operator-image')) {
      expect({ name, options: setup[name]?.options, default: setup[name]?.default, multiple: setup[name]?.multiple }).toEqual({
        name,
        options: synth[name]?.options,
        default: synth[name]?.default,
        multiple: synth[name]?.multiple,
      });
    }
    for (const knob of ['ingress-class', 'registry-storage-class', 'registry-storage-size', 'registry-allow-cidr', 'registry-cluster-ip', 'traefik-service-type', 'ingress-readiness']) {
      expect(setup[knob]).toBeDefined();
    }
  });

  it('maps the flags to the chart options', () => {
    expect(
      platformOptionsOf({
        ingress: 'traefik',
        'ingress-variant': 'dev',
        'traefik-service-type': 'NodePort',
        'registry-storage-size': '20Gi',
        'registry-storage-class': 'fast',
        'registry-allow-cidr': ['10.0.0.0/16'],
        'registry-cluster-ip': '10.96.0.50',
        'ingress-readiness': 'permissive',
        'ingress-class': 'nginx',
      }),
    ).toEqual({
      ingress: 'traefik',
      ingressVariant: 'dev',
      traefikServiceType: 'NodePort',
      registryStorageSize: '20Gi',
      registryStorageClass: 'fast',
      registryAllowedCidrs: ['10.0.0.0/16'],
      registryClusterIP: '10.96.0.50',
      ingressReadiness: 'permissive',
      defaultIngressClass: 'nginx',
    });
  });
});
