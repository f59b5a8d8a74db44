/**
 * Storage for the sandbox: a default StorageClass and a handful of pre-created
 * PersistentVolumes, bound to claims by the controller-manager's PV binder. Without them a PVC
 * (the in-cluster registry has one) stays Pending and its pod is never scheduled. The volumes
 * are hostPath folders inside the control plane's data dir; nothing is ever written to them,
 * because no container really runs on simulated nodes.
 */
import type { V1PersistentVolume, V1StorageClass } from '@kubernetes/client-node';

export const SANDBOX_STORAGE_CLASS = 'sandbox';
export const SANDBOX_VOLUME_COUNT = 8;

export function sandboxStorageClass(): V1StorageClass {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: SANDBOX_STORAGE_CLASS, annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
    provisioner: 'kubernetes.io/no-provisioner',
    reclaimPolicy: 'Retain',
    volumeBindingMode: 'Immediate',
  };
}

export function sandboxVolume(index: number, dataDir: string): V1PersistentVolume {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: `sandbox-pv-${index}` },
    spec: {
      storageClassName: SANDBOX_STORAGE_CLASS,
      capacity: { storage: '100Gi' },
      accessModes: ['ReadWriteOnce', 'ReadWriteMany'],
      persistentVolumeReclaimPolicy: 'Retain',
      hostPath: { path: `${dataDir}/volumes/pv-${index}`, type: 'DirectoryOrCreate' },
    },
  };
}
