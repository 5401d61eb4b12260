// The phone: show the question, send answers through a localStorage outbox that survives
// reloads and lost connections, and list what this phone has sent.
import { connect, format, loadStrings, newClientId, renderStatus, setChildren } from "./realtime.js";

const strings = loadStrings();
const sessionId = document.body.dataset.session;
const OUTBOX_KEY = `rd-outbox-${sessionId}`;
// Errors that will not go away by sending again: the item leaves the outbox.
const FINAL_ERRORS = new Set([
  "text_empty", "text_too_long", "invalid_input", "duplicate_id", "limit_reached", "phase_not_open", "session_not_found",
]);

const form = document.getElementById("answer-form");
const textarea = document.getElementById("answer");
const counter = document.getElementById("counter");
const errorBox = document.getElementById("error");
const promptNode = document.getElementById("prompt");
const caseNode = document.getElementById("case-text");
const mineList = document.getElementById("mine");
const mineEmpty = document.getElementById("mine-empty");

let maxLength = 500;
let connected = false;
let flushing = false;
let inFlight = null; // client id of the item being sent now
const sent = new Map(); // id -> text, as the server has it

function readOutbox() {
  try {
    const items = JSON.parse(localStorage.getItem(OUTBOX_KEY) || "[]");
    return Array.isArray(items) ? items.filter((i) => i && typeof i.client_id === "string" && typeof i.text === "string") : [];
  } catch {
    return [];
  }
}

function writeOutbox(items) {
  if (items.length) localStorage.setItem(OUTBOX_KEY, JSON.stringify(items));
  else localStorage.removeItem(OUTBOX_KEY);
}

function statusText() {
  const queued = readOutbox().length;
  const queue = queued ? format(queued === 1 ? strings.queued_one : strings.queued_many, { num: queued }) : "";
  if (connected) return queue ? `${strings.connected} · ${queue}` : strings.connected;
  return queue ? `${strings.reconnecting} ${queue}` : strings.reconnecting;
}

function showError(message) {
  errorBox.textContent = message || "";
  errorBox.hidden = !message;
}

function renderMine() {
  const pending = readOutbox();
  const items = pending.map((item) =>
    itemNode(item.text, connected && item.client_id === inFlight ? strings.sending : strings.waiting, "pending"),
  );
  for (const text of Array.from(sent.values()).reverse()) items.push(itemNode(text, strings.sent, "sent"));
  setChildren(mineList, items);
  mineEmpty.hidden = pending.length + sent.size > 0;
  renderStatus(connected, statusText());
}

function itemNode(text, label, state) {
  const li = document.createElement("li");
  li.className = `mine-item ${state}`;
  const p = document.createElement("p");
  p.textContent = text;
  const small = document.createElement("small");
  small.textContent = label;
  li.append(p, small);
  return li;
}

function updateCounter() {
  const left = maxLength - textarea.value.length;
  counter.textContent = format(strings.chars_left, { n: left });
  counter.classList.toggle("over", left < 0);
}

async function flush() {
  if (flushing || !link.isJoined()) return;
  flushing = true;
  try {
    while (link.isJoined()) {
      const [item] = readOutbox();
      if (!item) break;
      inFlight = item.client_id;
      renderMine();
      const ack = await link.request("submit_contribution", { session: sessionId, client_id: item.client_id, text: item.text });
      if (ack.ok) {
        writeOutbox(readOutbox().filter((i) => i.client_id !== item.client_id));
        if (!sent.has(ack.id)) sent.set(ack.id, item.text);
      } else if (FINAL_ERRORS.has(ack.error?.code)) {
        writeOutbox(readOutbox().filter((i) => i.client_id !== item.client_id));
        showError(ack.error.message);
        if (!textarea.value) textarea.value = item.text;
        updateCounter();
      } else {
        if (ack.error?.message && ack.error.code !== "timeout") showError(ack.error.message);
        setTimeout(flush, 3000); // stored nothing; try again shortly
        break;
      }
      renderMine();
    }
  } finally {
    flushing = false;
    inFlight = null;
    renderMine();
  }
}

const link = connect({
  sessionId,
  role: "participant",
  handlers: {
    onStatus(isConnected) {
      connected = isConnected;
      renderStatus(connected, statusText());
    },
    onState(state) {
      const step = state.step;
      promptNode.textContent = step ? step.prompt : strings.closed;
      caseNode.textContent = step?.case_text || "";
      caseNode.hidden = !step?.case_text;
      maxLength = step?.max_length || maxLength;
      textarea.maxLength = maxLength;
      form.hidden = !step?.accepts;
      sent.clear();
      for (const c of state.contributions) sent.set(c.id, c.text);
      updateCounter();
      renderMine();
    },
    onJoined() {
      flush();
    },
    onJoinError(error) {
      if (error?.code === "not_joined" || error?.code === "session_not_found") window.location.reload();
      else if (error?.message) showError(error.message);
    },
    on: {
      contribution_added({ contribution }) {
        // The server broadcasts only what is stored, so this item may leave the outbox even
        // if its acknowledgement is still on the way.
        writeOutbox(readOutbox().filter((i) => i.client_id !== contribution.id));
        sent.set(contribution.id, contribution.text);
        renderMine();
      },
      contribution_updated({ contribution }) {
        if (contribution.hidden) sent.delete(contribution.id);
        else sent.set(contribution.id, contribution.text);
        renderMine();
      },
    },
  },
});

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = textarea.value.trim();
  showError("");
  if (!text) return;
  if (text.length > maxLength) {
    showError(format(strings.too_long, { max: maxLength }));
    return;
  }
  writeOutbox([...readOutbox(), { client_id: newClientId(), text }]);
  textarea.value = "";
  updateCounter();
  renderMine();
  flush();
});
textarea.addEventListener("input", updateCounter);
window.addEventListener("online", () => flush());
updateCounter();
renderMine();
