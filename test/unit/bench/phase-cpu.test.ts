import { describe, expect, it } from '@jest/globals';
import { cpuBreakdown } from '../../../bench/phase-cpu.js';

// The windows of 2026-11-28's converge-only run at dc07713 (bench/results/tmp, 08:22Z).
const converge = { benchSeconds: 2.05, components: { etcd: 5.11, 'kube-apiserver': 30.62, 'kube-controller-manager': 4.53, 'kube-scheduler': 0.98, kwok: 0.52, operator: 9.86 } };
const before = { floorSeconds: 13.76, cpu: { benchSeconds: 2.54, components: { etcd: 3.31, 'kube-apiserver': 17.83, 'kube-controller-manager': 2.44, 'kube-scheduler': 0.61, kwok: 0.29 } } };
const after = { floorSeconds: 16.3, cpu: { benchSeconds: 2.47, components: { etcd: 3.51, 'kube-apiserver': 22.42, 'kube-controller-manager': 2.79, 'kube-scheduler': 0.62, kwok: 0.29 } } };

describe('converge CPU against the floor', () => {
  it('sums every process, compares with the floors\' mean and takes the operator out of the ratio', () => {
    const b = cpuBreakdown({ ratio: 1.81, convergeSeconds: 27.24, converge, floors: [before, after], cores: 2 });
    expect(b).toBeDefined();
    // 2.05 + 5.11 + 30.62 + 4.53 + 0.98 + 0.52 + 9.86
    expect(b!.convergeCpuSeconds).toBe(53.67);
    // (27.02 + 32.1) / 2
    expect(b!.floorCpuSeconds).toBe(29.56);
    expect(b!.cpuRatio).toBe(1.82);
    expect(b!.convergeUtilization).toBe(0.99);
    expect(b!.floorUtilization).toBe(0.98);
    // Converge minus the floors' mean; the operator has no share in the floors.
    const expected = { bench: -0.455, etcd: 1.7, 'kube-apiserver': 10.495, 'kube-controller-manager': 1.915, 'kube-scheduler': 0.365, kwok: 0.23, operator: 9.86 };
    expect(Object.keys(b!.extraByProcess).sort()).toEqual(Object.keys(expected).sort());
    for (const [name, seconds] of Object.entries(expected)) expect(b!.extraByProcess[name]).toBeCloseTo(seconds, 1);
    // 1.81 × (53.67 − 9.86) / 53.67
    expect(b!.ratioWithoutOperatorCpu).toBe(1.48);
  });

  it('reads a process missing from one window as 0 and an operator missing from converge as free', () => {
    const b = cpuBreakdown({
      ratio: 2,
      convergeSeconds: 10,
      converge: { benchSeconds: 1, components: { 'kube-apiserver': 9 } },
      floors: [{ floorSeconds: 5, cpu: { benchSeconds: 1, components: { 'kube-apiserver': 3, etcd: 1 } } }],
      cores: 1,
    });
    expect(b!.extraByProcess).toEqual({ bench: 0, 'kube-apiserver': 6, etcd: -1 });
    expect(b!.cpuRatio).toBe(2);
    expect(b!.ratioWithoutOperatorCpu).toBe(2);
  });

  it('is undefined without a converge window, a floor window with CPU or a ratio', () => {
    const base = { ratio: 1.5, convergeSeconds: 10, converge, floors: [before], cores: 2 };
    expect(cpuBreakdown({ ...base, converge: undefined })).toBeUndefined();
    expect(cpuBreakdown({ ...base, floors: [{ floorSeconds: 5 }] })).toBeUndefined();
    expect(cpuBreakdown({ ...base, ratio: null })).toBeUndefined();
    expect(cpuBreakdown({ ...base, convergeSeconds: 0 })).toBeUndefined();
  });
});
