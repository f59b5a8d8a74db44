import type { KubernetesObject } from '@kubernetes/client-node';
import { MCPSERVER_RESOURCE } from '../api/v1alpha1/group.js';
import type { MCPServerStatus } from '../api/v1alpha1/index.js';
import type { ResourceType } from '../runtime/index.js';

export const MCPServers: ResourceType = MCPSERVER_RESOURCE;

/** An MCPServer as it comes from the API (spec defaulted by the API server, but unchecked here). */
export interface MCPServerObject extends KubernetesObject {
  spec?: unknown;
  status?: MCPServerStatus;
}

export const FIELD_MANAGER = 'mcp-runtime-operator';
export const CONTROLLER_NAME = 'mcpserver';
export const REPORTING_CONTROLLER = 'mcp.agent-hellboy.io/operator';
/** The controller that verifies servers over MCP (its own queue: slow servers delay no reconcile). */
export const VERIFIER_NAME = 'mcpserver-verifier';
