// A semantic diff of two workflow files: what a reviewer needs to know, not which lines moved.
// The pieces live in core/diff/: reading a side, matching nodes (renames), routing, flags, and the
// text and markdown renderings; this module is their one import point.
export * from './diff/types';
export { diffWorkflows } from './diff/compute';
export { RENAME_THRESHOLD } from './diff/match';
export { changeStatus, edgeKey, type ChangeStatus, type ChangeStatusMap } from './diff/status';
export { renderDiffText, renderDiffTextLinked, summaryText } from './diff/text';
export { renderDiffMarkdown, type FileDiff } from './diff/markdown';
