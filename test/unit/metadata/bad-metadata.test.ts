/**
 * Every bad-metadata case asserts the exact file, line, column and field path reported, and a
 * distinctive part of the message. Files are real files in a temporary folder.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMetadata, ProblemsError, formatFieldPath, type Problem } from '../../../src/metadata/index.js';

interface Expected {
  file: string;
  line: number;
  col: number;
  path: string;
  message: string | RegExp;
}

interface Case {
  name: string;
  files: Record<string, string>;
  expected: Expected[];
}

const ok = (name: string) => `  - name: ${name}\n`;

const cases: Case[] = [
  { name: 'YAML syntax error', files: { 'm.yaml': 'servers: [\n' }, expected: [{ file: 'm.yaml', line: 2, col: 1, path: '', message: /YAML syntax error: Flow sequence/ }] },
  { name: 'bad indentation', files: { 'm.yaml': 'servers:\n  - name: a\n   port: 1\n' }, expected: [{ file: 'm.yaml', line: 3, col: 1, path: '', message: /YAML syntax error: Sequence item without - indicator/ }] },
  { name: 'duplicate key', files: { 'm.yaml': 'servers:\n  - name: a\n    name: b\n' }, expected: [{ file: 'm.yaml', line: 3, col: 5, path: '', message: /YAML syntax error: Map keys must be unique/ }] },
  { name: 'empty file', files: { 'm.yaml': '' }, expected: [{ file: 'm.yaml', line: 1, col: 1, path: '', message: /file is empty/ }] },
  { name: 'only a comment', files: { 'm.yaml': '# nothing yet\n' }, expected: [{ file: 'm.yaml', line: 1, col: 1, path: '', message: /file is empty/ }] },
  { name: 'missing servers', files: { 'm.yaml': 'version: v1\n' }, expected: [{ file: 'm.yaml', line: 1, col: 1, path: 'servers', message: 'is required' }] },
  { name: 'servers is a mapping', files: { 'm.yaml': 'servers:\n  name: a\n' }, expected: [{ file: 'm.yaml', line: 2, col: 3, path: 'servers', message: 'must be a list of servers' }] },
  { name: 'empty servers list', files: { 'm.yaml': 'servers: []\n' }, expected: [{ file: 'm.yaml', line: 1, col: 10, path: 'servers', message: 'must list at least one server' }] },
  { name: 'top level is a list', files: { 'm.yaml': '- name: a\n' }, expected: [{ file: 'm.yaml', line: 1, col: 1, path: '', message: /must be a mapping, not a list/ }] },
  { name: 'wrong version', files: { 'm.yaml': 'version: v2\nservers:\n' + ok('a') }, expected: [{ file: 'm.yaml', line: 1, col: 10, path: 'version', message: 'must be v1' }] },
  { name: 'unknown top-level field', files: { 'm.yaml': 'servers:\n' + ok('a') + 'extra: 1\n' }, expected: [{ file: 'm.yaml', line: 3, col: 1, path: 'extra', message: 'unknown field' }] },
  { name: 'unknown server field', files: { 'm.yaml': 'servers:\n  - name: a\n    prot: 80\n' }, expected: [{ file: 'm.yaml', line: 3, col: 5, path: 'servers[0].prot', message: 'unknown field' }] },
  { name: 'missing name', files: { 'm.yaml': 'servers:\n  - port: 8080\n' }, expected: [{ file: 'm.yaml', line: 2, col: 5, path: 'servers[0].name', message: 'is required' }] },
  { name: 'upper-case name', files: { 'm.yaml': 'servers:\n  - name: Weather\n' }, expected: [{ file: 'm.yaml', line: 2, col: 11, path: 'servers[0].name', message: /DNS-1123 label/ }] },
  { name: 'name with underscore', files: { 'm.yaml': 'servers:\n  - name: my_server\n' }, expected: [{ file: 'm.yaml', line: 2, col: 11, path: 'servers[0].name', message: /DNS-1123 label/ }] },
  { name: 'name too long', files: { 'm.yaml': `servers:\n  - name: ${'a'.repeat(64)}\n` }, expected: [{ file: 'm.yaml', line: 2, col: 11, path: 'servers[0].name', message: 'must be at most 63 characters' }] },
  { name: 'name is a number', files: { 'm.yaml': 'servers:\n  - name: 42\n' }, expected: [{ file: 'm.yaml', line: 2, col: 11, path: 'servers[0].name', message: 'must be a string, not number 42' }] },
  { name: 'port out of range', files: { 'm.yaml': 'servers:\n  - name: a\n  - name: b\n  - name: c\n    port: 70000\n' }, expected: [{ file: 'm.yaml', line: 5, col: 11, path: 'servers[2].port', message: 'must be at most 65535' }] },
  { name: 'negative port', files: { 'm.yaml': 'servers:\n  - name: a\n    port: -1\n' }, expected: [{ file: 'm.yaml', line: 3, col: 11, path: 'servers[0].port', message: 'must be at least 1 (0 means the default)' }] },
  { name: 'port is a string', files: { 'm.yaml': 'servers:\n  - name: a\n    port: "8080"\n' }, expected: [{ file: 'm.yaml', line: 3, col: 11, path: 'servers[0].port', message: 'must be a number, not the string "8080"' }] },
  { name: 'fractional port', files: { 'm.yaml': 'servers:\n  - name: a\n    port: 80.5\n' }, expected: [{ file: 'm.yaml', line: 3, col: 11, path: 'servers[0].port', message: /whole number/ }] },
  { name: 'servicePort out of range', files: { 'm.yaml': 'servers:\n  - name: a\n    servicePort: 65536\n' }, expected: [{ file: 'm.yaml', line: 3, col: 18, path: 'servers[0].servicePort', message: 'must be at most 65535' }] },
  { name: 'negative replicas', files: { 'm.yaml': 'servers:\n  - name: a\n    replicas: -1\n' }, expected: [{ file: 'm.yaml', line: 3, col: 15, path: 'servers[0].replicas', message: 'must be at least 0' }] },
  { name: 'replicas as a word', files: { 'm.yaml': 'servers:\n  - name: a\n    replicas: two\n' }, expected: [{ file: 'm.yaml', line: 3, col: 15, path: 'servers[0].replicas', message: 'must be a number, not the string "two"' }] },
  { name: 'bad cpu quantity', files: { 'm.yaml': 'servers:\n  - name: a\n    resources:\n      limits:\n        cpu: lots\n' }, expected: [{ file: 'm.yaml', line: 5, col: 14, path: 'servers[0].resources.limits.cpu', message: /Kubernetes quantity/ }] },
  { name: 'bad memory quantity', files: { 'm.yaml': 'servers:\n  - name: a\n    resources:\n      requests:\n        memory: 64MB\n' }, expected: [{ file: 'm.yaml', line: 5, col: 17, path: 'servers[0].resources.requests.memory', message: /Kubernetes quantity/ }] },
  { name: 'unquoted numeric quantity', files: { 'm.yaml': 'servers:\n  - name: a\n    resources:\n      limits:\n        cpu: 1\n' }, expected: [{ file: 'm.yaml', line: 5, col: 14, path: 'servers[0].resources.limits.cpu', message: /quoted Kubernetes quantity/ }] },
  { name: 'unknown resource kind', files: { 'm.yaml': 'servers:\n  - name: a\n    resources:\n      limits:\n        gpu: "1"\n' }, expected: [{ file: 'm.yaml', line: 5, col: 9, path: 'servers[0].resources.limits.gpu', message: 'unknown field' }] },
  { name: 'bad env var name', files: { 'm.yaml': 'servers:\n  - name: a\n    envVars:\n      - name: A=B\n        value: x\n' }, expected: [{ file: 'm.yaml', line: 4, col: 15, path: 'servers[0].envVars[0].name', message: /environment variable name/ }] },
  { name: 'env var without name', files: { 'm.yaml': 'servers:\n  - name: a\n    envVars:\n      - value: x\n' }, expected: [{ file: 'm.yaml', line: 4, col: 9, path: 'servers[0].envVars[0].name', message: 'is required' }] },
  { name: 'env vars not a list', files: { 'm.yaml': 'servers:\n  - name: a\n    envVars:\n      A: b\n' }, expected: [{ file: 'm.yaml', line: 4, col: 7, path: 'servers[0].envVars', message: 'must be a list, not a mapping' }] },
  { name: 'bad secret name', files: { 'm.yaml': 'servers:\n  - name: a\n    secretEnvVars:\n      - name: TOKEN\n        secretKeyRef: {name: Bad_Secret, key: token}\n' }, expected: [{ file: 'm.yaml', line: 5, col: 30, path: 'servers[0].secretEnvVars[0].secretKeyRef.name', message: /DNS-1123 subdomain/ }] },
  { name: 'route with //', files: { 'm.yaml': 'servers:\n  - name: a\n    route: /a//mcp\n' }, expected: [{ file: 'm.yaml', line: 3, col: 12, path: 'servers[0].route', message: /must not contain '\/\/'/ }] },
  { name: 'route with /../', files: { 'm.yaml': 'servers:\n  - name: a\n    route: a/../mcp\n' }, expected: [{ file: 'm.yaml', line: 3, col: 12, path: 'servers[0].route', message: /Ingress API refuses/ }] },
  { name: 'route with %2F', files: { 'm.yaml': 'servers:\n  - name: a\n    route: /a%2Fb/mcp\n' }, expected: [{ file: 'm.yaml', line: 3, col: 12, path: 'servers[0].route', message: /Ingress API refuses/ }] },
  { name: 'route ending in /.', files: { 'm.yaml': 'servers:\n  - name: a\n    route: /a/.\n' }, expected: [{ file: 'm.yaml', line: 3, col: 12, path: 'servers[0].route', message: /Ingress API refuses/ }] },
  { name: 'negative cpu', files: { 'm.yaml': 'servers:\n  - name: a\n    resources:\n      requests:\n        cpu: "-1"\n' }, expected: [{ file: 'm.yaml', line: 5, col: 14, path: 'servers[0].resources.requests.cpu', message: /non-negative Kubernetes quantity/ }] },
  { name: 'request above the default limit', files: { 'm.yaml': 'servers:\n  - name: a\n    resources:\n      requests:\n        memory: 1Gi\n' }, expected: [{ file: 'm.yaml', line: 5, col: 17, path: 'servers[0].resources.requests.memory', message: /must not be above limits.memory/ }] },
  { name: 'request above the given limit', files: { 'm.yaml': 'servers:\n  - name: a\n    resources:\n      requests: {cpu: "0.7"}\n      limits: {cpu: 600m}\n' }, expected: [{ file: 'm.yaml', line: 4, col: 23, path: 'servers[0].resources.requests.cpu', message: /must not be above limits.cpu/ }] },
  { name: 'ingress host is an IP address', files: { 'm.yaml': 'servers:\n  - name: a\n    ingressHost: 10.0.0.1\n' }, expected: [{ file: 'm.yaml', line: 3, col: 18, path: 'servers[0].ingressHost', message: /not an IP address/ }] },
  { name: 'route is a number', files: { 'm.yaml': 'servers:\n  - name: a\n    route: 5\n' }, expected: [{ file: 'm.yaml', line: 3, col: 12, path: 'servers[0].route', message: /must be a path/ }] },
  { name: 'image with a space', files: { 'm.yaml': 'servers:\n  - name: a\n    image: "my image"\n' }, expected: [{ file: 'm.yaml', line: 3, col: 12, path: 'servers[0].image', message: 'must not contain spaces' }] },
  { name: 'bad image tag', files: { 'm.yaml': 'servers:\n  - name: a\n    image: x\n    imageTag: "-bad"\n' }, expected: [{ file: 'm.yaml', line: 4, col: 15, path: 'servers[0].imageTag', message: /valid tag/ }] },
  { name: 'bad namespace', files: { 'm.yaml': 'servers:\n  - name: a\n    namespace: Team.A\n' }, expected: [{ file: 'm.yaml', line: 3, col: 16, path: 'servers[0].namespace', message: /DNS-1123 label/ }] },
  { name: 'bad ingress host', files: { 'm.yaml': 'servers:\n  - name: a\n    ingressHost: https://mcp.example.com\n' }, expected: [{ file: 'm.yaml', line: 3, col: 18, path: 'servers[0].ingressHost', message: /DNS name/ }] },
  { name: 'bad annotation key', files: { 'm.yaml': 'servers:\n  - name: a\n    ingressAnnotations:\n      "bad key": x\n' }, expected: [{ file: 'm.yaml', line: 4, col: 18, path: 'servers[0].ingressAnnotations["bad key"]', message: /annotation keys/ }] },
  { name: 'probe type unknown', files: { 'm.yaml': 'servers:\n  - name: a\n    probe: {type: grpc}\n' }, expected: [{ file: 'm.yaml', line: 3, col: 19, path: 'servers[0].probe.type', message: 'must be one of "tcp", "http", "none"' }] },
  { name: 'http probe without path', files: { 'm.yaml': 'servers:\n  - name: a\n    probe: {type: http}\n' }, expected: [{ file: 'm.yaml', line: 3, col: 12, path: 'servers[0].probe.path', message: /path is required/ }] },
  {
    name: 'duplicate names across two files',
    files: { 'a.yaml': 'servers:\n' + ok('weather'), 'b.yaml': 'version: v1\nservers:\n' + ok('other') + ok('weather') },
    expected: [{ file: 'b.yaml', line: 4, col: 11, path: 'servers[1].name', message: /duplicate server name "weather" \(first defined at .*a\.yaml:2:11\)/ }],
  },
  {
    name: 'problems in several files are all reported',
    files: { 'a.yaml': 'servers:\n  - name: a\n    port: -3\n', 'b.yml': 'servers:\n  - name: b\n    replicas: -2\n', 'notes.txt': 'not yaml: [' },
    expected: [
      { file: 'a.yaml', line: 3, col: 11, path: 'servers[0].port', message: 'must be at least 1 (0 means the default)' },
      { file: 'b.yml', line: 3, col: 15, path: 'servers[0].replicas', message: 'must be at least 0' },
    ],
  },
  {
    name: 'several problems in one server',
    files: { 'm.yaml': 'servers:\n  - name: A\n    port: 99999\n    extra: true\n' },
    expected: [
      { file: 'm.yaml', line: 2, col: 11, path: 'servers[0].name', message: /DNS-1123 label/ },
      { file: 'm.yaml', line: 3, col: 11, path: 'servers[0].port', message: 'must be at most 65535' },
      { file: 'm.yaml', line: 4, col: 5, path: 'servers[0].extra', message: 'unknown field' },
    ],
  },
  {
    name: 'second document of a multi-document file',
    files: { 'm.yaml': 'servers:\n' + ok('a') + '---\nservers:\n  - name: b\n    port: -1\n' },
    expected: [{ file: 'm.yaml', line: 6, col: 11, path: 'servers[0].port', message: 'must be at least 1 (0 means the default)' }],
  },
];

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mcp-metadata-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function problemsFor(testCase: Case, index: number): Promise<readonly Problem[]> {
  const dir = join(root, String(index));
  await mkdir(dir);
  for (const [name, text] of Object.entries(testCase.files)) await writeFile(join(dir, name), text);
  try {
    await loadMetadata(dir);
  } catch (error) {
    if (error instanceof ProblemsError) return error.problems;
    throw error;
  }
  throw new Error('expected the metadata to be rejected');
}

describe('bad metadata is reported with file, line, column and field path', () => {
  it('covers at least 30 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases.map((c, i) => [c.name, c, i] as const))('%s', async (_name, testCase, index) => {
    const problems = await problemsFor(testCase, index);
    const dir = join(root, String(index));
    expect(problems).toHaveLength(testCase.expected.length);
    testCase.expected.forEach((want, i) => {
      const got = problems[i]!;
      expect({ file: got.file, line: got.line, col: got.col, path: formatFieldPath(got.path) }).toEqual({
        file: join(dir, want.file),
        line: want.line,
        col: want.col,
        path: want.path,
      });
      if (typeof want.message === 'string') expect(got.message).toBe(want.message);
      else expect(got.message).toMatch(want.message);
    });
  });
});
