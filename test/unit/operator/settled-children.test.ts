import { describe, expect, it } from '@jest/globals';
import { SettledChildren, type RenderContext } from '../../../src/operator/settled-children.js';

const context: RenderContext = { uid: 'u1', generation: 3, routeOwner: undefined, servedKinds: 'Deployment,Service', certManagerProblem: undefined };
const children = [
  { kind: 'Deployment', key: 'team/weather', resourceVersion: '10' },
  { kind: 'Service', key: 'team/weather', resourceVersion: '11' },
];
const versions = (v: Record<string, string>) => (kind: string, key: string) => v[`${kind}/${key}`];
const asApplied = versions({ 'Deployment/team/weather': '10', 'Service/team/weather': '11' });

describe('SettledChildren', () => {
  it('answers the remembered children while the context and every cached version are unchanged', () => {
    const settled = new SettledChildren();
    settled.remember('team/weather', context, children);
    expect(settled.settled('team/weather', { ...context }, asApplied)).toEqual(children);
  });

  it('renders again after a spec change, a new object, a route or kind change, or cert-manager coming', () => {
    const settled = new SettledChildren();
    settled.remember('team/weather', context, children);
    for (const changed of [
      { generation: 4 },
      { uid: 'u2' },
      { routeOwner: 'team/first' },
      { servedKinds: 'Deployment,Service,Certificate' },
      { certManagerProblem: 'cert-manager is not installed' },
    ]) {
      expect(settled.settled('team/weather', { ...context, ...changed }, asApplied)).toBeUndefined();
    }
  });

  it('renders again when any child changed or is gone from the cache (someone edited or deleted it)', () => {
    const settled = new SettledChildren();
    settled.remember('team/weather', context, children);
    expect(settled.settled('team/weather', context, versions({ 'Deployment/team/weather': '12', 'Service/team/weather': '11' }))).toBeUndefined();
    expect(settled.settled('team/weather', context, versions({ 'Deployment/team/weather': '10' }))).toBeUndefined();
  });

  it('knows nothing of servers never remembered or forgotten', () => {
    const settled = new SettledChildren();
    expect(settled.settled('team/weather', context, asApplied)).toBeUndefined();
    settled.remember('team/weather', context, children);
    settled.forget('team/weather');
    expect(settled.settled('team/weather', context, asApplied)).toBeUndefined();
    expect(settled.size).toBe(0);
  });
});
