// The projector view: the agenda and phases, the timer, and what fits the phase (wall, case, roddel
// stream, tables side by side, the four buffers, the vote chart, the rode draad, the rode-draden board),
// driven by session_state plus the deltas. Moderation (hide/show), tables and roles for the facilitator.
// The board also opens over the display at any time ("Rode draden", B), for any agenda item.
import { connect, format, loadStrings, renderStatus, setChildren } from "./realtime.js";
import { $, button, el } from "./dom.js";
import { createBoard } from "./host/board.js";
import { createClosingPanel } from "./host/closing.js";
import { card, hasOwnDisplay, renderDisplay, renderWall } from "./host/displays.js";
import { createRolesPanel, createTablesPanel } from "./host/panels.js";
import { createNotes } from "./host/notes.js";
import { createReach } from "./host/reach.js";
import { belongsToFocus } from "./host/keys.js";
import { createRemotePanel } from "./host/remote_panel.js";
import { createTimer } from "./host/timer.js";

const extra = document.getElementById("rd-host-strings");
const strings = { ...loadStrings(), ...(extra ? JSON.parse(extra.textContent) : {}) };
const sessionId = document.body.dataset.session;

const wall = $("wall");
const wallEmpty = $("wall-empty");
const displayWall = $("display-wall");
const displayOther = $("display-other");
const displayArea = $("display-area");
const hiddenWall = $("hidden-wall");
const revealPanel = $("reveal-panel");
const errorLine = $("host-error");
const boardPanel = $("board-panel");
const boardPick = $("board-item");
const hostGrid = document.querySelector(".host-grid");

let step = null;
let upcoming = null; // what comes after the current phase (regie only)
let agenda = [];
let roles = [];
let tables = [];
const contributions = new Map(); // id -> contribution, in arrival order
const drafts = new Map(); // "item|kind|table|slot" -> draft
const tallies = new Map(); // agenda item id -> {target: dots}
let sortables = [];
let dragging = false;
let renderQueued = false;
let boardOpen = false; // the board panel over the display
let boardPanelItem = null; // whose board the panel shows
let beamerView = { large: false, qr: "auto" }; // what every beamer window of this bijeenkomst follows

// -- messages --------------------------------------------------------------------------------

let errorTimer = null;
function notify(message, kind = "info") {
  clearTimeout(errorTimer);
  errorLine.textContent = message || "";
  errorLine.dataset.kind = kind;
  errorLine.hidden = !message;
  if (message) errorTimer = setTimeout(() => notify(""), kind === "error" ? 12000 : 4000);
}

/** Show or clear the banner that says storing fails; its text is in the page, in the host's language. */
function showStorageWarning(failing) {
  $("storage-warning").hidden = !failing;
}

function showError(error) {
  notify(error?.message || strings.error, "error");
}

/** Emit a host event for this bijeenkomst; show the error of a failed acknowledgement. */
async function send(event, payload = {}, timeoutMs = undefined) {
  const ack = await link.request(event, { session: sessionId, ...payload }, timeoutMs);
  if (!ack.ok) showError(ack.error);
  else if (errorLine.dataset.kind === "error") notify("");
  return ack;
}

// -- what is on screen -----------------------------------------------------------------------

function inView(c) {
  if (!step) return true;
  if (c.agenda_item !== step.agenda_item) return false;
  return c.phase === step.phase || (step.shows_phases || []).includes(c.phase);
}

const showable = (c) => !c.hidden && c.shared !== false && !c.concealed;
const waitingForReveal = () => Boolean(step && step.hidden_until_reveal && !step.revealed);
const displayName = () => (step && step.display) || "wall";
const usesWall = () => !hasOwnDisplay(displayName());

function tagLabel(id) {
  for (const group of step?.tag_groups || []) {
    const option = group.options.find((o) => o.id === id);
    if (option) return option.label;
  }
  return id;
}

function kindLabel(id) {
  return step?.kinds?.find((k) => k.id === id)?.label || "";
}

const actions = {
  async setHidden(c, hidden, toggle) {
    toggle.disabled = true;
    await send("set_contribution_hidden", { id: c.id, hidden });
    toggle.disabled = false;
  },
  async approve(c, button) {
    if (button) button.disabled = true;
    await send("approve_contribution", { id: c.id, approved: true });
    if (button) button.disabled = false;
  },
  async move(c, bucket) {
    const before = contributions.get(c.id);
    if (!before || before.bucket === bucket) return;
    contributions.set(c.id, { ...before, bucket }); // show it in its new place at once
    scheduleRender();
    const ack = await send("move_contribution", { id: c.id, bucket });
    if (!ack.ok) {
      const now = contributions.get(c.id);
      if (now && now.bucket === bucket) contributions.set(c.id, { ...now, bucket: before.bucket });
      scheduleRender();
    }
  },
};

function makeSortable(lists) {
  const Sortable = window.Sortable;
  if (!Sortable) return; // the "verplaats naar…" select still works
  for (const list of lists) {
    sortables.push(
      Sortable.create(list, {
        group: "buckets",
        animation: 150,
        filter: "select, button, option",
        preventOnFilter: false,
        onStart() {
          dragging = true;
        },
        onEnd(event) {
          dragging = false;
          const id = event.item.dataset.id;
          const bucket = event.to.dataset.bucket;
          const c = contributions.get(id);
          if (c && bucket && event.to !== event.from) actions.move(c, bucket);
          else scheduleRender();
        },
      }),
    );
  }
}

function context(visible) {
  const current = visible.filter((c) => !step || c.phase === step.phase);
  const shown = visible.filter((c) => step && c.phase !== step.phase);
  const tableKinds = new Set((step?.kinds || []).filter((k) => k.scope === "table").map((k) => k.id));
  return {
    step,
    strings,
    visible,
    current,
    shown,
    tables,
    drafts: [...drafts.values()].filter((d) => step && d.agenda_item === step.agenda_item && tableKinds.has(d.kind)),
    tallies: step ? tallies.get(step.agenda_item) || {} : {},
    tagLabel,
    kindLabel,
    actions,
    makeSortable,
    boardNodes: () => (boardOpen ? [] : [board.element]),
  };
}

function renderHeader() {
  $("workformat-name").textContent = step ? step.workformat_name : "";
  $("phase-title").textContent = step ? step.phase_title : "";
  $("prompt").textContent = step ? step.prompt : "";
  const caseText = step?.case_text || "";
  $("case-text").textContent = caseText;
  $("case-block").hidden = !caseText || displayName() === "case";
}

/** "Volgende: Vier buffers · Vangnet maken, 20 min": what the next step brings, from the server's `next`. */
function renderNext() {
  const line = $("next-line");
  line.hidden = !upcoming;
  if (!upcoming) return;
  const title = upcoming.same_item ? upcoming.phase_title : `${upcoming.workformat_name} · ${upcoming.phase_title}`;
  line.textContent = upcoming.minutes
    ? format(strings.next_minutes, { title, minutes: upcoming.minutes })
    : format(strings.next_plain, { title });
}

function stepButton(text, current, onClick) {
  const node = button(text, onClick, "step");
  if (current) node.setAttribute("aria-current", "step");
  return el("li", {}, [node]);
}

function renderRunBar() {
  setChildren(
    $("agenda-list"),
    agenda.map((item, index) =>
      stepButton(`${index + 1}. ${item.name}`, step && index === step.item_index, () => {
        if (!step || index !== step.item_index) send("go_to_phase", { item: index, phase: 0 });
      }),
    ),
  );
  setChildren(
    $("phase-list"),
    (step?.phases || []).map((phase, index) =>
      stepButton(phase.title, index === step.phase_index, () => {
        if (index !== step.phase_index) send("go_to_phase", { item: step.item_index, phase: index });
      }),
    ),
  );
  const atStart = !step || (step.item_index === 0 && step.phase_index === 0);
  const atEnd = !step || (step.item_index >= step.items_count - 1 && step.phase_index >= step.phases.length - 1);
  $("previous-phase").disabled = atStart;
  $("next-phase").disabled = atEnd;
}

function setCount(n) {
  $("visible-count").textContent = String(n);
  $("visible-label").textContent = n === 1 ? strings.contribution_one : strings.contribution_many;
}

function renderContent() {
  for (const sortable of sortables) sortable.destroy();
  sortables = [];
  const all = [...contributions.values()];
  const visible = all.filter((c) => inView(c) && showable(c));
  const hidden = all.filter((c) => c.hidden && !c.concealed && (!step || c.agenda_item === step.agenda_item));
  const ctx = context(visible);

  const waiting = waitingForReveal();
  revealPanel.hidden = !waiting;
  displayArea.hidden = waiting;
  if (waiting) {
    const count = all.filter(
      (c) => c.concealed && !c.hidden && c.agenda_item === step.agenda_item && c.phase === step.phase,
    ).length;
    $("concealed-count").textContent = String(count);
    $("concealed-label").textContent = count === 1 ? strings.concealed_one : strings.concealed_many;
  }
  // The regie pre-reads what waits for the reveal (the server sends its text to the host room only).
  const preread = waiting
    ? all.filter((c) => c.concealed && !c.hidden && c.agenda_item === step.agenda_item && c.phase === step.phase)
    : [];
  setChildren($("preread-wall"), preread.map((c) => card(c, ctx)));

  const nodes = waiting ? [] : renderDisplay(displayName(), ctx);
  const onWall = nodes === null;
  displayWall.hidden = !onWall;
  displayOther.hidden = onWall;
  displayArea.dataset.display = onWall ? "wall" : displayName();
  if (onWall) {
    setChildren(displayOther, []);
    renderWall(ctx, wall);
    wallEmpty.hidden = visible.length > 0;
  } else {
    setChildren(wall, []);
    // The board stays in place (moving it would lose its scroll position and a focused text field).
    const same = nodes.length === displayOther.childNodes.length && nodes.every((n, i) => displayOther.childNodes[i] === n);
    if (!same) setChildren(displayOther, nodes);
  }
  renderBoard();
  // "N bijdragen": what came in for the current phase (earlier phases shown alongside are not counted again).
  setCount(ctx.current.length);
  $("wall-count").hidden =
    waiting || ["votes", "board"].includes(displayName()) || (displayName() === "case" && !ctx.current.length);
  setChildren(hiddenWall, hidden.reverse().map((c) => card(c, ctx)));
  $("hidden-count").textContent = String(hidden.length);
}

// -- the rode-draden board ---------------------------------------------------------------------

const board = createBoard({
  send,
  strings,
  notify,
  contribution: (id) => contributions.get(id),
  tables: () => tables,
});

/** Show the board where it belongs now: in the panel over the display, or as the phase's display. */
function renderBoard() {
  boardPanel.hidden = !boardOpen;
  hostGrid.hidden = boardOpen;
  document.body.classList.toggle("board-open", boardOpen);
  $("toggle-board").setAttribute("aria-pressed", String(boardOpen));
  if (boardOpen) {
    // Opened before the first session_state came in: take the current step's board as soon as it is known.
    if (!boardPanelItem) boardPanelItem = defaultBoardItem();
    const body = $("board-panel-body");
    if (board.element.parentNode !== body) setChildren(body, [board.element]);
    renderBoardPick();
    board.show(boardPanelItem);
  } else if (displayName() === "board" && !waitingForReveal() && step?.board_item) {
    board.show(step.board_item);
  }
}

function renderBoardPick() {
  const options = agenda.map((item, index) => el("option", { text: `${index + 1}. ${item.name}`, attrs: { value: item.id } }));
  const same = boardPick.options.length === options.length
    && options.every((o, i) => boardPick.options[i].value === o.value && boardPick.options[i].text === o.textContent);
  if (!same) setChildren(boardPick, options);
  boardPick.value = boardPanelItem || "";
}

const defaultBoardItem = () => step?.board_item || step?.agenda_item || agenda[0]?.id || null;

function openBoard() {
  boardOpen = true;
  boardPanelItem = defaultBoardItem();
  render();
  $("board-panel-title").focus();
}

function closeBoard() {
  if (!boardOpen) return;
  boardOpen = false;
  render();
  $("toggle-board").focus();
}

const toggleBoard = () => (boardOpen ? closeBoard() : openBoard());

boardPick.addEventListener("change", () => {
  boardPanelItem = boardPick.value || null;
  board.show(boardPanelItem);
});

// -- the beamer and what waits for approval ---------------------------------------------------

/** The contributions of the current item that the beamer does not show until approved, oldest first. */
function pendingNow() {
  if (!step || !step.approve_first) return [];
  return [...contributions.values()]
    .filter((c) => c.pending && !c.hidden && c.agenda_item === step.agenda_item)
    .sort((a, b) => a.created_at - b.created_at);
}

function renderApproval() {
  const bar = $("approval-bar");
  bar.hidden = !(step && step.approve_first);
  if (bar.hidden) return;
  const count = pendingNow().length;
  $("approval-count").textContent = count
    ? format(count === 1 ? strings.pending_one : strings.pending_many, { num: count })
    : strings.pending_none;
  $("approve-next").disabled = count === 0;
  $("approve-all").disabled = count === 0;
}

function renderBeamerBar() {
  const large = $("beamer-large");
  large.setAttribute("aria-pressed", String(Boolean(beamerView.large)));
  $("beamer-qr").textContent = strings[`beamer_qr_${beamerView.qr}`] || strings.beamer_qr_auto;
}

function approveNext() {
  const [first] = pendingNow();
  if (first) actions.approve(first);
}

function approveAll() {
  if (step && pendingNow().length) send("approve_all", { item: step.agenda_item });
}

const QR_MODES = ["auto", "large", "small"];
const setBeamerView = (change) => send("set_beamer_view", change);
const toggleBeamerLarge = () => setBeamerView({ large: !beamerView.large });
const cycleBeamerQr = () => setBeamerView({ qr: QR_MODES[(QR_MODES.indexOf(beamerView.qr) + 1) % QR_MODES.length] });

function render() {
  renderQueued = false;
  if (dragging) return; // redrawn when the card is dropped
  renderHeader();
  renderRunBar();
  renderNext();
  notes.show(step ? agenda[step.item_index] : null);
  rolesPanel.update(step, roles);
  renderContent();
  renderApproval();
  renderBeamerBar();
}

/** Redraw once per frame at most, however many events arrive (a room of 300 phones). */
function scheduleRender() {
  if (renderQueued) return;
  renderQueued = true;
  if (document.hidden) setTimeout(render, 50);
  else requestAnimationFrame(render);
}

/** Put a new card on the wall or the stream without a redraw: the wall may hold hundreds. */
function addQuickly(c) {
  if (renderQueued || waitingForReveal() || !inView(c) || !showable(c)) return false;
  const ctx = context([]);
  if (!displayWall.hidden && usesWall()) {
    wall.prepend(card(c, ctx));
    wallEmpty.hidden = true;
  } else if (displayName() === "stream" && displayOther.querySelector("ul.stream")) {
    const node = card(c, ctx);
    node.classList.add("stream-item");
    displayOther.querySelector("ul.stream").prepend(node);
  } else {
    return false;
  }
  if (!step || c.phase === step.phase) setCount(Number($("visible-count").textContent) + 1);
  return true;
}

function renderCounts({ joined, connected, tables: rows, perspectives = [] }) {
  $("joined-count").textContent = format(strings.participants_joined, { n: joined });
  $("connected-count").textContent = format(strings.participants_connected, { n: connected });
  // "2 gemeente · 1 beleid": the bijeenkomst's own words, as on the board.
  $("perspective-counts").textContent = perspectives
    .map(({ id, joined: n }) => format(strings[`provenance:${id}:${n === 1 ? "one" : "many"}`] || `%(num)s ${id}`, { num: n }))
    .join(" · ");
  tables = Array.isArray(rows) ? rows : [];
  tablesPanel.update(tables);
}

function setStep(next) {
  const previousItem = step?.agenda_item;
  step = next || null;
  // A voting item we have no tallies of yet (we came to it by phase_changed): ask for the snapshot.
  if (step && step.vote && step.agenda_item !== previousItem && !tallies.has(step.agenda_item)) resync();
}

function resync() {
  if (link?.isJoined()) link.socket.emit("join_session", { session: sessionId, role: "host" });
}

// -- the connection ------------------------------------------------------------------------

const timer = createTimer({ display: $("timer"), box: $("timer-box"), toggle: $("timer-toggle"), strings });
const tablesPanel = createTablesPanel({ send, strings, notify });
const rolesPanel = createRolesPanel({ send, strings, notify });
const closingPanel = createClosingPanel({ send, strings });
const remotePanel = createRemotePanel({ sessionId, strings });
const notes = createNotes({ sessionId, strings });

const link = connect({
  sessionId,
  role: "host",
  handlers: {
    onStatus(connected) {
      renderStatus(connected, connected ? strings.connected : strings.reconnecting);
    },
    onState(state) {
      step = state.step || null;
      upcoming = state.next || null;
      agenda = state.agenda || [];
      roles = state.roles || [];
      contributions.clear();
      for (const c of state.contributions || []) contributions.set(c.id, c);
      board.setAll(state.boards || {});
      drafts.clear();
      for (const d of state.drafts || []) drafts.set(`${d.agenda_item}|${d.kind}|${d.table}|${d.slot}`, d);
      if (step) tallies.set(step.agenda_item, state.tallies || {});
      timer.set(state.timer);
      renderCounts(state.participants || { joined: 0, connected: 0, tables: [] });
      closingPanel.set(state);
      showStorageWarning(Boolean(state.storage_failing));
      beamerView = state.beamer || beamerView;
      remotePanel.set(state.remote);
      render();
    },
    onJoinError(error) {
      showError(error);
    },
    on: {
      contribution_added({ contribution }) {
        if (contribution.shared === false) return;
        const known = contributions.has(contribution.id);
        contributions.set(contribution.id, contribution);
        board.added(contribution);
        if (known || !addQuickly(contribution)) scheduleRender();
        else if (contribution.pending) renderApproval();
      },
      contribution_updated({ contribution }) {
        if (contribution.shared === false) contributions.delete(contribution.id); // taken back by its author
        else contributions.set(contribution.id, contribution);
        board.added(contribution); // revealed, or shared again: it may belong on a board now
        board.refresh();
        scheduleRender();
      },
      board_changed({ board: payload }) {
        board.update(payload);
      },
      participants_changed(counts) {
        renderCounts(counts);
        if (displayName() === "per_table") scheduleRender();
      },
      phase_changed(payload) {
        upcoming = payload.next || null;
        setStep(payload.step);
        timer.set(payload.timer);
        scheduleRender();
      },
      timer_changed({ timer: payload }) {
        timer.set(payload);
      },
      roles_changed(payload) {
        roles = payload.roles || [];
        rolesPanel.update(step, roles);
      },
      table_draft_changed({ draft }) {
        drafts.set(`${draft.agenda_item}|${draft.kind}|${draft.table}|${draft.slot}`, draft);
        if (displayName() === "per_table") scheduleRender();
      },
      votes_changed(payload) {
        tallies.set(payload.agenda_item, payload.tallies || {});
        if (step && payload.agenda_item === step.agenda_item) scheduleRender();
      },
      closing_changed({ closing }) {
        closingPanel.setClosing(closing);
      },
      beamer_view_changed(payload) {
        beamerView = payload;
        renderBeamerBar();
      },
      mail_optins_changed({ count }) {
        closingPanel.setCount(count);
      },
      // Storing fails on the laptop (disk full, folder not writable): the banner stays until a write works.
      storage_warning() {
        showStorageWarning(true);
      },
      storage_ok() {
        showStorageWarning(false);
      },
      session_ended() {
        // Deleted: nothing of it stays on the projector, and the page stops reconnecting to it.
        link.socket.disconnect();
        for (const node of document.querySelectorAll(".run-bar, .board-panel, .host-grid, .facilitator-panels")) {
          node.hidden = true;
        }
        notify(strings.session_ended, "error");
        clearTimeout(errorTimer);
      },
    },
  },
});

// Can phones reach the laptop: the address watch and "Test de verbinding".
createReach({ link, sessionId, strings });

// -- controls and shortcuts ----------------------------------------------------------------

const next = () => {
  if (!$("next-phase").disabled) send("advance_phase");
};
const previous = () => {
  if (!$("previous-phase").disabled) send("previous_phase");
};
const toggleTimer = () => send("control_timer", { action: timer.isRunning() ? "pause" : "start" });
const addMinute = () => send("control_timer", { action: "add", seconds: 60 });
const reveal = () => {
  if (waitingForReveal()) send("reveal_phase");
};

function toggleQr() {
  const small = document.body.classList.toggle("qr-small");
  $("toggle-qr").setAttribute("aria-pressed", String(small));
}
function toggleFullscreen() {
  if (document.fullscreenElement) document.exitFullscreen();
  else document.documentElement.requestFullscreen?.();
}

$("toggle-qr").addEventListener("click", toggleQr);
$("toggle-fullscreen").addEventListener("click", toggleFullscreen);
$("next-phase").addEventListener("click", next);
$("previous-phase").addEventListener("click", previous);
$("timer-toggle").addEventListener("click", toggleTimer);
$("timer-add").addEventListener("click", addMinute);
$("timer-reset").addEventListener("click", () => send("control_timer", { action: "reset" }));
$("reveal-button").addEventListener("click", reveal);
$("toggle-board").addEventListener("click", toggleBoard);
$("board-close").addEventListener("click", closeBoard);
$("approve-next").addEventListener("click", approveNext);
$("approve-all").addEventListener("click", approveAll);
$("beamer-large").addEventListener("click", toggleBeamerLarge);
$("beamer-qr").addEventListener("click", cycleBeamerQr);
// The beamer in a window of its own, named, so that a second click brings the same window back (it can then be
// dragged to the projector and made full screen there, F11).
$("open-beamer").addEventListener("click", (event) => {
  event.preventDefault();
  const opened = window.open(event.currentTarget.href, "rode-draad-beamer", "popup=yes,width=1280,height=720");
  opened?.focus();
});

const SHORTCUTS = {
  ArrowRight: next,
  PageDown: next,
  ArrowLeft: previous,
  PageUp: previous,
  " ": toggleTimer,
  Spacebar: toggleTimer,
  "+": addMinute,
  o: reveal,
  O: reveal,
  q: toggleQr,
  Q: toggleQr,
  f: toggleFullscreen,
  F: toggleFullscreen,
  b: toggleBoard,
  B: toggleBoard,
  Escape: closeBoard,
  a: approveNext,
  A: approveNext,
  g: toggleBeamerLarge,
  G: toggleBeamerLarge,
};
let swallowKeyUp = false;
document.addEventListener("keydown", (event) => {
  if (event.metaKey || event.ctrlKey || event.altKey) return;
  if (belongsToFocus(event)) return; // Space on a focused button presses it, "b" in a field is typed
  const action = event.shiftKey && (event.key === "A" || event.key === "a") ? approveAll : SHORTCUTS[event.key];
  if (!action || (event.key === "Escape" && !boardOpen)) return;
  event.preventDefault(); // no scrolling
  if (event.repeat) return; // a held key steps once, not through the whole agenda
  swallowKeyUp = event.key === " " || event.key === "Spacebar";
  action();
});
document.addEventListener("keyup", (event) => {
  if (swallowKeyUp && (event.key === " " || event.key === "Spacebar")) {
    event.preventDefault();
    swallowKeyUp = false;
  }
});
