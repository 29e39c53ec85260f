// Which uris are workflow files: by name, the same on disk and in a virtual file system.
export function isWorkflowUri(uri: string): boolean {
  return uri.endsWith('.workflow.yaml');
}
