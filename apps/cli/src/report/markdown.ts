import { formatNumber } from './format.js';
import type { ExperimentReport, ReportDocument, ReportTable, Verdict } from './types.js';

export function cellText(v: string | number | null): string {
  return typeof v === 'number' ? formatNumber(v) : v === null ? 'n/a' : v;
}

function mdEscape(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function mdTable(t: ReportTable): string {
  const head = `| ${t.columns.map(mdEscape).join(' | ')} |`;
  const rule = `|${t.columns.map(() => ' --- |').join('')}`;
  const rows = t.rows.map((r) => `| ${r.map((c) => mdEscape(cellText(c))).join(' | ')} |`);
  return [head, rule, ...rows].join('\n');
}

export function verdictMark(v: Verdict): string {
  return v.holds === true ? 'holds' : v.holds === false ? 'does not hold' : 'not checked';
}

/** Tally of verdicts, e.g. "5 hold, 1 does not, 2 not checked". */
export function verdictTally(verdicts: readonly Verdict[]): string {
  const yes = verdicts.filter((v) => v.holds === true).length;
  const no = verdicts.filter((v) => v.holds === false).length;
  const na = verdicts.length - yes - no;
  return `${yes} hold${yes === 1 ? 's' : ''}, ${no} do${no === 1 ? 'es' : ''} not, ${na} not checked`;
}

function experimentMd(e: ExperimentReport): string {
  const parts = [`## ${e.id}: ${e.title}`, '', `**Question.** ${e.question}`, '', `**Setup.** ${e.setup}`, '', mdTable(e.table), ''];
  for (const f of e.figures) parts.push(`![${f.title}](${f.file})`, '', `*${f.caption}*`, '');
  parts.push(`**Verdicts** (${verdictTally(e.verdicts)}):`, '');
  for (const v of e.verdicts) parts.push(`- ${v.words} *Claim: ${v.claim}.* Tolerance: ${v.toleranceReason}.${v.explanation ? ` **Explained by** ${v.explanation}.` : ''}`);
  if (e.notes.length > 0) parts.push('', ...e.notes.map((n) => `> ${n}`), '');
  return parts.join('\n');
}

/** The opening: claims table (claim, result here, key number, figure) and failed runs. */
function summaryMd(doc: ReportDocument): string[] {
  const out: string[] = [];
  if (doc.claims && doc.claims.length > 0) {
    out.push('## Summary: the paper\'s claims, here', '', '| claim | held here? | key number | figure |', '| --- | --- | --- | --- |');
    for (const c of doc.claims) out.push(`| ${c.id}: ${mdEscape(c.claim)} | ${c.status} | ${mdEscape(c.key)} | ${c.figure ? `[${c.figure.id}](${c.figure.file})` : 'n/a'} |`);
    const why = doc.claims.flatMap((c) => c.explained);
    if (why.length > 0) out.push('', '**Why the verdicts that do not hold do not:**', '', ...why.map((w) => `- ${w}`));
    out.push('');
  }
  if (doc.failedRuns && doc.failedRuns.length > 0) {
    out.push('**Failed runs** (the plan went on without them):', '', ...doc.failedRuns.map((f) => `- ${f.experiment}/${f.label}: failed: ${f.reason}`), '');
  }
  return out;
}

/** `report.md`: the same content as report.html, figures linked as files. */
export function renderMarkdown(doc: ReportDocument): string {
  const all = doc.experiments.flatMap((e) => e.verdicts);
  const env = Object.entries(doc.environment).map(([k, v]) => `${k} ${v}`).join(', ');
  const lines = [
    `# ${doc.title}`, '', doc.summary, '', ...summaryMd(doc), `Environment: ${env}.`, '',
    `Overall: ${verdictTally(all)}. Measured curves are solid, predicted (kernel-regime theory) curves dashed.`, '',
    '| experiment | verdicts |', '| --- | --- |',
    ...doc.experiments.map((e) => `| ${e.id}: ${mdEscape(e.title)} | ${verdictTally(e.verdicts)} |`), '',
    ...doc.experiments.map(experimentMd),
  ];
  return `${lines.join('\n')}\n`;
}
