export { createOperator, type OperatorOptions } from './operator.js';
export { loadOperatorConfig, ConfigError, OPERATOR_RUNTIME_ENV, type OperatorConfig, type OperatorFlags } from './config.js';
export { FIELD_MANAGER, MCPServers, type MCPServerObject } from './types.js';
