// The participant's screen (on their phone; its parts are in participant/): follows the room (session_state on every
// (re)connect, then the deltas) and shows, for the participant's role in the current werkvorm, what to do: answer,
// write with the table, listen, vote, place or wait.
import { connect, format, loadStrings, renderStatus } from "./realtime.js";
import { createAnswer } from "./participant/answer.js";
import { $, showMessage } from "./dom.js";
import { createRoleCode, createTables, createTimer } from "./participant/header.js";
import { createTableWork } from "./participant/table.js";
import { createVerslag, endSession } from "./participant/verslag.js";
import { createListen, createPlace, createVote } from "./participant/views.js";
import { createRejoin } from "./participant/rejoin.js";

const strings = loadStrings();
const sessionId = document.body.dataset.session;
const tafelHint = Number(document.body.dataset.tafel) || null;

const ctx = {
  strings,
  sessionId,
  link: null,
  connected: false,
  step: null,
  me: { number: 0, table: null, perspective: null, roles: {} },
  tables: [],
  contributions: new Map(), // this phone's own items (not table items), by id
  tableItems: new Map(), // items the table submitted, by id
  listening: new Map(), // what an inbrenger listens to, by id
  drafts: new Map(), // "agenda_item/kind/table/slot" -> draft
  votes: {}, // agenda_item -> [target]
  placements: {}, // own contribution id -> theme id on its board
  /** The phone's role in the current werkvorm. */
  role() {
    return (ctx.step && ctx.me.roles && ctx.me.roles[ctx.step.agenda_item]) || "deelnemer";
  },
  /** What the phone shows now: answer, listen, vote or wait. */
  view() {
    if (!ctx.step) return "wait";
    return (ctx.step.views && ctx.step.views[ctx.role()]) || "wait";
  },
  /** The kinds this phone may submit now, with their details. */
  kinds() {
    if (!ctx.step) return [];
    const ids = (ctx.step.accepts && ctx.step.accepts[ctx.role()]) || [];
    return ids.map((id) => (ctx.step.kinds || []).find((k) => k.id === id)).filter(Boolean);
  },
  renderAll: () => renderAll(),
};

const promptNode = $("prompt");
const announcer = $("announce");
const roleBanner = $("role-banner");
const revealHint = $("reveal-hint");
const caseBox = $("case");
const caseText = $("case-text");
let caseSignature = "";
let announced = ""; // the question a screen reader was last told about: "agenda item/phase/role"
let tafelHandled = !tafelHint;

const timer = createTimer(ctx);
const tables = createTables(ctx, { onSeated: () => renderAll() });
const answer = createAnswer(ctx);
const tableWork = createTableWork(ctx, tables);
const listen = createListen(ctx);
const vote = createVote(ctx);
const place = createPlace(ctx);
const roleCode = createRoleCode(ctx, { onRoles: () => renderAll() });
const verslag = createVerslag(ctx);
const rejoin = createRejoin(ctx);

function renderStep() {
  const step = ctx.step;
  const role = ctx.role();
  $("phase-row").hidden = !step;
  $("phase-title").textContent = step ? step.phase_title : "";
  promptNode.textContent = step ? (step.prompts && step.prompts[role]) || step.prompt : strings.closed;
  showMessage(roleBanner, role !== "deelnemer" ? strings[`role_${role}`] || "" : "");
  revealHint.hidden = !(step && ctx.view() === "answer" && step.hidden_until_reveal && !step.revealed);
  caseText.textContent = (step && step.case_text) || "";
  caseBox.hidden = !(step && step.case_text);
  const sig = step ? `${step.agenda_item}/${step.phase}` : "";
  if (sig !== caseSignature) {
    caseSignature = sig;
    caseBox.open = Boolean(step && step.display === "case");
  }
  document.body.dataset.view = ctx.view();
  announce();
}

/** Tell a screen reader when the question on screen changes (a state refresh with the same one stays quiet). */
function announce() {
  const step = ctx.step;
  const question = step ? `${step.agenda_item}/${step.phase}/${ctx.role()}` : "";
  if (question === announced) return;
  announced = question;
  announcer.textContent = step ? format(strings.new_question, { title: step.phase_title, prompt: promptNode.textContent }) : "";
}

function renderAll() {
  tables.render();
  roleCode.render();
  renderStep();
  answer.render();
  tableWork.render();
  listen.render();
  vote.render();
  place.render();
  verslag.render();
  rejoin.render();
}

function applyState(state) {
  ctx.step = state.step || null;
  ctx.me = state.me || ctx.me;
  ctx.me.roles = ctx.me.roles || {};
  ctx.tables = state.tables || [];
  ctx.contributions.clear();
  ctx.tableItems.clear();
  for (const c of state.contributions || []) (c.slot != null ? ctx.tableItems : ctx.contributions).set(c.id, c);
  ctx.listening = new Map((state.listening || []).map((c) => [c.id, c]));
  ctx.drafts = new Map((state.drafts || []).map((d) => [`${d.agenda_item}/${d.kind}/${d.table}/${d.slot}`, d]));
  ctx.votes = state.votes || {};
  place.set(state.placements);
  timer.set(state.timer);
  verslag.set(state);
  renderAll();
  if (!tafelHandled) {
    // Scanned a table's QR code after joining: sit down at that table.
    tafelHandled = true;
    if (ctx.me.table !== tafelHint) tables.choose(tafelHint, $("table-error"));
    if (window.history && window.history.replaceState) window.history.replaceState(null, "", window.location.pathname);
  }
}

/** Is this contribution something an inbrenger listens to, rather than the phone's own? */
function isListened(c) {
  return !answer.isPending(c.id) && !ctx.contributions.has(c.id) && ctx.me.roles[c.agenda_item] === "inbrenger";
}

function onContribution(c, added) {
  if (added) answer.dropFromOutbox(c.id);
  if (c.slot != null) {
    if (c.hidden) ctx.tableItems.delete(c.id);
    else ctx.tableItems.set(c.id, c);
    tableWork.onTableItem();
  } else if (c.status !== undefined) {
    // One's own (only the author's phone gets a status): kept whatever became of it, hidden or waiting too.
    // The server sends only what is stored, so it may leave the outbox before its acknowledgement arrives.
    ctx.contributions.set(c.id, c);
  } else if (ctx.listening.has(c.id) || isListened(c)) {
    // Hidden or taken back, it comes without its text: drop it.
    if (c.hidden || !c.shared) ctx.listening.delete(c.id);
    else ctx.listening.set(c.id, c);
    listen.render();
  }
  answer.renderMine();
  place.render();
}

ctx.link = connect({
  sessionId,
  role: "participant",
  handlers: {
    onStatus(isConnected) {
      ctx.connected = isConnected;
      renderStatus(ctx.connected, answer.statusText());
      rejoin.setConnected(isConnected);
    },
    onState: applyState,
    onJoined() {
      answer.flush();
    },
    onJoinError(error) {
      // Deleted while this phone was away: forget it here too, as session_ended would have done.
      if (error && error.code === "session_not_found") endSession(ctx);
      else if (error && error.code === "not_joined") window.location.reload();
      else if (error && error.message) showMessage($("error"), error.message);
    },
    on: {
      phase_changed({ step, timer: value }) {
        ctx.step = step || null;
        timer.set(value);
        renderAll();
      },
      timer_changed({ timer: value }) {
        timer.set(value);
      },
      tables_changed({ tables: list }) {
        ctx.tables = list || [];
        tables.render();
        tableWork.render();
      },
      contribution_added({ contribution }) {
        onContribution(contribution, true);
      },
      contribution_updated({ contribution }) {
        onContribution(contribution, false);
      },
      table_draft_changed({ draft }) {
        tableWork.onDraft(draft);
      },
      board_changed({ board }) {
        place.onBoard(board);
      },
      // Where this phone's own cards are on the board: when placing starts and whenever they move.
      placements_changed({ placements }) {
        place.set(placements);
        place.render();
      },
      closing_changed({ closing }) {
        verslag.setClosing(closing);
      },
      session_ended() {
        endSession(ctx);
      },
    },
  },
});

window.addEventListener("online", () => answer.flush());
renderAll();
