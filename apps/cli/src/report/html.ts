import { escapeXml } from '../figures/svg-plot.js';
import { cellText, verdictMark, verdictTally } from './markdown.js';
import type { ExperimentReport, ReportDocument } from './types.js';

const CSS = `
body { font-family: DejaVu Sans, Liberation Sans, Arial, sans-serif; max-width: 1000px; margin: 2em auto; padding: 0 1em; color: #111; line-height: 1.45; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; border-bottom: 1px solid #ccc; padding-bottom: .2em; margin-top: 2em; }
table { border-collapse: collapse; margin: 1em 0; font-size: .9em; }
th, td { border: 1px solid #ccc; padding: .25em .6em; text-align: right; }
th { background: #f3f3f3; } td:first-child, th:first-child { text-align: left; }
figure { margin: 1em 0; } figcaption { font-size: .9em; color: #444; }
figure svg { max-width: 100%; height: auto; }
.verdicts li { margin: .3em 0; } .claim { color: #555; font-size: .9em; }
.holds { color: #0a6b2d; font-weight: bold; } .fails { color: #a3200c; font-weight: bold; } .na { color: #666; font-weight: bold; }
.note { border-left: 3px solid #ccc; padding-left: .8em; color: #444; }
.summary td { text-align: left; vertical-align: top; } .why { color: #333; font-size: .9em; }
`;

/** Inline SVG in HTML5 needs no namespace attribute; dropping it keeps the page free of URLs. */
function inlineSvg(svg: string): string {
  return svg.replace(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/, '<svg');
}

function experimentHtml(e: ExperimentReport): string {
  const rows = e.table.rows.map((r) => `<tr>${r.map((c) => `<td>${escapeXml(cellText(c))}</td>`).join('')}</tr>`).join('\n');
  const figures = e.figures.map((f) => `<figure id="${escapeXml(f.id)}">\n${inlineSvg(f.svg)}<figcaption>${escapeXml(f.caption)}</figcaption>\n</figure>`).join('\n');
  const verdicts = e.verdicts.map((v) => {
    const cls = v.holds === true ? 'holds' : v.holds === false ? 'fails' : 'na';
    const why = v.explanation ? ` <span class="why"><strong>Explained by</strong> ${escapeXml(v.explanation)}.</span>` : '';
    return `<li><span class="${cls}">${escapeXml(verdictMark(v))}</span> ${escapeXml(v.words)} <span class="claim">Claim: ${escapeXml(v.claim)}. Tolerance: ${escapeXml(v.toleranceReason)}.</span>${why}</li>`;
  }).join('\n');
  const notes = e.notes.map((n) => `<p class="note">${escapeXml(n)}</p>`).join('\n');
  return `<section id="${escapeXml(e.id)}">
<h2>${escapeXml(e.id)}: ${escapeXml(e.title)}</h2>
<p><strong>Question.</strong> ${escapeXml(e.question)}</p>
<p><strong>Setup.</strong> ${escapeXml(e.setup)}</p>
<table><thead><tr>${e.table.columns.map((c) => `<th>${escapeXml(c)}</th>`).join('')}</tr></thead>
<tbody>
${rows}
</tbody></table>
${figures}
<h3>Verdicts (${escapeXml(verdictTally(e.verdicts))})</h3>
<ul class="verdicts">
${verdicts}
</ul>
${notes}
</section>`;
}

function summaryHtml(doc: ReportDocument): string {
  const parts: string[] = [];
  if (doc.claims && doc.claims.length > 0) {
    const rows = doc.claims.map((c) => `<tr><td>${escapeXml(c.id)}: ${escapeXml(c.claim)}</td><td>${escapeXml(c.status)}</td><td>${escapeXml(c.key)}</td><td>${c.figure ? `<a href="#${escapeXml(c.figure.id)}">${escapeXml(c.figure.id)}</a>` : 'n/a'}</td></tr>`).join('\n');
    parts.push(`<section id="summary">\n<h2>Summary: the paper's claims, here</h2>\n<table class="summary"><thead><tr><th>claim</th><th>held here?</th><th>key number</th><th>figure</th></tr></thead><tbody>\n${rows}\n</tbody></table>`);
    const why = doc.claims.flatMap((c) => c.explained);
    if (why.length > 0) parts.push(`<p><strong>Why the verdicts that do not hold do not:</strong></p>\n<ul class="why">\n${why.map((w) => `<li>${escapeXml(w)}</li>`).join('\n')}\n</ul>`);
    parts.push('</section>');
  }
  if (doc.failedRuns && doc.failedRuns.length > 0) {
    parts.push(`<p><strong>Failed runs</strong> (the plan went on without them):</p>\n<ul class="failed">\n${doc.failedRuns.map((f) => `<li>${escapeXml(`${f.experiment}/${f.label}`)}: failed: ${escapeXml(f.reason)}</li>`).join('\n')}\n</ul>`);
  }
  return parts.join('\n');
}

/**
 * `report.html`: one self-contained file (inline CSS, inline SVG figures, no script, no external
 * URL), so it opens offline and can be mailed as is.
 */
export function renderHtml(doc: ReportDocument): string {
  const all = doc.experiments.flatMap((e) => e.verdicts);
  const env = Object.entries(doc.environment).map(([k, v]) => `${k} ${v}`).join(', ');
  const toc = doc.experiments.map((e) => `<tr><td><a href="#${escapeXml(e.id)}">${escapeXml(e.id)}: ${escapeXml(e.title)}</a></td><td>${escapeXml(verdictTally(e.verdicts))}</td></tr>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(doc.title)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>${escapeXml(doc.title)}</h1>
<p>${escapeXml(doc.summary)}</p>
${summaryHtml(doc)}
<p>Environment: ${escapeXml(env)}.</p>
<p>Overall: ${escapeXml(verdictTally(all))}. Measured curves are solid, predicted (kernel-regime theory) curves dashed.</p>
<table><thead><tr><th>experiment</th><th>verdicts</th></tr></thead><tbody>
${toc}
</tbody></table>
${doc.experiments.map(experimentHtml).join('\n')}
</body>
</html>
`;
}
