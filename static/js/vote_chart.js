// Shared by the regie and the beamer: the dots per vote target as a bar chart, most dots first.
import { format } from "./realtime.js";
import { el } from "./dom.js";

/**
 * The targets with their dots, most first (ties keep the order they were offered in), as an <ol> of bars;
 * `fit` marks it for the beamer's text fitting. Returns the chart and the total number of dots.
 */
export function voteChart(targets, tallies, strings, { fit = false } = {}) {
  const rows = targets
    .map((t, index) => ({ ...t, index, dots: Number(tallies[t.id] || 0) }))
    .sort((a, b) => b.dots - a.dots || a.index - b.index);
  const most = Math.max(1, ...rows.map((r) => r.dots));
  const total = rows.reduce((sum, r) => sum + r.dots, 0);
  const chart = el("ol", { className: "vote-chart", attrs: fit ? { "data-fit": "" } : {} }, rows.map((row) => {
    const bar = el("div", { className: "vote-bar" });
    bar.style.width = `${(row.dots / most) * 100}%`;
    return el("li", { className: "vote-row", dataset: { target: row.id, dots: row.dots } }, [
      el("span", { className: "vote-label", text: row.text }),
      el("div", { className: "vote-track" }, [bar]),
      el("span", {
        className: "vote-count",
        text: String(row.dots),
        attrs: { "aria-label": row.dots === 1 ? strings.dots_one : format(strings.dots_many, { n: row.dots }) },
      }),
    ]);
  }));
  return { chart, total };
}
