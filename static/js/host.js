// The projector view: the live wall of contributions, hide/show, and the phone counts.
import { connect, format, loadStrings, renderStatus, setChildren } from "./realtime.js";

const strings = loadStrings();
const sessionId = document.body.dataset.session;
const wall = document.getElementById("wall");
const hiddenWall = document.getElementById("hidden-wall");
const empty = document.getElementById("wall-empty");
const contributions = new Map(); // id -> contribution, in arrival order

function meta(c) {
  const parts = [];
  if (c.table) parts.push(format(strings.table, { n: c.table }));
  if (c.perspective) parts.push(strings[c.perspective] || c.perspective);
  return parts.join(" · ");
}

function card(c) {
  const li = document.createElement("li");
  li.className = "card";
  li.dataset.id = c.id;
  const text = document.createElement("p");
  text.className = "card-text";
  text.textContent = c.text;
  const footer = document.createElement("div");
  footer.className = "card-meta";
  const info = document.createElement("span");
  info.textContent = meta(c);
  const button = document.createElement("button");
  button.type = "button";
  button.className = "card-toggle";
  button.textContent = c.hidden ? strings.show : strings.hide;
  button.addEventListener("click", async () => {
    button.disabled = true;
    const ack = await link.request("set_contribution_hidden", { session: sessionId, id: c.id, hidden: !c.hidden });
    button.disabled = false;
    if (!ack.ok) alert(ack.error?.message || strings.error);
  });
  footer.append(info, button);
  li.append(text, footer);
  return li;
}

function render() {
  const visible = [];
  const hidden = [];
  for (const c of contributions.values()) (c.hidden ? hidden : visible).push(card(c));
  setChildren(wall, visible.reverse()); // newest first
  setChildren(hiddenWall, hidden.reverse());
  empty.hidden = visible.length > 0;
  document.getElementById("visible-count").textContent = String(visible.length);
  document.getElementById("hidden-count").textContent = String(hidden.length);
}

function renderCounts({ joined, connected }) {
  document.getElementById("joined-count").textContent = format(strings.phones_joined, { n: joined });
  document.getElementById("connected-count").textContent = format(strings.phones_connected, { n: connected });
}

const link = connect({
  sessionId,
  role: "host",
  handlers: {
    onStatus(connected) {
      renderStatus(connected, connected ? strings.connected : strings.reconnecting);
    },
    onState(state) {
      document.getElementById("workformat-name").textContent = state.step ? state.step.workformat_name : "";
      document.getElementById("prompt").textContent = state.step ? state.step.prompt : "";
      const caseNode = document.getElementById("case-text");
      caseNode.textContent = state.step?.case_text || "";
      caseNode.hidden = !state.step?.case_text;
      contributions.clear();
      for (const c of state.contributions) contributions.set(c.id, c);
      renderCounts(state.participants);
      render();
    },
    onJoinError(error) {
      alert(error?.message || strings.error);
    },
    on: {
      contribution_added({ contribution }) {
        const known = contributions.has(contribution.id);
        contributions.set(contribution.id, contribution);
        if (known || contribution.hidden) return render();
        wall.prepend(card(contribution)); // one card, not a redraw: the wall may hold hundreds
        empty.hidden = true;
        const count = document.getElementById("visible-count");
        count.textContent = String(Number(count.textContent) + 1);
      },
      contribution_updated({ contribution }) {
        contributions.set(contribution.id, contribution);
        render();
      },
      participants_changed(counts) {
        renderCounts(counts);
      },
    },
  },
});

function toggleQr() {
  const small = document.body.classList.toggle("qr-small");
  document.getElementById("toggle-qr").setAttribute("aria-pressed", String(small));
}
function toggleFullscreen() {
  if (document.fullscreenElement) document.exitFullscreen();
  else document.documentElement.requestFullscreen?.();
}
document.getElementById("toggle-qr").addEventListener("click", toggleQr);
document.getElementById("toggle-fullscreen").addEventListener("click", toggleFullscreen);
document.addEventListener("keydown", (event) => {
  if (event.target.closest("input, textarea") || event.metaKey || event.ctrlKey || event.altKey) return;
  if (event.key === "q" || event.key === "Q") toggleQr();
  if (event.key === "f" || event.key === "F") toggleFullscreen();
});
