/**
 * The `replay --compare --html` page: one table per account, a row per differing day. Inline CSS
 * only; no scripts, fonts or external assets.
 */
import { breachLine, pnlChange, rejectionLine, type ReplayComparison } from './report-compare.ts';

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function changeItems(added: string[], removed: string[]): string {
  const items = [
    ...added.map((t) => `<li class="add">+ ${esc(t)}</li>`),
    ...removed.map((t) => `<li class="rm">− ${esc(t)}</li>`),
  ];
  return items.length ? `<ul>${items.join('')}</ul>` : '';
}

export function comparisonHtml(c: ReplayComparison, configs: { old: string; new: string }): string {
  const title = `Replay compare (${c.mode})`;
  const sections: string[] = [];
  for (const [id, a] of Object.entries(c.accounts)) {
    const rows = Object.entries(a.days).map(([label, d]) => {
      const pnl = d.netRealizedPnl;
      const change = pnlChange(pnl);
      const cls = change.startsWith('+') ? 'add' : change.startsWith('-') ? 'rm' : '';
      const items = changeItems(
        [...d.breaches.added.map(breachLine), ...d.rejections.added.map(rejectionLine)],
        [...d.breaches.removed.map(breachLine), ...d.rejections.removed.map(rejectionLine)],
      );
      return `<tr><td>${esc(label)}</td><td>${esc(pnl.old)}</td><td>${esc(pnl.new)}</td><td class="${cls}">${esc(change)}</td><td class="l">${items}</td></tr>`;
    });
    sections.push(
      `<h2>Account ${esc(id)}</h2>\n<table><tr><th>day</th><th>net old</th><th>net new</th><th>change</th><th class="l">breaches and rejections</th></tr>\n${rows.join('\n')}\n</table>`,
    );
  }
  if (!sections.length) sections.push('<p>No differences.</p>');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{padding:2px 10px;border-bottom:1px solid #eee;text-align:right;vertical-align:top}
th{background:#f6f8fa}td:first-child,th:first-child,.l{text-align:left}
ul{margin:0;padding-left:0;list-style:none}.add{color:#0a6b2d}.rm{color:#b3261e}
</style></head><body>
<h1>${esc(title)}</h1>
<p>new: <code>${esc(configs.new)}</code> (<span class="add">+</span> only here) · old: <code>${esc(configs.old)}</code> (<span class="rm">−</span> only here) · events: ${c.events}</p>
${sections.join('\n')}
</body></html>
`;
}
