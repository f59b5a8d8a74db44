import { describe, expect, it } from '@jest/globals';
import { buildImageName } from '../../../src/build/image-name.js';

const IN_CLUSTER = 'registry.registry.svc.cluster.local:5000';

describe('buildImageName', () => {
  it('defaults to <in-cluster registry>/<name>, or the provisioned registry', () => {
    expect(buildImageName({ serverName: 'weather' })).toMatchObject({ image: `${IN_CLUSTER}/weather`, registrySource: 'in-cluster' });
    expect(buildImageName({ serverName: 'weather', provisioned: 'https://reg.example.com/team/' })).toMatchObject({
      image: 'reg.example.com/team/weather',
      registrySource: 'provisioned',
    });
  });

  it('--registry wins over everything and keeps the repository path', () => {
    expect(buildImageName({ serverName: 'w', metadataImage: 'ghcr.io/acme/weather:1', registryFlag: 'reg.example.com:5000', provisioned: 'p.example.com' })).toMatchObject({
      image: 'reg.example.com:5000/acme/weather',
      registrySource: 'flag',
    });
  });

  it('keeps a registry the metadata image names, except the in-cluster default when a registry was provisioned', () => {
    expect(buildImageName({ serverName: 'w', metadataImage: 'ghcr.io/acme/weather', provisioned: 'p.example.com' })).toMatchObject({
      image: 'ghcr.io/acme/weather',
      registrySource: 'image',
    });
    expect(buildImageName({ serverName: 'w', metadataImage: `${IN_CLUSTER}/weather`, provisioned: 'p.example.com/team' })).toMatchObject({
      image: 'p.example.com/team/weather',
      registrySource: 'provisioned',
    });
    expect(buildImageName({ serverName: 'w', metadataImage: `${IN_CLUSTER}/weather` })).toMatchObject({ image: `${IN_CLUSTER}/weather`, registrySource: 'image' });
  });

  it('drops tags and digests (the tag is chosen separately) but reports a tag written in --image', () => {
    expect(buildImageName({ serverName: 'w', metadataImage: 'acme/weather:1.0' })).toMatchObject({ image: `${IN_CLUSTER}/acme/weather` });
    expect(buildImageName({ serverName: 'w', imageFlag: 'ghcr.io/acme/w:2.0' })).toMatchObject({ image: 'ghcr.io/acme/w', tagInImage: '2.0' });
    expect(buildImageName({ serverName: 'w', metadataImage: 'acme/w:9' }).tagInImage).toBeUndefined();
  });

  it('explains an invalid --image', () => {
    expect(() => buildImageName({ serverName: 'w', imageFlag: 'Acme/W' })).toThrow(/--image: invalid image reference "Acme\/W"/);
  });
});
