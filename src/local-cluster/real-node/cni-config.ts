import { CNI_BRIDGE, CNI_NETWORK_NAME, REAL_POD_CIDR } from './network.js';

/**
 * The node's CNI network: a Linux bridge with host-local addresses. No ipMasq and no portmap,
 * so the plugins add no iptables rules (pods talk to the host and each other only; nothing here
 * may reach other networks anyway). host-local keeps its allocations in our data dir.
 */
export function cniConfList(ipamDataDir: string): Record<string, unknown> {
  return {
    cniVersion: '0.4.0',
    name: CNI_NETWORK_NAME,
    plugins: [
      {
        type: 'bridge',
        bridge: CNI_BRIDGE,
        isGateway: true,
        ipMasq: false,
        // A pod reaching itself through a Service's ClusterIP comes back over the same veth.
        hairpinMode: true,
        ipam: {
          type: 'host-local',
          ranges: [[{ subnet: REAL_POD_CIDR }]],
          routes: [{ dst: '0.0.0.0/0' }],
          dataDir: ipamDataDir,
        },
      },
    ],
  };
}
