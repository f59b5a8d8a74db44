import { describe, expect, it } from '@jest/globals';
import { buildCommand, detectBuilder, pushToolsFor } from '../../../src/build/builder.js';
import { RegistryUsageError } from '../../../src/registry/errors.js';
import type { ToolProbes } from '../../../src/registry/tools.js';

function probes(installed: string[], daemon = false): ToolProbes & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    installed: async (tool) => {
      asked.push(tool);
      return installed.includes(tool);
    },
    dockerDaemon: async () => {
      asked.push('docker-daemon');
      return daemon;
    },
  };
}

describe('detectBuilder', () => {
  it('tries podman, then buildah, then docker', async () => {
    expect(await detectBuilder(probes(['podman', 'buildah', 'docker'], true))).toBe('podman');
    expect(await detectBuilder(probes(['buildah', 'docker'], true))).toBe('buildah');
    expect(await detectBuilder(probes(['docker'], true))).toBe('docker');
  });

  it('counts docker only when its daemon answers', async () => {
    const p = probes(['docker'], false);
    await expect(detectBuilder(p)).rejects.toThrow(/No tool to build images: install one of podman, buildah, docker/);
    expect(p.asked).toEqual(['podman', 'buildah', 'docker', 'docker-daemon']);
  });

  it('uses the requested builder, or says why it cannot', async () => {
    expect(await detectBuilder(probes(['podman', 'buildah']), 'buildah')).toBe('buildah');
    await expect(detectBuilder(probes(['docker'], false), 'docker')).rejects.toThrow(/the docker CLI is installed but no Docker daemon answers/);
    await expect(detectBuilder(probes([]), 'podman')).rejects.toThrow(RegistryUsageError);
  });
});

describe('buildCommand', () => {
  const request = { image: 'reg.example.com/s:1', context: '/src', dockerfile: '/src/Dockerfile' };
  it('builds the same command line for each builder (buildah with layer caching)', () => {
    expect(buildCommand('podman', request)).toEqual({ command: 'podman', args: ['build', '-t', 'reg.example.com/s:1', '-f', '/src/Dockerfile', '/src'] });
    expect(buildCommand('buildah', { ...request, platform: 'linux/arm64' })).toEqual({
      command: 'buildah',
      args: ['build', '--layers', '-t', 'reg.example.com/s:1', '-f', '/src/Dockerfile', '--platform', 'linux/arm64', '/src'],
    });
    expect(buildCommand('docker', { ...request, extraTags: ['x:y'] }).args).toEqual(['build', '-t', 'reg.example.com/s:1', '-t', 'x:y', '-f', '/src/Dockerfile', '/src']);
  });

  it('knows which push tools can read what each builder produced', () => {
    expect(pushToolsFor('podman')).toEqual(['skopeo', 'podman']);
    expect(pushToolsFor('buildah')).toEqual(['skopeo', 'podman']);
    expect(pushToolsFor('docker')).toEqual(['docker']);
  });
});
