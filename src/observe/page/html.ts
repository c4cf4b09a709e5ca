/**
 * The live page (issue #11): one HTML document with its style and script inline, served by the
 * agent itself — no build step, nothing fetched from the internet. The Content-Security-Policy
 * allows exactly this script (by its sha256) and same-origin requests, so nothing else can run
 * in the page.
 */
import { createHash } from 'node:crypto';
import { CLIENT_JS } from './client.js';
import { PLOTS_JS } from './plots.js';

const STYLE = `
:root { color-scheme: dark; --bg: #111418; --card: #1b2027; --line: #2c333d; --text: #d8dee6;
  --dim: #8b96a3; --ok: #3fb950; --warn: #d29922; --bad: #f85149; --accent: #58a6ff; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, sans-serif; background: var(--bg); color: var(--text); }
header { display: flex; gap: 1rem; align-items: baseline; padding: .6rem 1rem; border-bottom: 1px solid var(--line); }
header h1 { font-size: 1.1rem; margin: 0; }
main { padding: 1rem; display: grid; gap: 1rem; }
section > h2 { font-size: .95rem; margin: 0 0 .5rem; color: var(--dim); text-transform: uppercase; letter-spacing: .05em; }
.grid { display: grid; gap: .75rem; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: .6rem; }
.card h3 { margin: 0 0 .4rem; font-size: .95rem; display: flex; justify-content: space-between; gap: .5rem; }
.dim { color: var(--dim); font-size: .8rem; }
.badge { border-radius: 3px; padding: 0 .35rem; font-size: .75rem; font-weight: 600; }
.ok { background: var(--ok); color: #000; } .degraded { background: var(--warn); color: #000; }
.down, .unhealthy { background: var(--bad); color: #000; } .healthy { background: var(--ok); color: #000; }
.on { background: var(--accent); color: #000; } .off { background: var(--line); }
.view { width: 100%; aspect-ratio: 4 / 3; background: #000; display: block; object-fit: contain; image-rendering: pixelated; }
canvas { width: 100%; display: block; background: #0c0f13; }
#reasons { margin: .25rem 0 0; padding-left: 1.2rem; color: var(--bad); }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
td, th { text-align: left; padding: .2rem .4rem; border-bottom: 1px solid var(--line); }
.bar { height: .6rem; background: var(--accent); min-width: 1px; }
input { background: #0c0f13; color: var(--text); border: 1px solid var(--line); border-radius: 4px; padding: .4rem; font: inherit; }
#prompt-text { width: min(40rem, 100%); } #prompt-contrast { width: min(30rem, 100%); }
pre { background: #0c0f13; padding: .5rem; overflow: auto; }
.warn { color: var(--warn); } .error { color: var(--bad); }
`;

const BODY = `
<header><h1>bindsight <span id="node"></span></h1><span id="health" class="badge"></span>
  <span id="model" class="dim"></span><span id="broker" class="dim"></span><span id="conn" class="dim"></span></header>
<main>
  <ul id="reasons"></ul>
  <section><h2>Sensors</h2><div id="sensors" class="grid"></div></section>
  <section><h2>Rules — score over the last 5 minutes against enter (red) and exit (orange)</h2>
    <div id="rules" class="grid"></div></section>
  <section class="card"><h2>Try a prompt</h2>
    <div><input id="prompt-text" placeholder="a prompt, e.g. a person" maxlength="200" autocomplete="off">
      <input id="prompt-contrast" placeholder="contrast, comma-separated (default: the rules' contrast)" autocomplete="off"></div>
    <p id="prompt-note" class="dim">Scores every sensor's latest embedding, live, as a rule would.</p>
    <table id="prompt-results" data-updates="0"><thead><tr><th>sensor</th><th>modality</th><th>cosine</th>
      <th>score</th><th></th><th>against</th></tr></thead><tbody></tbody></table>
    <pre id="prompt-yaml" hidden></pre></section>
  <section><h2>Recent events</h2><table id="events"><thead><tr><th>time</th><th>rule</th><th>type</th>
    <th>score</th><th>sensors</th><th>prompt</th></tr></thead><tbody></tbody></table></section>
</main>`;

const SCRIPT = `${PLOTS_JS}\n${CLIENT_JS}`;
const SCRIPT_HASH = createHash('sha256').update(SCRIPT).digest('base64');

/** The Content-Security-Policy of the page: its own inline script and style, same-origin data only. */
export const PAGE_CSP = [
  "default-src 'none'",
  `script-src 'sha256-${SCRIPT_HASH}'`,
  "style-src 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const PAGE_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>bindsight</title><link rel="icon" href="data:,"><style>${STYLE}</style></head>
<body>${BODY}
<script>${SCRIPT}</script></body></html>
`;
