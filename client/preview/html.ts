// The preview page's HTML: one script and one stylesheet from the extension's dist/ folder, a strict
// Content-Security-Policy (no inline script, no remote origin, scripts only with this load's nonce).
// Pure string building, so the page test in chromium uses exactly what the panel serves.
export interface PreviewHtmlInput {
  /** The webview's resource origin (webview.cspSource). */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  nonce: string;
}

export function previewHtml(i: PreviewHtmlInput): string {
  const csp = [
    "default-src 'none'",
    `img-src ${i.cspSource} data:`,
    `style-src ${i.cspSource}`,
    `font-src ${i.cspSource}`,
    `script-src 'nonce-${i.nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(i.styleUri)}">
<title>Workflow graph</title>
</head>
<body>
<header id="toolbar">
  <span id="title"></span>
  <span class="spacer"></span>
  <span class="group" role="group" aria-label="Zoom">
    <button id="zoom-out" type="button" title="Zoom out (-)" aria-label="Zoom out">−</button>
    <button id="zoom-level" type="button" title="Actual size (1)" aria-label="Zoom level; actual size">100%</button>
    <button id="zoom-in" type="button" title="Zoom in (+)" aria-label="Zoom in">+</button>
    <button id="fit" type="button" title="Fit the whole graph to the panel (0)">Fit</button>
  </span>
  <button id="changes" type="button" aria-pressed="false" title="Colour what changed since the last commit">Changes since HEAD</button>
  <button id="export-mermaid" type="button" title="Export the graph as Mermaid">Mermaid</button>
  <button id="export-svg" type="button" title="Export the graph as SVG">SVG</button>
</header>
<div id="banner" role="status" hidden></div>
<div id="legend" hidden></div>
<main id="view">
<div id="canvas" tabindex="0" role="region" aria-label="Workflow graph: drag or arrow keys to pan, wheel or + and - to zoom, 0 to fit, Tab to move between nodes, Enter to reveal a node in the text"><p id="empty">Open a .workflow.yaml file to see its graph.</p></div>
</main>
<script nonce="${attr(i.nonce)}" src="${attr(i.scriptUri)}"></script>
</body>
</html>
`;
}

function attr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** 32 characters from [A-Za-z0-9], fresh for every page load. */
export function makeNonce(random: (n: number) => Uint8Array): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...random(32)].map((b) => chars[b % chars.length]).join('');
}
