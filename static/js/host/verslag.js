// The verslag page. Each part of the edit form is saved on its own: when the facilitator leaves it, or after
// 800 ms without typing; then the preview and the privacy check are refreshed. Saves go out one at a time, so
// two parts saved in quick succession never overwrite each other's edit on the server.
//
// The preview is the server's HTML: the verslag's <article> as render_html writes it, with every text escaped
// there and likely personal data in <mark class="pii">. It is parsed with DOMParser and its nodes imported
// into the page, so no participant text is ever concatenated into markup here (and nothing in it can run:
// parsed documents do not execute scripts, and the page's Content-Security-Policy allows none inline).
// Everything this script writes itself goes in with textContent.
import { format, loadStrings } from "../realtime.js";
import { $ } from "../dom.js";

const strings = loadStrings();
const base = document.body.dataset.base; // /host/s/<id>/verslag
const IDLE_MS = 800;

const form = $("verslag-form");
const preview = $("verslag-preview");
const previewStatus = $("preview-status");

// -- talking to the laptop ----------------------------------------------------------------------

async function request(url, options = {}) {
  try {
    const response = await fetch(url, { credentials: "same-origin", ...options });
    return response;
  } catch {
    return null; // offline, or the laptop's server is gone
  }
}

async function postJson(url, body, options = {}) {
  const response = await request(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(body),
    ...options,
  });
  if (!response) return { ok: false, error: { code: "offline", message: strings.offline } };
  const data = await response.json().catch(() => null);
  return data || { ok: false, error: { code: "http", message: strings.error } };
}

let queue = Promise.resolve();
/** Run jobs one after the other, whatever happens to the one before. */
function enqueue(job) {
  queue = queue.then(job, job);
  return queue;
}

// -- the parts of the form ----------------------------------------------------------------------

/** Read what a part holds now, in the shape its edit key takes. */
function valueOf(part) {
  const kind = part.dataset.kind;
  const named = (node) => Object.fromEntries([...node.querySelectorAll("[data-name]")].map((f) => [f.dataset.name, f.value]));
  if (kind === "bool") return part.querySelector("[data-field]").checked;
  if (kind === "programme") return [...part.querySelectorAll(".vs-programme-row")].map(named);
  if (kind === "save_the_date") return named(part);
  return part.querySelector("[data-field]").value;
}

function programmeRow(item = {}) {
  const row = $("programme-row").content.firstElementChild.cloneNode(true);
  for (const field of row.querySelectorAll("[data-name]")) field.value = item[field.dataset.name] || "";
  return row;
}

/** Put a value the server sent (after a reset) into a part. */
function setValue(part, value) {
  const kind = part.dataset.kind;
  if (kind === "bool") part.querySelector("[data-field]").checked = Boolean(value);
  else if (kind === "programme") part.querySelector("[data-rows]").replaceChildren(...(value || []).map(programmeRow));
  else if (kind === "save_the_date") {
    for (const field of part.querySelectorAll("[data-name]")) field.value = (value || {})[field.dataset.name] || "";
  } else part.querySelector("[data-field]").value = value ?? "";
}

const states = new Map(); // part node -> {saved: JSON of the last stored value, timer}
for (const part of form.querySelectorAll(".vs-part")) {
  states.set(part, { saved: JSON.stringify(valueOf(part)), timer: null });
}

function showStatus(part, text, kind = "") {
  const status = part.querySelector(".vs-status");
  status.textContent = text;
  status.dataset.kind = kind;
}

function showError(part, message) {
  const line = part.querySelector(".vs-error");
  line.textContent = message || "";
  line.hidden = !message;
  for (const field of part.querySelectorAll("[data-field], [data-name]")) {
    if (message) field.setAttribute("aria-invalid", "true");
    else field.removeAttribute("aria-invalid");
  }
}

function markEdited(part, edited) {
  part.toggleAttribute("data-edited", edited);
  part.querySelector("[data-reset]").hidden = !edited;
}

/** Store a part when it differs from what was stored last; resolves when done. */
function save(part) {
  const state = states.get(part);
  clearTimeout(state.timer);
  state.timer = null;
  return enqueue(async () => {
    const value = valueOf(part);
    const serial = JSON.stringify(value);
    if (serial === state.saved) return;
    showStatus(part, strings.saving);
    const result = await postJson(`${base}/edits`, { changes: { [part.dataset.key]: value } });
    if (!result.ok) {
      showStatus(part, "");
      showError(part, result.error?.message || strings.error);
      return;
    }
    state.saved = serial;
    showError(part, "");
    markEdited(part, part.dataset.key in result.edits);
    showStatus(part, strings.saved, "ok");
    refreshSoon();
  });
}

function reset(part) {
  const state = states.get(part);
  clearTimeout(state.timer);
  state.timer = null;
  return enqueue(async () => {
    const key = part.dataset.key;
    const result = await postJson(`${base}/edits`, { changes: { [key]: null } });
    if (!result.ok) {
      showError(part, result.error?.message || strings.error);
      return;
    }
    setValue(part, result.values[key]);
    state.saved = JSON.stringify(valueOf(part));
    showError(part, "");
    markEdited(part, false);
    showStatus(part, strings.reset_done, "ok");
    refreshSoon();
  });
}

function later(part) {
  const state = states.get(part);
  if (!state) return;
  clearTimeout(state.timer);
  showStatus(part, "");
  state.timer = setTimeout(() => save(part), IDLE_MS);
}

/** Save every part that waits for its idle timer, e.g. before an export or sending. */
function saveAll() {
  for (const [part, state] of states) if (state.timer) save(part);
  return queue;
}

form.addEventListener("submit", (event) => event.preventDefault());
form.addEventListener("input", (event) => {
  const part = event.target.closest(".vs-part");
  if (part && part.dataset.kind !== "bool") later(part);
});
form.addEventListener("change", (event) => {
  const part = event.target.closest(".vs-part");
  if (part) save(part);
});
form.addEventListener("focusout", (event) => {
  const part = event.target.closest(".vs-part");
  if (part && states.get(part)?.timer) save(part);
});
form.addEventListener("click", (event) => {
  const part = event.target.closest(".vs-part");
  if (!part) return;
  if (event.target.closest("[data-reset]")) {
    reset(part);
  } else if (event.target.closest("[data-add-row]")) {
    const row = programmeRow();
    part.querySelector("[data-rows]").append(row);
    row.querySelector("[data-name]").focus();
  } else if (event.target.closest("[data-remove-row]")) {
    event.target.closest(".vs-programme-row").remove();
    save(part);
  }
});

// Leaving the page within the idle time: send what is waiting, with keepalive so it survives the unload.
window.addEventListener("pagehide", () => {
  const changes = {};
  for (const [part, state] of states) {
    if (state.timer && JSON.stringify(valueOf(part)) !== state.saved) changes[part.dataset.key] = valueOf(part);
  }
  if (Object.keys(changes).length) postJson(`${base}/edits`, { changes }, { keepalive: true });
});

// -- the preview and the privacy check ----------------------------------------------------------

let refreshTimer = null;
let generation = 0;
function refreshSoon() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(refresh, 150);
}

async function refresh() {
  const mine = ++generation;
  previewStatus.textContent = strings.refreshing;
  const [html, privacy] = await Promise.all([
    request(`${base}/preview`).then((r) => (r && r.ok ? r.text() : null)),
    request(`${base}/privacy`, { headers: { Accept: "application/json" } }).then((r) => (r && r.ok ? r.json() : null)),
  ]);
  if (mine !== generation) return; // a newer refresh is on its way
  previewStatus.textContent = html && privacy ? "" : strings.offline;
  if (html) {
    const parsed = new DOMParser().parseFromString(html, "text/html");
    const article = parsed.getElementById("verslag");
    if (article) preview.replaceChildren(document.importNode(article, true));
  }
  if (privacy) {
    renderFindings(privacy.findings || []);
    renderFictional(privacy.fictional || []);
  }
}

function smallButton(className, text, title, name) {
  const node = document.createElement("button");
  node.type = "button";
  node.className = `button small ${className}`;
  node.textContent = text;
  node.title = title;
  node.dataset.name = name;
  return node;
}

// The names a facilitator marked as fictional (a casus' invented people), each with a way back.
function renderFictional(names) {
  $("fictional-names").replaceChildren(...names.flatMap((name) => [smallButton("vs-real", `${name} ×`, strings.real_hint, name), " "]));
  $("fictional-line").hidden = names.length === 0;
}

function renderFindings(findings) {
  const list = $("findings");
  list.replaceChildren(
    ...findings.map((f) => {
      const item = document.createElement("li");
      const kind = document.createElement("span");
      kind.className = "vs-kind";
      kind.textContent = f.kind_label;
      const mark = document.createElement("mark");
      mark.className = "pii";
      mark.textContent = f.text;
      const where = document.createElement(f.target ? "a" : "span");
      if (f.target) where.href = `#${f.target}`;
      where.textContent = f.where_label;
      item.append(kind, " ", mark, " ");
      if (f.count > 1) {
        const count = document.createElement("span");
        count.className = "vs-count";
        count.textContent = format(strings.times, { n: f.count });
        item.append(count, " ");
      }
      item.append(where);
      if (f.kind === "voornaam") item.append(" ", smallButton("vs-fictional", strings.fictional, strings.fictional_hint, f.text));
      return item;
    }),
  );
  $("privacy-none").hidden = findings.length > 0;
  const confirm = $("confirm-privacy-label");
  if (confirm) {
    confirm.hidden = findings.length === 0;
    if (!findings.length) $("confirm-privacy").checked = false;
  }
}

// One click marks a flagged first name as fictional for this bijeenkomst (or, from the line below, real again).
$("privacy-check").addEventListener("click", async (event) => {
  const marker = event.target.closest("button.vs-fictional, button.vs-real");
  if (!marker) return;
  marker.disabled = true;
  const result = await postJson(`${base}/fictief`, { name: marker.dataset.name, fictional: marker.classList.contains("vs-fictional") });
  if (!result.ok) {
    marker.disabled = false;
    previewStatus.textContent = result.error?.message || strings.error;
    return;
  }
  refresh();
});

// A finding's link jumps to its part and puts the cursor in it.
$("findings").addEventListener("click", (event) => {
  const link = event.target.closest("a[href^='#']");
  if (!link) return;
  const target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
  if (!target) return;
  event.preventDefault();
  target.scrollIntoView({ block: "center" });
  target.querySelector("textarea, input")?.focus({ preventScroll: true });
});

// Exports: first store what is still waiting, then download.
for (const link of document.querySelectorAll("a[data-export]")) {
  link.addEventListener("click", async (event) => {
    if (![...states.values()].some((s) => s.timer)) return;
    event.preventDefault();
    await saveAll();
    window.location.assign(link.href);
  });
}

// -- mail ---------------------------------------------------------------------------------------

function cell(text, className) {
  const node = document.createElement("td");
  node.textContent = text ?? "";
  if (className) node.className = className;
  return node;
}

function renderRows(tableId, emptyId, rows, columns) {
  const table = $(tableId);
  if (!table) return;
  table.tBodies[0].replaceChildren(
    ...rows.map((row) => {
      const tr = document.createElement("tr");
      tr.dataset.status = row.status;
      tr.append(...columns.map(([name, className]) => cell(row[name], className)));
      return tr;
    }),
  );
  table.hidden = rows.length === 0;
  $(emptyId).hidden = rows.length > 0;
}

const renderRecipients = (rows) =>
  renderRows("recipients", "recipients-empty", rows, [["address"], ["source"], ["status_label", "vs-state"]]);
const renderLog = (rows) =>
  renderRows("send-log", "send-log-empty", rows, [["when"], ["recipient"], ["kind"], ["status_label", "vs-state"], ["reason"]]);

function say(node, text, kind = "") {
  node.textContent = text;
  node.dataset.kind = kind;
}

const testForm = $("testmail-form");
if (testForm) {
  testForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const status = $("testmail-status");
    const button = testForm.querySelector("button");
    button.disabled = true;
    say(status, strings.test_sending);
    const result = await postJson(`${base}/testmail`, { to: $("testmail-to").value });
    button.disabled = false;
    if (result.log) renderLog(result.log);
    if (result.ok) say(status, format(strings.test_sent, { to: result.to }), "ok");
    else say(status, result.error?.message || strings.error, "error");
  });
}

const sendForm = $("send-form");
if (sendForm) {
  sendForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const status = $("send-status");
    const button = $("send-button");
    button.disabled = true;
    say(status, strings.sending);
    await saveAll();
    const result = await postJson(`${base}/send`, {
      confirm_privacy: $("confirm-privacy").checked,
      cover_note: $("cover-note").value,
    });
    button.disabled = false;
    if (!result.ok) {
      say(status, result.error?.message || strings.error, "error");
      if (result.error?.field === "confirm_privacy") $("confirm-privacy").focus();
      return;
    }
    renderRecipients(result.recipients || []);
    renderLog(result.log || []);
    const counts = { sent: result.sent.length, failed: result.failed.length, skipped: result.skipped.length };
    if (!counts.sent && !counts.failed && !counts.skipped) {
      say(status, strings.nobody);
      return;
    }
    status.replaceChildren();
    status.dataset.kind = counts.failed ? "error" : "ok";
    const summary = document.createElement("p");
    summary.textContent = format(strings.sent_summary, counts);
    status.append(summary);
    if (counts.failed) {
      const list = document.createElement("ul");
      for (const failure of result.failed) {
        const item = document.createElement("li");
        item.textContent = `${failure.address}: ${failure.message}`;
        list.append(item);
      }
      status.append(list);
    }
  });
}
