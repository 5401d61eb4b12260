// What the host screen shows in a phase, one renderer per `step.display`.
// Every renderer gets a context (see host.js) and returns the nodes to put on screen;
// participant text only ever goes in through textContent (el(..., {text})).
import { format } from "../realtime.js";
import { el } from "../dom.js";
import { bordaPoints, displayGroup, scaleCounts, shapeNet } from "./layout.js";
import { voteChart } from "../vote_chart.js";

/** Return the words for a contribution's table and perspective ("tafel 3 · ouder"). */
export function metaText(c, strings, tables = []) {
  const parts = [];
  const named = c.table ? tables.find((t) => t.number === c.table && t.name) : null;
  if (named) parts.push(named.name);
  else if (c.table) parts.push(format(strings.table, { n: c.table }));
  if (c.perspective) parts.push(strings[`perspective:${c.perspective}`] || c.perspective);
  return parts.join(" · ");
}

/** A card for one contribution; options: {move: buckets for the "verplaats naar…" select, slot: show number}. */
export function card(c, ctx, options = {}) {
  const { strings } = ctx;
  const chips = [];
  const chip = (kind, text, extra = {}) => chips.push(el("span", { className: `chip chip-${kind}`, text, ...extra }));
  if (c.concealed) chip("concealed", strings.not_revealed); // pre-read on the regie; the beamer has no text of it
  if (c.pending && !c.hidden) chip("pending", strings.pending);
  if (options.slot) chip("slot", `${c.slot}.`);
  if (c.starred) chip("star", "★", { attrs: { title: strings.starred, "aria-label": strings.starred } });
  for (const tag of c.tags || []) chip("tag", ctx.tagLabel(tag), { dataset: { tag } });
  if (c.function) chip("function", format(strings.function, { function: c.function }));
  const toggle = el("button", {
    className: "card-toggle",
    text: c.hidden ? strings.show : strings.hide,
    attrs: { type: "button" },
  });
  toggle.addEventListener("click", () => ctx.actions.setHidden(c, !c.hidden, toggle));
  const footer = el("div", { className: "card-meta" }, [el("span", { text: metaText(c, strings, ctx.tables || []) })]);
  if (options.move && !c.hidden) footer.append(moveSelect(c, options.move, ctx));
  if (c.pending && !c.hidden && ctx.actions.approve) {
    const approve = el("button", { className: "card-approve", text: strings.approve, attrs: { type: "button" } });
    approve.addEventListener("click", () => ctx.actions.approve(c, approve));
    footer.append(approve);
  }
  footer.append(toggle);
  const pending = c.pending && !c.hidden ? " pending" : "";
  return el("li", { className: `card${pending}`, dataset: { id: c.id, kind: c.kind, slot: c.slot } }, [
    chips.length ? el("div", { className: "card-chips" }, chips) : null,
    el("p", { className: "card-text", text: c.text }),
    footer,
  ]);
}

function moveSelect(c, buckets, ctx) {
  const select = el("select", { className: "card-move", attrs: { "aria-label": ctx.strings.move_to } }, [
    el("option", { text: ctx.strings.move_to, attrs: { value: "", selected: true, disabled: true } }),
    ...buckets.filter((b) => b.id !== c.bucket).map((b) => el("option", { text: b.label, attrs: { value: b.id } })),
  ]);
  select.addEventListener("change", () => {
    if (select.value) ctx.actions.move(c, select.value);
  });
  return select;
}

function list(className, items) {
  return el("ul", { className }, items);
}

function section(title, children, className = "display-section") {
  return el("section", { className }, [title ? el("h3", { className: "section-title", text: title }) : null, ...children]);
}

const newestFirst = (items) => [...items].reverse();

// -- wall, case, stream ----------------------------------------------------------------------

/** The card wall lives in the page (#wall) so that a new card can be prepended without a redraw. */
export function renderWall(ctx, wallNode) {
  const cards = newestFirst(ctx.visible).map((c) => card(c, ctx));
  wallNode.textContent = "";
  wallNode.append(...cards);
  return cards.length;
}

function renderCase(ctx) {
  const byKind = new Map();
  for (const c of ctx.visible) {
    if (!byKind.has(c.kind)) byKind.set(c.kind, []);
    byKind.get(c.kind).push(c);
  }
  const questions = [];
  for (const [kind, items] of byKind) {
    questions.push(section(ctx.kindLabel(kind), [list("case-questions", items.map((c) => card(c, ctx)))]));
  }
  const text = ctx.step.case_text ? el("p", { className: "case-text case-large", text: ctx.step.case_text }) : null;
  // Side by side, so the inbrenger's question stays above the fold of a projector next to a long case.
  const layout = questions.length && text ? "case-layout two" : "case-layout";
  return [el("div", { className: layout }, [text, questions.length ? el("div", {}, questions) : null])];
}

function streamItem(c, ctx) {
  const node = card(c, ctx);
  node.classList.add("stream-item");
  return node;
}

function renderStream(ctx) {
  return [list("stream", newestFirst(ctx.visible).map((c) => streamItem(c, ctx)))];
}

// -- tables ----------------------------------------------------------------------------------

function tableName(number, ctx) {
  if (number === null || number === undefined) return ctx.strings.no_table;
  const row = ctx.tables.find((t) => t.number === number);
  return row && row.name ? row.name : format(ctx.strings.table_n, { n: number });
}

/** Columns side by side, one per table: submitted items by slot, then (dimmed) the live drafts. */
function tableColumns(ctx, contributions, { drafts = [], everyTable = true } = {}) {
  const numbers = new Set();
  if (everyTable) for (const t of ctx.tables) if (t.number !== null) numbers.add(t.number);
  for (const c of contributions) numbers.add(c.table ?? null);
  for (const d of drafts) if (d.text) numbers.add(d.table);
  const ordered = [...numbers].sort((a, b) => (a === null ? 1 : b === null ? -1 : a - b));
  const columns = ordered.map((number) => {
    const mine = contributions.filter((c) => (c.table ?? null) === number);
    const slotted = mine.filter((c) => c.slot !== null && c.slot !== undefined).sort((a, b) => a.slot - b.slot);
    const loose = mine.filter((c) => c.slot === null || c.slot === undefined);
    const tableDrafts = drafts.filter((d) => d.table === number && d.text).sort((a, b) => a.slot - b.slot);
    const children = [el("h3", { className: "table-name", text: tableName(number, ctx) })];
    const numbered = (c) => card(c, ctx, { slot: (ctx.step?.kinds || []).some((k) => k.id === c.kind && k.per_table > 1) });
    if (slotted.length) children.push(el("ol", { className: "table-items" }, slotted.map(numbered)));
    if (loose.length) children.push(list("table-items loose", loose.map((c) => card(c, ctx))));
    if (tableDrafts.length) {
      children.push(list("table-drafts", tableDrafts.map((d) => draftItem(d, ctx))));
    }
    if (!slotted.length && !loose.length && !tableDrafts.length) {
      children.push(el("p", { className: "muted table-empty", text: ctx.strings.nothing_yet }));
    }
    return el("section", { className: "table-column", dataset: { table: number ?? "none" } }, children);
  });
  return el("div", { className: "table-columns" }, columns);
}

function draftItem(draft, ctx) {
  const status = draft.submitted ? "submitted" : "concept";
  return el("li", { className: `draft ${status}`, dataset: { status, slot: draft.slot } }, [
    el("span", { className: "draft-status", text: draft.submitted ? ctx.strings.submitted : ctx.strings.concept }),
    // A submitted draft's text is the item shown above it; only a draft in progress shows its text.
    draft.submitted ? null : el("p", { className: "draft-text", text: draft.text }),
  ]);
}

function renderPerTable(ctx) {
  return [tableColumns(ctx, ctx.visible, { drafts: ctx.drafts })];
}

function renderRodeDraad(ctx) {
  const advices = ctx.shown;
  const suggestions = ctx.current;
  const nodes = [];
  if (advices.length) {
    nodes.push(section(ctx.strings.advice_title, [tableColumns(ctx, advices, { everyTable: false })]));
  }
  nodes.push(
    section(ctx.strings.rode_draad_title, [list("wall rode-draad-cards", newestFirst(suggestions).map((c) => card(c, ctx)))]),
  );
  return nodes;
}

function renderStars(ctx) {
  const starred = ctx.shown.filter((c) => c.starred);
  return [
    section(ctx.strings.starred_title, [
      starred.length
        ? list("stream starred", newestFirst(starred).map((c) => streamItem(c, ctx)))
        : el("p", { className: "muted", text: ctx.strings.no_stars }),
    ]),
    section(ctx.strings.reactions_title, [list("wall reactions", newestFirst(ctx.current).map((c) => card(c, ctx)))]),
  ];
}

// -- quadrants -------------------------------------------------------------------------------

function renderQuadrants(ctx) {
  const buckets = ctx.step.buckets || [];
  const known = new Set(buckets.map((b) => b.id));
  const lists = [];
  const quadrants = buckets.map((bucket) => {
    const items = ctx.visible.filter((c) => c.bucket === bucket.id);
    const ul = el(
      "ul",
      { className: "quadrant-list", dataset: { bucket: bucket.id }, attrs: { "aria-label": bucket.label } },
      newestFirst(items).map((c) => card(c, ctx, { move: buckets })),
    );
    lists.push(ul);
    return el("section", { className: "quadrant", dataset: { bucket: bucket.id } }, [
      el("h3", { className: "quadrant-title", text: bucket.label }, [
        el("span", { className: "quadrant-count", text: ` (${items.length})` }),
      ]),
      bucket.description ? el("p", { className: "quadrant-description", text: bucket.description }) : null,
      ul,
    ]);
  });
  const loose = ctx.visible.filter((c) => !known.has(c.bucket));
  const nodes = [shapeNet(el("div", { className: `quadrants count-${buckets.length}` }, quadrants), buckets.length)];
  if (loose.length) {
    nodes.push(section(ctx.strings.no_bucket, [list("wall", loose.map((c) => card(c, ctx, { move: buckets })))]));
  }
  ctx.makeSortable(lists);
  return nodes;
}

// -- votes -----------------------------------------------------------------------------------

function renderVotes(ctx) {
  const targets = ctx.step.vote?.targets || [];
  if (!targets.length) return [el("p", { className: "muted", text: ctx.strings.no_targets })];
  const { chart, total } = voteChart(targets, ctx.tallies || {}, ctx.strings);
  const summary = el("p", {
    className: "vote-total muted",
    text: format(ctx.strings.votes_total, { n: total, dots: ctx.step.vote?.dots ?? "" }),
  });
  return [chart, summary];
}

// -- a composed werkvorm: grid, scale, ranking, afspraken -----------------------------------------

const oldestFirst = (items) => [...items].sort((a, b) => a.created_at - b.created_at);

/** Rows (buckets, with their descriptions) by columns (the display group's options); each cell lists its cards. */
function renderGrid(ctx) {
  const rows = ctx.step.buckets || [];
  const columns = displayGroup(ctx.step).options;
  const placed = new Set();
  const table = el("table", { className: "grid-table" }, [
    el("thead", {}, [el("tr", {}, [
      el("td", { className: "grid-corner" }),
      ...columns.map((column) => el("th", { className: "grid-column", attrs: { scope: "col" } }, [
        el("span", { text: column.label }),
        column.description ? el("span", { className: "grid-description", text: column.description }) : null,
      ])),
    ])]),
    el("tbody", {}, rows.map((row) => el("tr", { dataset: { bucket: row.id } }, [
      el("th", { className: "grid-row", attrs: { scope: "row" } }, [
        el("span", { text: row.label }),
        row.description ? el("span", { className: "grid-description", text: row.description }) : null,
      ]),
      ...columns.map((column) => {
        const mine = oldestFirst(ctx.visible.filter((c) => c.bucket === row.id && (c.tags || []).includes(column.id)));
        for (const c of mine) placed.add(c.id);
        return el("td", { className: "grid-cell", dataset: { column: column.id } }, [
          list("grid-cards", mine.map((c) => card({ ...c, tags: [] }, ctx))),
        ]);
      }),
    ]))),
  ]);
  const nodes = [el("div", { className: "grid-scroll" }, [table])];
  const loose = ctx.visible.filter((c) => !placed.has(c.id));
  if (loose.length) nodes.push(section(ctx.strings.no_cell, [list("wall", loose.map((c) => card(c, ctx)))]));
  return nodes;
}

/** A bar chart of rows {id, text, n}, as the votes draw theirs. */
function barChart(rows, label) {
  const most = Math.max(1, ...rows.map((r) => r.n));
  return el("ol", { className: "vote-chart" }, rows.map((row) => {
    const bar = el("div", { className: "vote-bar" });
    bar.style.width = `${(row.n / most) * 100}%`;
    return el("li", { className: "vote-row", dataset: { option: row.id, n: row.n } }, [
      el("span", { className: "vote-label", text: row.text }),
      el("div", { className: "vote-track" }, [bar]),
      el("span", { className: "vote-count", text: String(row.n), attrs: { "aria-label": label(row.n) } }),
    ]);
  }));
}

/** Per scale point how many chose it, then the explanations as cards. */
function renderScale(ctx) {
  const group = displayGroup(ctx.step);
  const counts = scaleCounts(group, ctx.current);
  const rows = group.options.map((o) => ({ id: o.id, text: o.label, n: counts.get(o.id) || 0 }));
  const s = ctx.strings;
  const explained = ctx.current.filter((c) => c.text);
  return [
    barChart(rows, (n) => (n === 1 ? s.chosen_one : format(s.chosen_many, { n }))),
    explained.length ? section(s.explanations, [list("wall", newestFirst(explained).map((c) => card(c, ctx)))]) : null,
  ].filter(Boolean);
}

/** The room's order by Borda points, most first, with how they were counted; then the remarks. */
function renderRanking(ctx) {
  const group = displayGroup(ctx.step);
  const { points, answers, most } = bordaPoints(group, ctx.current);
  const rows = group.options
    .map((o, index) => ({ id: o.id, text: o.label, n: points.get(o.id) || 0, index }))
    .sort((a, b) => b.n - a.n || a.index - b.index);
  const s = ctx.strings;
  const remarks = ctx.current.filter((c) => c.text);
  return [
    barChart(rows, (n) => (n === 1 ? s.points_one : format(s.points_many, { n }))),
    el("p", { className: "vote-total muted", text: format(s.borda, { n: rows.length, most, answers }) }),
    remarks.length ? section(s.remarks, [list("wall", newestFirst(remarks).map((c) => card(c, ctx)))]) : null,
  ].filter(Boolean);
}

/** Afspraken as a table: what, who, level, when; each row with the card's own buttons (hide, approve). */
function renderActions(ctx) {
  const levels = displayGroup(ctx.step);
  const s = ctx.strings;
  const level = (c) => (c.tags || []).map((t) => levels.options.find((o) => o.id === t)?.label || t).join(", ");
  const rows = oldestFirst(ctx.visible).map((c) => {
    const controls = card({ ...c, tags: [] }, ctx);
    controls.querySelector(".card-text")?.remove();
    return el("tr", { className: `action-row${c.pending && !c.hidden ? " pending" : ""}`, dataset: { id: c.id } }, [
      el("td", { className: "action-what", text: c.text }),
      el("td", { className: "action-who", text: c.owner || "" }),
      el("td", { className: "action-level", text: level(c) }),
      el("td", { className: "action-when", text: c.due || "" }),
      el("td", { className: "action-controls" }, [el("ul", { className: "action-card" }, [controls])]),
    ]);
  });
  return [el("table", { className: "actions-table" }, [
    el("thead", {}, [el("tr", {}, [
      ...[s.action_what, s.action_who, s.action_level, s.action_when]
        .map((text) => el("th", { text, attrs: { scope: "col" } })),
      el("td"),
    ])]),
    el("tbody", {}, rows),
  ])];
}

const RENDERERS = {
  grid: renderGrid,
  scale: renderScale,
  ranking: renderRanking,
  actions: renderActions,
  case: renderCase,
  stream: renderStream,
  per_table: renderPerTable,
  stars: renderStars,
  quadrants: renderQuadrants,
  votes: renderVotes,
  rode_draad: renderRodeDraad,
  board: (ctx) => ctx.boardNodes(), // the rode-draden board (host/board.js) keeps its own element
};

/** Tell whether a display has its own renderer (otherwise the card wall shows). */
export function hasOwnDisplay(display) {
  return Object.prototype.hasOwnProperty.call(RENDERERS, display);
}

/** Return the nodes for a display other than the wall; null means "show the wall" (also for unknown displays). */
export function renderDisplay(display, ctx) {
  const renderer = hasOwnDisplay(display) ? RENDERERS[display] : null;
  return renderer ? renderer(ctx) : null;
}
