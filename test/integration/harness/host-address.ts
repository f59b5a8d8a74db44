import { networkInterfaces } from 'node:os';

/**
 * This host's own IPv4 address, for EndpointSlices that point at processes on the host:
 * EndpointSlices refuse loopback addresses, so such servers listen on all interfaces and the
 * slices name this address (never a real node's bridges, which come and go).
 */
export function hostAddress(): string {
  for (const [name, addresses] of Object.entries(networkInterfaces())) {
    if (/^(lo|mcprt|veth|cni|podman)/.test(name)) continue;
    const v4 = addresses?.find((a) => a.family === 'IPv4' && !a.internal);
    if (v4 !== undefined) return v4.address;
  }
  throw new Error('this host has no non-loopback IPv4 address for the EndpointSlices');
}
