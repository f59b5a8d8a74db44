import { describe, expect, it } from '@jest/globals';
import {
  IN_CLUSTER_REGISTRY,
  InvalidImageReferenceError,
  defaultPullPolicy,
  formatImageReference,
  fullyQualified,
  isInRegistry,
  normalizeRegistry,
  parseImageReference,
  resolveImage,
  withDefaultTag,
  withRegistry,
  type ImageReference,
  type ImageSource,
} from '../../../src/images/reference.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('parseImageReference', () => {
  const cases: [string, ImageReference][] = [
    ['nginx', { registry: undefined, repository: 'nginx', tag: undefined, digest: undefined }],
    ['nginx:1.27', { registry: undefined, repository: 'nginx', tag: '1.27', digest: undefined }],
    ['library/nginx', { registry: undefined, repository: 'library/nginx', tag: undefined, digest: undefined }],
    ['team/sub/server:v2', { registry: undefined, repository: 'team/sub/server', tag: 'v2', digest: undefined }],
    ['ghcr.io/acme/weather', { registry: 'ghcr.io', repository: 'acme/weather', tag: undefined, digest: undefined }],
    ['ghcr.io/acme/weather:1.0.0', { registry: 'ghcr.io', repository: 'acme/weather', tag: '1.0.0', digest: undefined }],
    ['localhost/img', { registry: 'localhost', repository: 'img', tag: undefined, digest: undefined }],
    ['localhost:5000/img:dev', { registry: 'localhost:5000', repository: 'img', tag: 'dev', digest: undefined }],
    ['reg.example.com:5000/a/b/c:tag', { registry: 'reg.example.com:5000', repository: 'a/b/c', tag: 'tag', digest: undefined }],
    ['reg:5000/img', { registry: 'reg:5000', repository: 'img', tag: undefined, digest: undefined }],
    [`img@${DIGEST}`, { registry: undefined, repository: 'img', tag: undefined, digest: DIGEST }],
    [`host:1/ns/img:tag@${DIGEST}`, { registry: 'host:1', repository: 'ns/img', tag: 'tag', digest: DIGEST }],
    ['[::1]:5000/img', { registry: '[::1]:5000', repository: 'img', tag: undefined, digest: undefined }],
    ['my_org/my-img__x.y:T_1', { registry: undefined, repository: 'my_org/my-img__x.y', tag: 'T_1', digest: undefined }],
    // A first part without '.' or ':' and not 'localhost' is a path, not a host.
    ['registry/img', { registry: undefined, repository: 'registry/img', tag: undefined, digest: undefined }],
  ];
  it.each(cases)('%s', (input, expected) => {
    expect(parseImageReference(input)).toEqual(expected);
  });

  it.each(cases.map(([input]) => [input]))('round-trips %s', (input) => {
    expect(formatImageReference(parseImageReference(input))).toBe(input);
  });

  const invalid: [string, RegExp][] = [
    ['', /empty/],
    ['a b', /whitespace/],
    ['Foo/bar', /path component "Foo"/],
    ['img:', /not a valid tag/],
    ['img:-bad', /not a valid tag/],
    [`img:${'t'.repeat(129)}`, /not a valid tag/],
    ['img@sha256:xyz', /not a digest/],
    ['img@', /not a digest/],
    ['host.com//img', /empty path component/],
    ['img/', /empty path component/],
    ['/img', /empty path component/],
    ['bad_host.com:5000/img', /not a valid registry host/],
  ];
  it.each(invalid)('rejects %j', (input, message) => {
    expect(() => parseImageReference(input)).toThrow(InvalidImageReferenceError);
    expect(() => parseImageReference(input)).toThrow(message);
  });
});

describe('withDefaultTag', () => {
  const cases: [string, string | undefined, string][] = [
    ['nginx', undefined, 'nginx:latest'],
    ['nginx', 'v1', 'nginx:v1'],
    ['nginx:1.27', 'v1', 'nginx:1.27'],
    [`nginx@${DIGEST}`, 'v1', `nginx@${DIGEST}`],
    ['localhost:5000/img', 'dev', 'localhost:5000/img:dev'],
  ];
  it.each(cases)('%s with %s → %s', (image, tag, expected) => {
    expect(formatImageReference(withDefaultTag(parseImageReference(image), tag))).toBe(expected);
  });
});

describe('withRegistry', () => {
  const cases: [string, string, string][] = [
    ['nginx', 'reg.example.com', 'reg.example.com/nginx'],
    ['team/server:1', 'reg.example.com', 'reg.example.com/team/server:1'],
    ['ghcr.io/team/server:1', 'reg.example.com:5000', 'reg.example.com:5000/team/server:1'],
    ['localhost/img', 'reg.example.com', 'reg.example.com/img'],
    ['ghcr.io/team/server', 'reg.example.com/proj', 'reg.example.com/proj/team/server'],
    ['ghcr.io/team/server', 'https://reg.example.com/', 'reg.example.com/team/server'],
    [`a/b@${DIGEST}`, 'localhost:5000', `localhost:5000/a/b@${DIGEST}`],
  ];
  it.each(cases)('%s into %s → %s', (image, registry, expected) => {
    expect(formatImageReference(withRegistry(parseImageReference(image), registry))).toBe(expected);
  });
  it('rejects an empty or malformed target', () => {
    expect(() => withRegistry(parseImageReference('nginx'), '')).toThrow(InvalidImageReferenceError);
    expect(() => withRegistry(parseImageReference('nginx'), 'reg.example.com/Bad')).toThrow(/path component "Bad"/);
  });
});

describe('resolveImage (spec rules)', () => {
  const cases: [string, ImageSource, string | undefined, string][] = [
    ['default tag latest', { image: 'weather' }, undefined, 'weather:latest'],
    ['imageTag appended', { image: 'weather', imageTag: 'v2' }, undefined, 'weather:v2'],
    ['tag present wins over imageTag', { image: 'weather:v1', imageTag: 'v2' }, undefined, 'weather:v1'],
    ['digest: no tag added', { image: `weather@${DIGEST}` }, undefined, `weather@${DIGEST}`],
    ['override replaces host', { image: 'ghcr.io/acme/weather:1', registryOverride: 'reg.local:5000' }, undefined, 'reg.local:5000/acme/weather:1'],
    ['override prefixes hostless', { image: 'acme/weather', registryOverride: 'reg.local' }, undefined, 'reg.local/acme/weather:latest'],
    ['override replaces localhost', { image: 'localhost/weather', registryOverride: 'reg.local' }, undefined, 'reg.local/weather:latest'],
    ['empty override ignored', { image: 'weather', registryOverride: '' }, undefined, 'weather:latest'],
    ['provisioned registry', { image: 'acme/weather', useProvisionedRegistry: true }, 'https://reg.example.com', 'reg.example.com/acme/weather:latest'],
    ['provisioned with path', { image: 'ghcr.io/acme/weather:2', useProvisionedRegistry: true }, 'reg.example.com/team', 'reg.example.com/team/acme/weather:2'],
    ['in-cluster fallback', { image: 'weather', useProvisionedRegistry: true }, undefined, `${IN_CLUSTER_REGISTRY}/weather:latest`],
    ['in-cluster fallback on empty url', { image: 'weather', imageTag: 'x', useProvisionedRegistry: true }, '', `${IN_CLUSTER_REGISTRY}/weather:x`],
    ['useProvisionedRegistry false', { image: 'weather', useProvisionedRegistry: false }, 'reg.example.com', 'weather:latest'],
    ['override beats provisioned', { image: 'weather', registryOverride: 'o.example', useProvisionedRegistry: true }, 'p.example', 'o.example/weather:latest'],
    ['nested paths kept', { image: 'reg.example.com:5000/a/b/c' }, undefined, 'reg.example.com:5000/a/b/c:latest'],
  ];
  it.each(cases)('%s', (_name, source, provisioned, expected) => {
    expect(resolveImage(source, provisioned)).toBe(expected);
  });
});

describe('defaultPullPolicy', () => {
  const cases: [string, 'Always' | 'IfNotPresent'][] = [
    ['img:latest', 'Always'],
    ['img', 'Always'],
    ['img:1.0', 'IfNotPresent'],
    [`img@${DIGEST}`, 'IfNotPresent'],
    [`img:latest@${DIGEST}`, 'IfNotPresent'],
  ];
  it.each(cases)('%s → %s', (image, expected) => {
    expect(defaultPullPolicy(parseImageReference(image))).toBe(expected);
  });
});

describe('isInRegistry', () => {
  const cases: [string, string, boolean][] = [
    ['reg.example.com/a:1', 'reg.example.com', true],
    ['REG.example.com/a:1', 'https://reg.example.com/', true],
    ['reg.example.com:5000/a', 'reg.example.com', false],
    ['reg.example.com/team/a', 'reg.example.com/team', true],
    ['reg.example.com/teamx/a', 'reg.example.com/team', false],
    ['other.example.com/a', 'reg.example.com', false],
    ['a', 'reg.example.com', false],
  ];
  it.each(cases)('%s in %s → %s', (image, registry, expected) => {
    expect(isInRegistry(image, registry)).toBe(expected);
  });
});

describe('normalizeRegistry and fullyQualified', () => {
  it.each([
    ['https://reg.example.com/', 'reg.example.com'],
    ['http://localhost:5000//', 'localhost:5000'],
    ['  reg.example.com/team ', 'reg.example.com/team'],
  ])('normalizeRegistry(%j) → %s', (input, expected) => {
    expect(normalizeRegistry(input)).toBe(expected);
  });
  it.each([
    ['nginx', 'docker.io/library/nginx:latest'],
    ['acme/x:1', 'docker.io/acme/x:1'],
    ['ghcr.io/x', 'ghcr.io/x:latest'],
  ])('fullyQualified(%s) → %s', (input, expected) => {
    expect(formatImageReference(fullyQualified(parseImageReference(input)))).toBe(expected);
  });
});
