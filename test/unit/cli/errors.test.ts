import { describe, expect, it } from '@jest/globals';
import { CliError, translateError } from '../../../src/cli/errors.js';
import { EXIT_CODE_DESCRIPTIONS, ExitCode } from '../../../src/cli/exit-codes.js';
import {
  ApiError,
  ApplyFailedError,
  KindNotServedError,
  KubeConfigError,
  NotKubernetesError,
  OperationError,
  UsageError,
  KubeUnreachableError,
  NotFoundError,
  TimeoutError,
  parseForbidden,
  requestTarget,
} from '../../../src/kube/errors.js';
import { ProblemsError } from '../../../src/metadata/problem.js';
import { ClientConfigWriteError, NoPublicUrlError } from '../../../src/clients/errors.js';
import { BuildFailedError, InterruptedError, PushFailedError, RegistryUsageError } from '../../../src/registry/errors.js';

const SERVER = 'https://10.0.0.1:6443';

describe('exit codes', () => {
  it('are the documented numbers, each with a description', () => {
    expect(ExitCode).toEqual({ OK: 0, FAILURE: 1, USAGE: 2, INVALID_INPUT: 3, UNREACHABLE: 4, FORBIDDEN: 5, NOT_FOUND: 6, TIMEOUT: 7, CHANGES_PENDING: 8, PUSH_FAILED: 9, BUILD_FAILED: 10, CANNOT_WRITE: 11, NOT_READY: 12, INTERRUPTED: 130 });
    for (const code of Object.values(ExitCode)) expect(EXIT_CODE_DESCRIPTIONS[code]).toEqual(expect.any(String));
  });
});

describe('translateError', () => {
  it('an apply failure keeps its cause\'s exit code and names the object', () => {
    const cause = new ApiError(403, { message: 'User "u" cannot patch resource "deployments" in API group "apps" in the namespace "registry"' }, 'PATCH', '/apis/apps/v1/namespaces/registry/deployments/registry', SERVER);
    const t = translateError(new ApplyFailedError('Deployment registry/registry', cause));
    expect(t?.exit).toBe(ExitCode.FORBIDDEN);
    expect(t?.message).toMatch(/^applying Deployment registry\/registry: forbidden: u may not patch deployments.apps in namespace "registry"/);
  });

  it('library domain errors map to their codes in this one place', () => {
    expect(translateError(new UsageError('bad'))).toEqual({ message: 'bad', exit: ExitCode.USAGE });
    expect(translateError(new OperationError('failed'))).toEqual({ message: 'failed', exit: ExitCode.FAILURE });
    expect(translateError(new PushFailedError('refused'))?.exit).toBe(ExitCode.PUSH_FAILED);
    expect(translateError(new BuildFailedError('broken'))?.exit).toBe(ExitCode.BUILD_FAILED);
    expect(translateError(new RegistryUsageError('--tool'))?.exit).toBe(ExitCode.USAGE);
    expect(translateError(new InterruptedError('interrupted'))?.exit).toBe(ExitCode.INTERRUPTED);
    expect(translateError(new NoPublicUrlError('team-a', 'weather'))?.exit).toBe(ExitCode.NOT_READY);
    expect(translateError(new ClientConfigWriteError('/x/mcp.json', 'permission denied'))?.exit).toBe(ExitCode.CANNOT_WRITE);
    expect(translateError(new NotKubernetesError('http://127.0.0.1:1', 'an HTML page (HTTP 200)'))).toEqual({
      exit: ExitCode.UNREACHABLE,
      message: expect.stringMatching(/^not a Kubernetes API server at http:\/\/127\.0\.0\.1:1: /),
    });
    expect(translateError(new Error('a bug'))).toBeUndefined();
  });

  it('unreachable: names the server and suggests the local sandbox (exit 4)', () => {
    const t = translateError(new KubeUnreachableError(SERVER, 'prod', 'ECONNREFUSED', 'connection refused'));
    expect(t?.exit).toBe(4);
    expect(t?.message).toContain(SERVER);
    expect(t?.message).toContain('mcp-runtime cluster provision --provider local');
  });

  it('403: says who may not do which verb on which resource in which namespace (exit 5)', () => {
    const message =
      'mcpservers.mcp.agent-hellboy.io is forbidden: User "system:serviceaccount:ci:deployer" cannot list resource "mcpservers" ' +
      'in API group "mcp.agent-hellboy.io" in the namespace "team-a"';
    const t = translateError(new ApiError(403, { message, reason: 'Forbidden' }, 'GET', '/apis/mcp.agent-hellboy.io/v1alpha1/namespaces/team-a/mcpservers', SERVER));
    expect(t?.exit).toBe(5);
    expect(t?.message).toContain('system:serviceaccount:ci:deployer may not list mcpservers.mcp.agent-hellboy.io in namespace "team-a"');
    expect(t?.message).toContain('kubectl auth can-i list mcpservers.mcp.agent-hellboy.io -n team-a');
  });

  it('403 at cluster scope and without a parseable message falls back to the request', () => {
    const t = translateError(new ApiError(403, { message: 'nope' }, 'PATCH', '/api/v1/namespaces/team-a', SERVER));
    expect(t?.message).toContain('may not patch namespaces at cluster scope');
    const parsed = parseForbidden('User "u" cannot create resource "namespaces" in API group "" at the cluster scope');
    expect(parsed).toEqual({ user: 'u', verb: 'create', resource: 'namespaces', group: '' });
  });

  it('404 on the MCPServer API with no object name means the CRD is missing (exit 4)', () => {
    const t = translateError(new ApiError(404, { message: 'the server could not find the requested resource', details: {} }, 'GET', '/apis/mcp.agent-hellboy.io/v1alpha1/namespaces/x/mcpservers', SERVER));
    expect(t?.exit).toBe(4);
    expect(t?.message).toContain('run `mcp-runtime setup`');
    expect(translateError(new KindNotServedError('mcp.agent-hellboy.io/v1alpha1', 'MCPServer'))?.message).toContain('mcp-runtime cluster init');
  });

  it('404 of a named object is not found (exit 6)', () => {
    const t = translateError(new ApiError(404, { message: 'x not found', details: { name: 'x' } }, 'GET', '/apis/mcp.agent-hellboy.io/v1alpha1/namespaces/a/mcpservers/x', SERVER));
    expect(t?.exit).toBe(6);
    expect(translateError(new NotFoundError('gone'))).toEqual({ message: 'gone', exit: 6 });
  });

  it('401, 422 with causes, apply conflicts, timeouts, runtime ApiErrors and config problems', () => {
    expect(translateError(new ApiError(401, { message: 'Unauthorized' }, 'GET', '/api', SERVER))?.exit).toBe(5);
    const invalid = translateError(
      new ApiError(422, { message: 'invalid', details: { name: 'w', kind: 'MCPServer', causes: [{ field: 'spec.port', message: 'must be <= 65535' }] } }, 'PATCH', '/x', SERVER),
    );
    expect(invalid).toEqual({ exit: 3, message: 'the API server rejected MCPServer "w" as invalid:\n  spec.port: must be <= 65535' });
    const conflict = translateError(new ApiError(409, { reason: 'Conflict', message: 'Apply failed with 1 conflict: conflict with "kubectl"' }, 'PATCH', '/x', SERVER));
    expect(conflict?.message).toContain('--force-conflicts');
    expect(translateError(new TimeoutError('slow'))?.exit).toBe(7);
    expect(translateError(new ApiError(403, { message: 'User "u" cannot get resource "secrets" in API group "" in the namespace "n"' }, 'GET', '/api/v1/namespaces/n/secrets/s'))?.exit).toBe(5);
    expect(translateError(new KubeConfigError('no such context', true))?.exit).toBe(2);
    expect(translateError(new KubeConfigError('no kubeconfig'))?.exit).toBe(4);
    expect(translateError(new ProblemsError('bad', []))?.exit).toBe(3);
    expect(translateError(new CliError('x', 7))).toEqual({ message: 'x', exit: 7 });
  });

  it('leaves bugs alone (they keep their stack trace)', () => {
    expect(translateError(new TypeError('undefined is not a function'))).toBeUndefined();
  });
});

describe('requestTarget', () => {
  it('derives verb, resource and namespace from a request', () => {
    expect(requestTarget('GET', '/apis/apps/v1/namespaces/a/deployments')).toEqual({ verb: 'list', resource: 'deployments', namespace: 'a' });
    expect(requestTarget('GET', '/api/v1/namespaces/a/pods/p')).toEqual({ verb: 'get', resource: 'pods', namespace: 'a' });
    expect(requestTarget('DELETE', '/api/v1/namespaces/a')).toEqual({ verb: 'delete', resource: 'namespaces' });
  });
});

describe('forbidden on Namespace objects', () => {
  it('is reported at cluster scope even though the API server names the namespace', () => {
    const message = 'namespaces "mcp-runtime" is forbidden: User "u" cannot get resource "namespaces" in API group "" in the namespace "mcp-runtime"';
    const t = translateError(new ApiError(403, { message }, 'GET', '/api/v1/namespaces/mcp-runtime', SERVER));
    expect(t?.message).toContain('u may not get namespaces at cluster scope');
    expect(t?.message).toContain('ClusterRole/ClusterRoleBinding');
  });
});
