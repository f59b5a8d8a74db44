/** Identity of the MCPServer API. Every other file names the API through these constants. */
export const GROUP = 'mcp.agent-hellboy.io';
export const VERSION = 'v1alpha1';
export const API_VERSION = `${GROUP}/${VERSION}`;
export const KIND = 'MCPServer';
export const LIST_KIND = 'MCPServerList';
export const PLURAL = 'mcpservers';
export const SINGULAR = 'mcpserver';
export const SHORT_NAMES = ['mcps'];
export const CATEGORIES = ['mcp'];
export const CRD_NAME = `${PLURAL}.${GROUP}`;
/** The namespace servers go to when neither the manifest nor the metadata names one. */
export const DEFAULT_SERVER_NAMESPACE = 'mcp-servers';

/** The MCPServer resource, as the Kubernetes clients address it. */
export const MCPSERVER_RESOURCE = { apiVersion: API_VERSION, kind: KIND, plural: PLURAL, namespaced: true } as const;
