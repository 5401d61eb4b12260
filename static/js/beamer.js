// The beamer: the room's screen. It joins its bijeenkomst as "beamer" and is sent only what the room may see
// (the server builds every payload from room-safe data: no hidden, unapproved or concealed text, no codes, no
// addresses), follows the regie live and gets its whole state again after a reload or a reconnect. It has no
// controls: the regie steers it. The stage's type size is fitted so that everything shows (beamer/fit.js).
import { connect, format, loadStrings, setChildren } from "./realtime.js";
import { $, el } from "./dom.js";
import { formatClock } from "./host/timer.js";
import { fitStage, fitText } from "./beamer/fit.js";
import { displayGroup, shapeNet } from "./host/layout.js";
import { voteChart } from "./vote_chart.js";

const strings = loadStrings();
const sessionId = document.body.dataset.session;
const root = $("beamer");
const stage = $("stage");

// Type sizes in px for the cards: normal, and the large-type mode for big rooms.
const SIZES = { normal: { min: 16, max: 72 }, large: { min: 30, max: 110 } };
const PROMPT = { normal: { min: 24, max: 64 }, large: { min: 34, max: 88 } };
// The widths of a column of cards to try, in ems of the card text: comfortable first, then narrower.
const COLUMN_EMS = [12, 10];

let step = null;
let tables = [];
let view = { large: false, qr: "auto" };
let board = null;
let votes = null;
let concealed = 0;
let summary = null; // a scale's counts or a ranking's points, added up by the server from what the room may see
let timer = null;
let timerAt = 0;
let ended = false;
const contributions = new Map(); // id -> room-safe contribution

// -- what a card says --------------------------------------------------------------------------

function tableLabel(number) {
  if (number === null || number === undefined) return strings.no_table;
  const row = tables.find((t) => t.number === number);
  return row && row.name ? row.name : format(strings.table, { n: number });
}

function tagLabel(id) {
  for (const group of step?.tag_groups || []) {
    const option = group.options.find((o) => o.id === id);
    if (option) return option.label;
  }
  return id;
}

function numbered(c) {
  return (step?.kinds || []).some((k) => k.id === c.kind && k.per_table > 1) && c.slot;
}

/** A card: the text, then in smaller type what the room may know of it (table, perspective, tags). */
function card(c, { table = true, tags = true } = {}) {
  const meta = [];
  if (c.starred) meta.push("★");
  if (tags) for (const tag of c.tags || []) meta.push(tagLabel(tag));
  if (c.function) meta.push(format(strings.function, { function: c.function }));
  if (table && c.table !== null && c.table !== undefined) meta.push(tableLabel(c.table));
  if (c.perspective) meta.push(strings[`perspective:${c.perspective}`] || c.perspective);
  return el("li", { className: "bcard", dataset: { id: c.id, kind: c.kind } }, [
    numbered(c) ? el("span", { className: "slot", text: `${c.slot}. ` }) : null,
    el("span", { className: "bcard-text", text: c.text }),
    meta.length ? el("span", { className: "bcard-meta", text: meta.join(" · ") }) : null,
  ]);
}

const newestFirst = (items) => [...items].sort((a, b) => b.created_at - a.created_at);
const oldestFirst = (items) => [...items].sort((a, b) => a.created_at - b.created_at);

function wall(items, options) {
  return el("ul", { className: "bcards bwall", attrs: { "data-fit": "" } }, newestFirst(items).map((c) => card(c, options)));
}

function section(title, body) {
  return el("section", { className: "section" }, [title ? el("h2", { className: "section-title", text: title }) : null, body]);
}

function message(text) {
  return el("p", { className: "stage-message", text });
}

// -- the displays ------------------------------------------------------------------------------

const inPhase = (c) => c.phase === step.phase;
const shownEarlier = (c) => c.phase !== step.phase;

function renderCase(items) {
  const text = step.case_text ? el("div", { className: "fit-box", attrs: { "data-fit": "" } }, [
    el("p", { className: "bcase-text", text: step.case_text }),
  ]) : null;
  const byKind = new Map();
  for (const c of oldestFirst(items)) {
    if (!byKind.has(c.kind)) byKind.set(c.kind, []);
    byKind.get(c.kind).push(c);
  }
  const questions = [...byKind].map(([kind, list]) => section(
    step.kinds.find((k) => k.id === kind)?.label || "",
    el("ul", { className: "bcards stack" }, list.map((c) => card(c))),
  ));
  const side = questions.length ? el("div", { className: "fit-box", attrs: { "data-fit": "" } }, questions) : null;
  if (!text && !side) return [message(strings.empty)];
  return [el("div", { className: `case-layout${text && side ? "" : " alone"}` }, [text, side])];
}

/** Columns, one per table: what each table submitted (tables the room may not name go under "Zonder tafel"). */
function tableColumns(items, { everyTable = true } = {}) {
  const numbers = new Set();
  if (everyTable) for (const t of tables) numbers.add(t.number);
  for (const c of items) numbers.add(c.table ?? null);
  const ordered = [...numbers].sort((a, b) => (a === null ? 1 : b === null ? -1 : a - b));
  const columns = ordered.map((number) => {
    const mine = items.filter((c) => (c.table ?? null) === number)
      .sort((a, b) => (a.slot ?? 0) - (b.slot ?? 0) || a.created_at - b.created_at);
    return el("section", { className: "column", dataset: { table: number ?? "none" } }, [
      el("h2", { className: "column-title", text: tableLabel(number) }),
      mine.length
        ? el("ol", { className: "bcards" }, mine.map((c) => card(c, { table: false })))
        : el("p", { className: "bcard-meta-empty", text: strings.nothing_yet }),
    ]);
  });
  return el("div", { className: "columns", dataset: { count: columns.length || 1 }, attrs: { "data-fit": "" } }, columns);
}

function renderQuadrants(items) {
  const buckets = step.buckets || [];
  const known = new Set(buckets.map((b) => b.id));
  const quadrants = buckets.map((bucket) => {
    const mine = items.filter((c) => c.bucket === bucket.id);
    return el("section", { className: "quadrant", dataset: { bucket: bucket.id } }, [
      el("h2", { className: "quadrant-title", text: bucket.label }, [
        el("span", { className: "quadrant-count", text: ` (${mine.length})` }),
      ]),
      wall(mine),
    ]);
  });
  const loose = items.filter((c) => !known.has(c.bucket));
  if (loose.length) {
    quadrants.push(el("section", { className: "quadrant", dataset: { bucket: "" } }, [
      el("h2", { className: "quadrant-title", text: strings.no_bucket }),
      wall(loose),
    ]));
  }
  return [shapeNet(el("div", { className: `quadrants count-${quadrants.length}` }, quadrants), quadrants.length)];
}

// -- a composed werkvorm's displays ---------------------------------------------------------------

/** Rows (the buckets, with their descriptions) by columns (the options of the display's group); cards in cells. */
function renderGrid(items) {
  const rows = step.buckets || [];
  const columns = displayGroup(step).options;
  const placed = new Set();
  const inCell = (row, column) => oldestFirst(items.filter((c) => c.bucket === row && (c.tags || []).includes(column)));
  const header = el("tr", {}, [
    el("td", { className: "bgrid-corner" }),
    ...columns.map((column) => el("th", { className: "bgrid-column", text: column.label, attrs: { scope: "col" } })),
  ]);
  const body = rows.map((row) => el("tr", { dataset: { bucket: row.id } }, [
    el("th", { className: "bgrid-row", attrs: { scope: "row" } }, [
      el("span", { className: "bgrid-row-label", text: row.label }),
      row.description ? el("span", { className: "bgrid-row-description", text: row.description }) : null,
    ]),
    ...columns.map((column) => {
      const mine = inCell(row.id, column.id);
      for (const c of mine) placed.add(c.id);
      return el("td", { className: "bgrid-cell", dataset: { column: column.id } }, [
        el("ul", { className: "bcards stack" }, mine.map((c) => card(c, { tags: false }))),
      ]);
    }),
  ]));
  const loose = items.filter((c) => !placed.has(c.id));
  return [el("div", { className: "summed-stage" }, [
    el("div", { className: "bgrid-box", attrs: { "data-fit": "" } }, [
      el("table", { className: "bgrid" }, [el("thead", {}, [header]), el("tbody", {}, body)]),
    ]),
    loose.length ? section(strings.no_cell, wall(loose)) : null,
  ])];
}

/** Bars, one per row {id, text, n}: the label, the bar (its length relative to `most`), the number. */
function bars(rows, most, label) {
  return el("ol", { className: "vote-chart bbars", attrs: { "data-fit": "" } }, rows.map((row) => {
    const bar = el("div", { className: "vote-bar" });
    bar.style.width = `${most ? (row.n / most) * 100 : 0}%`;
    return el("li", { className: "vote-row", dataset: { option: row.id, n: row.n } }, [
      el("span", { className: "vote-label", text: row.text }),
      el("div", { className: "vote-track" }, [bar]),
      el("span", { className: "vote-count", text: String(row.n), attrs: { "aria-label": label(row.n) } }),
    ]);
  }));
}

/** Per scale point a bar with how many chose it (in the scale's order), then the explanations as cards. */
function renderScale(items) {
  const counts = summary?.counts || {};
  const rows = displayGroup(step).options.map((o) => ({ id: o.id, text: o.label, n: Number(counts[o.id] || 0) }));
  const most = Math.max(1, ...rows.map((r) => r.n));
  const explained = items.filter((c) => inPhase(c) && c.text);
  return [el("div", { className: "summed-stage" }, [
    bars(rows, most, (n) => (n === 1 ? strings.chosen_one : format(strings.chosen_many, { n }))),
    explained.length ? section(strings.explanations, wall(explained)) : null,
  ])];
}

/** The room's order: Borda points per option, most first, with how they were counted; then the remarks. */
function renderRanking(items) {
  const points = summary?.points || {};
  const rows = displayGroup(step).options
    .map((o, index) => ({ id: o.id, text: o.label, n: Number(points[o.id] || 0), index }))
    .sort((a, b) => b.n - a.n || a.index - b.index);
  const most = Math.max(1, ...rows.map((r) => r.n));
  const remarks = items.filter((c) => inPhase(c) && c.text);
  return [el("div", { className: "summed-stage" }, [
    bars(rows, most, (n) => (n === 1 ? strings.points_one : format(strings.points_many, { n }))),
    el("p", { className: "summed-caption", text: format(strings.borda, {
      n: rows.length, most: summary?.most ?? Math.max(0, rows.length - 1), answers: summary?.answers ?? 0,
    }) }),
    remarks.length ? section(strings.remarks, wall(remarks)) : null,
  ])];
}

/** Afspraken as a table: what, who, level, when (who and when are typed by a participant, like the text). */
function renderActions(items) {
  const levels = displayGroup(step);
  const level = (c) => (c.tags || []).map((t) => levels.options.find((o) => o.id === t)?.label || "").join(", ");
  const head = el("tr", {}, [strings.action_what, strings.action_who, strings.action_level, strings.action_when]
    .map((text) => el("th", { text, attrs: { scope: "col" } })));
  const rows = oldestFirst(items).map((c) => el("tr", { className: "bcard baction", dataset: { id: c.id } }, [
    el("td", {}, [el("span", { className: "bcard-text", text: c.text })]),
    el("td", { className: "baction-who", text: c.owner || "" }),
    el("td", { className: "baction-level", text: level(c) }),
    el("td", { className: "baction-when", text: c.due || "" }),
  ]));
  return [el("div", { className: "bactions-box", attrs: { "data-fit": "" } }, [
    el("table", { className: "bactions" }, [el("thead", {}, [head]), el("tbody", { className: "bcards" }, rows)]),
  ])];
}

function renderVotes() {
  const targets = votes?.targets || [];
  if (!targets.length) return [message(strings.no_targets)];
  return [voteChart(targets, votes.tallies || {}, strings, { fit: true }).chart];
}

function renderBoard() {
  if (!board || (!board.themes.length && !board.unsorted.length)) {
    return board?.rode_draad ? [el("p", { className: "rode-draad", text: board.rode_draad })] : [message(strings.empty)];
  }
  const column = (title, cards, className = "column") => el("section", { className }, [
    el("h2", { className: "column-title", text: title }, [
      el("span", { className: "column-count", text: ` (${cards.length})` }),
    ]),
    el("ul", { className: "bcards" }, cards.map((c) => el("li", { className: "bcard", dataset: { id: c.id } }, [
      el("span", { className: "bcard-text", text: c.text }),
    ]))),
  ]);
  const columns = board.themes.map((theme) => column(theme.name, theme.cards));
  if (board.unsorted.length) columns.push(column(strings.unsorted, board.unsorted, "column unsorted"));
  return [el("div", { className: "board-stage" }, [
    el("div", { className: "columns", dataset: { count: columns.length }, attrs: { "data-fit": "" } }, columns),
    board.rode_draad ? el("p", { className: "rode-draad", text: board.rode_draad }) : null,
  ])];
}

function renderDisplay(items) {
  const display = step?.display || "wall";
  if (display === "votes") return renderVotes();
  if (display === "board") return renderBoard();
  if (display === "case") return renderCase(items);
  if (!items.length) return [message(strings.empty)];
  if (display === "quadrants") return renderQuadrants(items);
  if (display === "per_table") return [tableColumns(items)];
  if (display === "grid") return renderGrid(items);
  if (display === "scale") return renderScale(items);
  if (display === "ranking") return renderRanking(items);
  if (display === "actions") return renderActions(items);
  if (display === "stars") {
    const starred = items.filter((c) => shownEarlier(c) && c.starred);
    return [el("div", { className: "two-sections" }, [
      section(strings.starred_title, wall(starred)),
      section(strings.reactions_title, wall(items.filter(inPhase))),
    ])];
  }
  if (display === "rode_draad") {
    const advices = items.filter(shownEarlier);
    const suggestions = items.filter(inPhase);
    if (!advices.length) return [wall(suggestions)];
    return [el("div", { className: "two-sections stacked" }, [
      section(strings.advice_title, tableColumns(advices, { everyTable: false })),
      section(strings.rode_draad_title, wall(suggestions)),
    ])];
  }
  return [wall(items)];
}

// -- drawing -----------------------------------------------------------------------------------

function waitingForReveal() {
  return Boolean(step && step.hidden_until_reveal && !step.revealed);
}

function hasContent(items) {
  const display = step?.display;
  if (display === "board") return Boolean(board && (board.themes.length || board.unsorted.length));
  if (display === "votes") return Boolean(votes && votes.targets.length);
  if (display === "case") return Boolean(step.case_text || items.length);
  return items.length > 0;
}

let drawQueued = false;
function draw() {
  drawQueued = false;
  if (ended) return;
  const size = view.large ? "large" : "normal";
  const items = [...contributions.values()];
  root.dataset.large = String(Boolean(view.large));
  root.dataset.display = step?.display || "wall";
  $("beamer-phase").textContent = step ? `${step.workformat_name} · ${step.phase_title}` : "";
  $("beamer-prompt").textContent = step ? step.prompt : "";
  const waiting = waitingForReveal();
  const qr = view.qr === "auto" ? (waiting || !hasContent(items) ? "large" : "small") : view.qr;
  root.dataset.qr = qr;
  if (waiting) {
    setChildren(stage, [el("div", { className: "stage-message" }, [
      el("span", { className: "stage-count", text: String(concealed) }),
      el("span", { className: "stage-count-label", text: concealed === 1 ? strings.concealed_one : strings.concealed_many }),
      el("span", { text: strings.concealed_hint }),
    ])]);
  } else {
    setChildren(stage, step ? renderDisplay(items) : [message(strings.empty)]);
  }
  // The question stays readable from the back, and gives way to the cards when many came in.
  const cards = step?.display === "board" && board
    ? board.themes.reduce((n, t) => n + t.cards.length, board.unsorted.length)
    : items.length;
  const scale = size === "large" ? 1.35 : 1;
  const promptMax = Math.round(scale * (cards > 30 ? 40 : cards > 12 ? 52 : PROMPT.normal.max));
  fitText($("beamer-prompt"), {
    min: PROMPT[size].min,
    max: Math.max(PROMPT[size].min, Math.min(PROMPT[size].max, promptMax)),
    maxHeight: window.innerHeight * (qr === "large" ? 0.3 : 0.2),
  });
  const fitted = fitStage(stage, { ...SIZES[size], columnEms: COLUMN_EMS, strings });
  // For whoever checks the room's screen (and the browser test): the size chosen and what was left out.
  stage.dataset.fs = String(fitted.size);
  stage.dataset.dropped = String(fitted.dropped);
}

function redraw() {
  if (drawQueued) return;
  drawQueued = true;
  requestAnimationFrame(draw);
}

window.addEventListener("resize", redraw);

// -- the timer ---------------------------------------------------------------------------------

function paintTimer() {
  const node = $("beamer-timer");
  if (!timer) {
    node.textContent = "";
    node.hidden = true;
    return;
  }
  const left = timer.running ? timer.remaining - (performance.now() - timerAt) / 1000 : timer.remaining;
  const text = formatClock(left);
  node.hidden = false;
  node.textContent = text;
  node.dataset.state = text.startsWith("+") ? "overtime" : timer.running ? "running" : "paused";
}

function setTimer(payload) {
  timer = payload && typeof payload.remaining === "number" ? payload : null;
  timerAt = performance.now();
  paintTimer();
}
setInterval(paintTimer, 250);

// -- the connection ----------------------------------------------------------------------------

const link = connect({
  sessionId,
  role: "beamer",
  handlers: {
    onState(state) {
      step = state.step || null;
      tables = state.tables || [];
      view = state.view || view;
      board = state.board || null;
      votes = state.votes || null;
      concealed = Number(state.concealed || 0);
      summary = state.summary || null;
      contributions.clear();
      for (const c of state.contributions || []) contributions.set(c.id, c);
      setTimer(state.timer);
      redraw();
    },
    on: {
      beamer_contribution({ contribution }) {
        contributions.set(contribution.id, contribution);
        redraw();
      },
      beamer_contribution_removed({ id }) {
        if (contributions.delete(id)) redraw();
      },
      beamer_board({ board: payload }) {
        board = payload;
        redraw();
      },
      beamer_view_changed(payload) {
        view = payload;
        redraw();
      },
      votes_changed(payload) {
        if (votes && payload.agenda_item === votes.agenda_item) {
          votes = { ...votes, tallies: payload.tallies || {} };
          redraw();
        }
      },
      timer_changed({ timer: payload }) {
        setTimer(payload);
      },
      session_ended() {
        ended = true;
        link.socket.disconnect();
        contributions.clear();
        root.dataset.qr = "small";
        $("beamer-join").hidden = true;
        $("beamer-prompt").textContent = "";
        $("beamer-phase").textContent = "";
        setChildren(stage, [message(strings.session_ended)]);
      },
    },
  },
});
