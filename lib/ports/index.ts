export * from './loopback-mcp-deployment';
export { validateLoopbackMcpDeploymentProps } from './loopback-mcp-deployment-props';
