// Entry point `cdktf-mcp-access/aws`: see lib/aws.ts.
export * from './dist/aws';
