import { describe, expect, it } from '@jest/globals';
import { OwnWrites } from '../../../src/operator/own-writes.js';

const deployment = (name: string, resourceVersion: string, kind: string | undefined = 'Deployment') => ({
  ...(kind === undefined ? {} : { kind }),
  metadata: { name, namespace: 'team', resourceVersion },
});

describe('OwnWrites', () => {
  it('an event carrying the version an apply returned is an echo, once', () => {
    const own = new OwnWrites();
    own.record(deployment('weather', '100'), undefined);
    expect(own.isEcho(deployment('weather', '100'), 'Deployment')).toBe(true);
    expect(own.isEcho(deployment('weather', '100'), 'Deployment')).toBe(false);
    expect(own.size).toBe(0);
  });

  it('another version, another object or another kind is not an echo', () => {
    const own = new OwnWrites();
    own.record(deployment('weather', '100'), '90');
    expect(own.isEcho(deployment('weather', '101'), 'Deployment')).toBe(false);
    expect(own.isEcho(deployment('notes', '100'), 'Deployment')).toBe(false);
    expect(own.isEcho({ kind: 'Service', metadata: { name: 'weather', namespace: 'team', resourceVersion: '100' } }, 'Service')).toBe(false);
    // An earlier event arriving late does not spend the entry.
    expect(own.isEcho(deployment('weather', '100'), 'Deployment')).toBe(true);
  });

  it('names the kind from the informer when the cached object has none', () => {
    const own = new OwnWrites();
    own.record(deployment('weather', '7'), undefined);
    expect(own.isEcho(deployment('weather', '7', undefined), 'Deployment')).toBe(true);
  });

  it('records nothing for an apply that changed nothing (it has no echo)', () => {
    const own = new OwnWrites();
    own.record(deployment('weather', '100'), '100');
    expect(own.size).toBe(0);
  });

  it('keeps at most `limit` entries, dropping the oldest', () => {
    const own = new OwnWrites(2);
    for (const [name, rv] of [['a', '1'], ['b', '2'], ['c', '3']] as const) own.record(deployment(name, rv), undefined);
    expect(own.size).toBe(2);
    expect(own.isEcho(deployment('a', '1'), 'Deployment')).toBe(false);
    expect(own.isEcho(deployment('c', '3'), 'Deployment')).toBe(true);
  });
});
