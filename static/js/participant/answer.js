// Answering on one's own: the text box per kind, buckets (a grid's rows), tag toggles (a grid's columns, a
// scale's points, an afspraak's level), a ranking, an afspraak's who and when, function, sharing; the outbox
// (localStorage, resent after every reconnect or reload) and "Jouw bijdragen".
import { format, newClientId, renderStatus, setChildren } from "../realtime.js";
import { $, checkedValue, el, focusLost, radioTile, showMessage } from "../dom.js";
import { createRanking } from "./ranking.js";

// Errors that will not go away by sending again: the item leaves the outbox. Any other refusal (too_fast,
// storage_failed, a timeout) keeps the item, which is sent again a few seconds later.
const FINAL_ERRORS = new Set([
  "text_empty", "text_too_long", "invalid_input", "duplicate_id", "limit_reached", "phase_not_open",
  "session_not_found", "not_your_role", "no_table",
]);

export function createAnswer(ctx) {
  const OUTBOX_KEY = `rd-outbox-${ctx.sessionId}`;
  const FUNCTION_KEY = `rd-function-${ctx.sessionId}`;
  const strings = ctx.strings;
  const form = $("answer-form");
  const textarea = $("answer");
  const counter = $("counter");
  const errorBox = $("error");
  const kindChoice = $("kind-choice");
  const kindOptions = $("kind-options");
  const bucketChoice = $("bucket-choice");
  const bucketOptions = $("bucket-options");
  const tagGroups = $("tag-groups");
  const functionField = $("function-field");
  const functionInput = $("function");
  const shareField = $("share-field");
  const shareBox = $("share");
  const privateHint = $("private-hint");
  const limitNode = $("limit");
  const sendStatus = $("send-status");
  const mineSection = $("mine-section");
  const mineList = $("mine");
  const mineEmpty = $("mine-empty");
  const mineError = $("mine-error");
  const answerBox = $("answer-box");
  const answerLabel = $("answer-label");
  const bucketLegend = bucketChoice.querySelector("legend");
  const bucketLegendText = bucketLegend.textContent;
  const ownerField = $("owner-field");
  const ownerInput = $("owner");
  const dueField = $("due-field");
  const dueInput = $("due");
  const doneBox = $("answer-done");
  const doneText = $("answer-done-text");
  const spokesSection = $("spokes-answer");
  const spokesClaim = $("spokes-answer-claim");
  const spokesError = $("spokes-answer-error");
  const ranking = createRanking(ctx);

  let kinds = []; // the individual kinds this phone may send now
  let signature = "";
  let flushing = false;
  let inFlight = null; // client id of the item being sent now
  const toggling = new Set(); // ids whose sharing is being changed
  let question = null; // the question on screen: "agenda item/phase"
  const typed = new Map(); // question -> what was typed there and not sent: never carried to another question

  try {
    functionInput.value = localStorage.getItem(FUNCTION_KEY) || "";
  } catch {
    // private mode without storage: the field simply starts empty
  }

  // -- the outbox ---------------------------------------------------------------------------

  function readOutbox() {
    try {
      const items = JSON.parse(localStorage.getItem(OUTBOX_KEY) || "[]");
      return Array.isArray(items)
        ? items.filter((i) => i && typeof i.client_id === "string" && typeof i.text === "string")
        : [];
    } catch {
      return [];
    }
  }

  function writeOutbox(items) {
    if (items.length) localStorage.setItem(OUTBOX_KEY, JSON.stringify(items));
    else localStorage.removeItem(OUTBOX_KEY);
  }

  function dropFromOutbox(id) {
    const items = readOutbox();
    const left = items.filter((i) => i.client_id !== id);
    if (left.length !== items.length) writeOutbox(left);
    return left.length !== items.length;
  }

  function statusText() {
    const queued = readOutbox().length;
    const queue = queued ? format(queued === 1 ? strings.queued_one : strings.queued_many, { num: queued }) : "";
    if (ctx.connected) return queue ? `${strings.connected} · ${queue}` : strings.connected;
    return queue ? `${strings.reconnecting} ${queue}` : strings.reconnecting;
  }

  function payloadOf(item) {
    const payload = { session: ctx.sessionId, client_id: item.client_id, text: item.text };
    // agenda_item: the question it was written for; the server refuses it once the host has moved on.
    for (const name of ["kind", "bucket", "tags", "function", "shared", "agenda_item", "ranking", "owner", "due"]) {
      if (item[name] !== undefined && item[name] !== null) payload[name] = item[name];
    }
    return payload;
  }

  async function flush() {
    if (flushing || !ctx.link.isJoined()) return;
    flushing = true;
    try {
      while (ctx.link.isJoined()) {
        const [item] = readOutbox();
        if (!item) break;
        inFlight = item.client_id;
        renderMine();
        const ack = await ctx.link.request("submit_contribution", payloadOf(item));
        if (ack.ok) {
          dropFromOutbox(item.client_id);
          // Said only now, when the server has it (the outbox is not "verstuurd" yet).
          sendStatus.textContent = format(strings.sent_announce, { text: summary(item) });
          if (!ctx.contributions.has(ack.id)) {
            ctx.contributions.set(ack.id, {
              id: ack.id, text: item.text, kind: item.kind || null, agenda_item: item.agenda_item || null,
              bucket: item.bucket || null, tags: item.tags || [], function: item.function || "",
              ranking: item.ranking || [], owner: item.owner || "", due: item.due || "",
              shared: item.shared !== false, slot: null, hidden: false, status: "sent", created_at: Date.now() / 1000,
            });
          }
        } else if (FINAL_ERRORS.has(ack.error && ack.error.code)) {
          dropFromOutbox(item.client_id);
          showMessage(errorBox, ack.error.message);
          // Refused once the room moved on: given back with the error saying so, the person decides (issue 13).
          if (!textarea.value) textarea.value = item.text;
          if (item.owner && !ownerInput.value) ownerInput.value = item.owner;
          if (item.due && !dueInput.value) dueInput.value = item.due;
          updateCounter();
          update();
        } else {
          if (ack.error && ack.error.message && ack.error.code !== "timeout") showMessage(errorBox, ack.error.message);
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

  // -- the form -----------------------------------------------------------------------------

  /** The question changed: keep what was typed with the old one and show the new one's own (or nothing). */
  function switchQuestion(next) {
    if (next === question) return;
    if (question !== null) {
      if (textarea.value) typed.set(question, textarea.value);
      else typed.delete(question);
    }
    question = next;
    textarea.value = typed.get(next) || "";
    typed.delete(next);
  }

  function selectedKind() {
    if (kinds.length <= 1) return kinds[0] || null;
    const id = checkedValue(kindOptions, "kind");
    return kinds.find((k) => k.id === id) || kinds[0];
  }

  function build() {
    const step = ctx.step;
    const previousBucket = checkedValue(bucketOptions, "bucket");
    const previousKind = checkedValue(kindOptions, "kind");
    setChildren(
      kindOptions,
      kinds.length > 1
        ? kinds.map((kind, i) =>
            radioTile({
              name: "kind", value: kind.id, className: "toggle-option",
              checked: previousKind ? previousKind === kind.id : i === 0,
              body: el("span", { text: kind.label }), onChange: update,
            }),
          )
        : [],
    );
    kindChoice.hidden = kinds.length <= 1;
    const display = step ? step.display : "";
    // A grid's rows are its buckets and its columns a tag group; a composed werkvorm's buckets are "vakken", as the
    // composer names them; "buffer" is the vier buffers' own word.
    bucketLegend.textContent = display === "grid"
      ? strings.row_legend
      : step && step.buckets_are_vakken ? strings.vak_legend : bucketLegendText;
    const buckets = kinds.some((k) => k.needs_bucket) && step ? step.buckets || [] : [];
    setChildren(
      bucketOptions,
      buckets.map((bucket) =>
        radioTile({
          name: "bucket", value: bucket.id, className: "bucket", checked: previousBucket === bucket.id,
          body: [el("strong", { className: "bucket-label", text: bucket.label }),
            bucket.description ? el("span", { className: "bucket-description", text: bucket.description }) : null],
          onChange: () => showMessage(errorBox, ""),
        }),
      ),
    );
    const wanted = new Set();
    for (const kind of kinds) for (const id of kind.tag_groups || []) wanted.add(id);
    const groups = step ? (step.tag_groups || []).filter((g) => wanted.has(g.id)) : [];
    setChildren(
      tagGroups,
      groups.map((group) =>
        el("fieldset", {
          className: `choice-group tag-group${display === "scale" ? " scale-group" : ""}`, attrs: { "data-group": group.id },
        }, [
          el("legend", {
            text: display === "scale" ? strings.scale_legend : display === "grid" && groups.length === 1
              ? strings.column_legend : group.label,
          }),
          el("div", { className: "toggle" }, group.options.map((option) =>
            radioTile({
              name: `tag-${group.id}`, value: option.id, className: "toggle-option",
              body: [el("span", { text: option.label }),
                option.description ? el("span", { className: "option-description", text: option.description }) : null],
              onChange: () => showMessage(errorBox, ""),
            }),
          )),
        ]),
      ),
    );
  }

  /** Empty the buffer and tag choices. */
  function clearChoices() {
    for (const input of [...bucketOptions.querySelectorAll("input"), ...tagGroups.querySelectorAll("input")]) {
      input.checked = false;
    }
  }

  /** Whether this phone already gave its one answer of a kind (sent or waiting in the outbox). */
  function answered(kind) {
    if (!kind || kind.per_participant !== 1) return null;
    const item = ctx.step && ctx.step.agenda_item;
    const mine = [...readOutbox(), ...ctx.contributions.values()];
    return mine.find((c) => c.kind === kind.id && c.agenda_item === item) || null;
  }

  /** Label and place the text box for the kind: an afspraak's "Wat", a scale's explanation, a remark. */
  function layout(kind) {
    const display = ctx.step ? ctx.step.display : "";
    const action = Boolean(kind && kind.answer === "action");
    const scale = display === "scale";
    let label = strings.answer_label;
    if (action) label = strings.action_what;
    else if (kind && kind.answer === "ranking") label = strings.remark_optional;
    else if (scale) label = kind && kind.text_optional ? strings.explain_optional : strings.explain_required;
    answerLabel.textContent = label;
    answerLabel.className = label === strings.answer_label ? "visually-hidden" : "answer-label";
    textarea.placeholder = action ? strings.action_what_placeholder : label === strings.answer_label
      ? strings.answer_placeholder : "";
    textarea.required = !(kind && kind.text_optional);
    textarea.rows = kind && (kind.text_optional || action) ? 2 : 3;
    // A scale is chosen first and explained after; elsewhere the text box comes first (issue 14).
    const before = scale ? answerBox : dueField;
    if (tagGroups.nextElementSibling !== before) form.insertBefore(tagGroups, before);
    ownerField.hidden = !action;
    dueField.hidden = !action;
    ranking.show(kind);
  }

  function update() {
    const kind = selectedKind();
    layout(kind);
    const given = answered(kind);
    form.classList.toggle("is-done", Boolean(given));
    doneBox.hidden = !given;
    doneText.textContent = given ? summary(given) : "";
    bucketChoice.hidden = !(kind && kind.needs_bucket);
    for (const fieldset of tagGroups.querySelectorAll(".tag-group")) {
      fieldset.hidden = !(kind && (kind.tag_groups || []).includes(fieldset.dataset.group));
    }
    functionField.hidden = !(kind && kind.asks_function);
    const isPrivate = Boolean(kind && kind.visibility === "private");
    shareField.hidden = !isPrivate;
    privateHint.hidden = !isPrivate;
    if (kind) textarea.maxLength = kind.max_length;
    updateCounter();
    updateLimit();
  }

  function updateCounter() {
    const kind = selectedKind();
    const max = kind ? kind.max_length : 500;
    const left = max - textarea.value.length;
    counter.textContent = format(strings.chars_left, { n: left });
    counter.classList.toggle("over", left < 0);
    // Read out near and over the limit only: far from it, every keystroke would be spoken.
    counter.setAttribute("aria-live", left <= Math.max(10, Math.round(max * 0.05)) ? "polite" : "off");
  }

  /** How many of this kind the server has for the current question, and how many still wait in the outbox. */
  function countSent(kind) {
    const item = ctx.step && ctx.step.agenda_item;
    let sent = 0;
    let queued = 0;
    for (const c of ctx.contributions.values()) if (c.kind === kind.id && c.agenda_item === item) sent += 1;
    for (const i of readOutbox()) if (i.kind === kind.id && i.agenda_item === item) queued += 1;
    return { sent, queued };
  }

  function updateLimit() {
    const kind = selectedKind();
    if (!kind || !kind.per_participant) {
      limitNode.textContent = "";
      return;
    }
    // "verstuurd" counts what the server stored; the queue counts towards the maximum all the same.
    const { sent, queued } = countSent(kind);
    limitNode.textContent = sent + queued >= kind.per_participant
      ? format(strings.limit_full, { max: kind.per_participant })
      : format(strings.limit, { sent, max: kind.per_participant });
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    showMessage(errorBox, "");
    const kind = selectedKind();
    const text = textarea.value.trim();
    if (!kind || (!text && !kind.text_optional)) {
      if (kind) textarea.focus();
      return;
    }
    if (text.length > kind.max_length) {
      showMessage(errorBox, format(strings.too_long, { max: kind.max_length }));
      return;
    }
    const item = { client_id: newClientId(), text, kind: kind.id, agenda_item: ctx.step.agenda_item };
    if (kind.needs_bucket) {
      item.bucket = checkedValue(bucketOptions, "bucket");
      if (!item.bucket) {
        showMessage(errorBox, ctx.step.display === "grid" ? strings.row_required
          : ctx.step.buckets_are_vakken ? strings.vak_required : strings.bucket_required);
        return;
      }
    }
    if ((kind.tag_groups || []).length) {
      item.tags = kind.tag_groups.map((group) => checkedValue(tagGroups, `tag-${group}`));
      if (item.tags.some((tag) => !tag)) {
        showMessage(errorBox, ctx.step.display === "scale" ? strings.scale_required : strings.tags_required);
        return;
      }
    }
    if (kind.answer === "ranking") item.ranking = ranking.order();
    if (kind.answer === "action") {
      item.owner = ownerInput.value.trim();
      if (!item.owner) {
        showMessage(errorBox, strings.owner_required);
        ownerInput.focus();
        return;
      }
      item.due = dueInput.value.trim();
    }
    if (kind.asks_function) {
      item.function = functionInput.value.trim();
      if (!item.function) {
        showMessage(errorBox, strings.function_required);
        functionInput.focus();
        return;
      }
      try {
        localStorage.setItem(FUNCTION_KEY, item.function);
      } catch {
        // no storage: the function is simply asked again next time
      }
    }
    if (kind.visibility === "private") item.shared = shareBox.checked;
    writeOutbox([...readOutbox(), item]);
    textarea.value = "";
    shareBox.checked = false;
    ownerInput.value = "";
    dueInput.value = "";
    ranking.reset();
    // Each answer gets its own buffer and tags: kept, the next answer went out with this one's choices unnoticed.
    clearChoices();
    update();
    renderMine();
    // The focus goes on: to what was given (one answer) or to the text box for the next afspraak.
    if (!doneBox.hidden) doneBox.focus();
    else if (kind.answer === "action" || focusLost()) textarea.focus();
    flush();
  });
  textarea.addEventListener("input", updateCounter);

  // -- "Jouw bijdragen" ---------------------------------------------------------------------

  function kindOf(id) {
    return ctx.step ? (ctx.step.kinds || []).find((k) => k.id === id) : null;
  }

  /** The label of an option, looked up in the werkvorm's tag groups (in the given group first). */
  function optionLabel(id, groupId) {
    const groups = (ctx.step && ctx.step.tag_groups) || [];
    const group = groups.find((g) => g.id === groupId);
    const option = (group ? group.options : groups.flatMap((g) => g.options)).find((o) => o.id === id);
    return option ? option.label : id;
  }

  /** The tag groups a kind's summary already says (a scale's point, an afspraak's level). */
  function summarised(kind) {
    if (!kind) return [];
    if (kind.answer === "action" || (kind.per_participant === 1 && !kind.needs_bucket)) return kind.tag_groups || [];
    return [];
  }

  /** What was sent, readably: "4: …" (a scale), "1. A 2. B 3. C" (a ranking), "Afspraak: wat — wie, …". */
  function summary(c) {
    const kind = kindOf(c.kind);
    const tag = (groupId) => {
      const group = ((ctx.step && ctx.step.tag_groups) || []).find((g) => g.id === groupId);
      const option = group && group.options.find((o) => (c.tags || []).includes(o.id));
      return option ? option.label : "";
    };
    if ((c.ranking || []).length) {
      const order = c.ranking.map((id, i) => `${i + 1}. ${optionLabel(id, kind && kind.ranks)}`).join(" ");
      return c.text ? `${order} — ${c.text}` : order;
    }
    if ((kind && kind.answer === "action") || c.owner) {
      const level = kind ? (kind.tag_groups || []).map(tag).filter(Boolean).join(", ")
        : (c.tags || []).map((t) => optionLabel(t)).join(", ");
      const details = [c.owner, level, c.due].filter(Boolean).join(", ");
      return format(strings.action_summary, { what: c.text, details });
    }
    const groups = summarised(kind);
    if (groups.length) {
      const point = groups.map(tag).filter(Boolean).join(" · ");
      return c.text ? `${point}: ${c.text}` : point;
    }
    return c.text;
  }

  function describe(c) {
    const step = ctx.step;
    const parts = [];
    const kind = kindOf(c.kind);
    if ((c.ranking || []).length || c.owner || summarised(kind).length) return "";
    if (c.bucket && step) {
      const bucket = (step.buckets || []).find((b) => b.id === c.bucket);
      if (bucket) parts.push(bucket.label);
    }
    if (c.tags && c.tags.length && step) {
      for (const group of step.tag_groups || []) {
        const option = group.options.find((o) => c.tags.includes(o.id));
        if (option) parts.push(option.label);
      }
    }
    if (c.function) parts.push(c.function);
    return parts.join(" · ");
  }

  async function setShared(id, shared) {
    if (toggling.has(id)) return; // aria-disabled, not disabled: a disabled button would drop the focus
    toggling.add(id);
    showMessage(mineError, "");
    renderMine();
    const ack = await ctx.link.request("set_contribution_shared", { session: ctx.sessionId, id, shared });
    toggling.delete(id);
    if (ack.ok) {
      const c = ctx.contributions.get(id);
      if (c) ctx.contributions.set(id, { ...c, shared: ack.shared });
    } else {
      showMessage(mineError, ack.error && ack.error.message ? ack.error.message : strings.error);
    }
    renderMine();
  }

  function itemNode(c, label, state) {
    const li = el("li", { className: `mine-item ${state}`, attrs: { "data-id": c.id || c.client_id } }, [el("p", { text: summary(c) })]);
    const meta = describe(c);
    if (meta) li.append(el("span", { className: "meta", text: meta }));
    li.append(el("small", { text: label }));
    const kind = kindOf(c.kind);
    const isPrivate = (kind && kind.visibility === "private") || c.shared === false;
    if (state === "sent" && isPrivate) {
      li.append(
        el("div", { className: "share-row" }, [
          el("span", { className: `share-state ${c.shared ? "is-shared" : "is-private"}`, text: c.shared ? strings.shared : strings.private }),
          el("button", {
            type: "button",
            className: "button small-button",
            text: c.shared ? strings.unshare : strings.share,
            attrs: toggling.has(c.id) ? { "aria-disabled": "true" } : {},
            on: { click: () => setShared(c.id, !c.shared) },
          }),
        ]),
      );
    } else if (state === "pending" && c.shared === false) {
      li.append(el("span", { className: "share-state is-private", text: strings.private }));
    }
    return li;
  }

  function renderMine() {
    const item = ctx.step ? ctx.step.agenda_item : null;
    const pending = readOutbox();
    const nodes = pending.map((i) =>
      itemNode(i, ctx.connected && i.client_id === inFlight ? strings.sending : strings.waiting, "pending"),
    );
    // Hidden or waiting ones stay listed, marked: they were sent, and sending them again would only repeat them.
    const sent = Array.from(ctx.contributions.values())
      .filter((c) => !item || !c.agenda_item || c.agenda_item === item)
      .sort((a, b) => (b.created_at || 0) - (a.created_at || 0));
    for (const c of sent) {
      if (c.status === "hidden") nodes.push(itemNode(c, strings.hidden_by_host, "is-hidden"));
      else if (c.status === "pending") nodes.push(itemNode(c, strings.pending_approval, "is-pending"));
      else nodes.push(itemNode(c, strings.sent, "sent"));
    }
    // The list is drawn anew; the button pressed in it (sharing) keeps the focus, in its new node.
    const focused = mineList.contains(document.activeElement) ? document.activeElement.closest("[data-id]") : null;
    setChildren(mineList, nodes);
    if (focused) {
      const again = Array.from(mineList.children).find((li) => li.dataset.id === focused.dataset.id);
      const button = again && again.querySelector("button");
      if (button) button.focus();
    }
    const answering = !form.hidden;
    mineEmpty.hidden = nodes.length > 0 || !answering;
    mineSection.hidden = nodes.length === 0 && !answering;
    updateLimit();
    renderStatus(ctx.connected, statusText());
  }

  // -- per table: the woordvoerder answers for the table ---------------------------------------

  /** The structured kinds of this question that only the table's woordvoerder sends, when this phone is not it. */
  function spokespersonKinds() {
    const step = ctx.step;
    if (!step || !step.has_spokesperson || kinds.length) return [];
    const role = ctx.role();
    return (step.kinds || []).filter((k) => k.scope !== "table" && (k.roles || []).includes("tafelvoorzitter")
      && !(k.roles || []).includes(role));
  }

  const spokesTaken = new Set(); // "agenda item/table" where another phone is the woordvoerder already
  const spokesKey = () => `${ctx.step && ctx.step.agenda_item}/${ctx.me.table}`;

  function renderSpokes() {
    const waiting = spokespersonKinds().length > 0;
    if (spokesSection.hidden === waiting) showMessage(spokesError, "");
    spokesSection.hidden = !waiting;
    const hadFocus = document.activeElement === spokesClaim;
    spokesClaim.hidden = spokesTaken.has(spokesKey());
    if (hadFocus && spokesClaim.hidden) (spokesError.hidden ? $("spokes-answer-note") : spokesError).focus();
  }

  spokesClaim.addEventListener("click", async () => {
    showMessage(spokesError, "");
    const ack = await ctx.link.request("claim_spokesperson", { session: ctx.sessionId });
    if (ack.ok) {
      ctx.me.roles = ack.roles || ctx.me.roles;
      ctx.renderAll();
      // Now the form is there: the focus goes to its first field.
      const first = [...form.querySelectorAll("textarea, input:not([type=radio]), button")]
        .find((node) => !node.closest("[hidden]"));
      if (first) first.focus();
      return;
    }
    if (ack.error && ack.error.code === "not_your_role") spokesTaken.add(spokesKey());
    showMessage(spokesError, ack.error && ack.error.message ? ack.error.message : strings.error);
    renderSpokes();
  });

  return {
    flush,
    renderMine,
    statusText,
    /** Whether a contribution with this id was sent from this phone and is not acknowledged yet. */
    isPending(id) {
      return id === inFlight || readOutbox().some((i) => i.client_id === id);
    },
    dropFromOutbox,
    render() {
      const kindsNow = ctx.view() === "answer" ? ctx.kinds().filter((k) => k.scope !== "table") : [];
      kinds = kindsNow;
      form.hidden = kinds.length === 0;
      const step = ctx.step;
      const sig = JSON.stringify([
        step && step.agenda_item, step && step.phase, kinds.map((k) => k.id), step && step.buckets, step && step.tag_groups,
      ]);
      switchQuestion(step ? `${step.agenda_item}/${step.phase}` : "");
      if (sig !== signature) {
        signature = sig;
        build();
        showMessage(errorBox, "");
      }
      update();
      renderMine();
      renderSpokes();
    },
  };
}
