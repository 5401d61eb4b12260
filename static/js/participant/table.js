// Writing together at a table: one shared draft per slot, editable from every phone at the table.
// Saves after a short pause and on leaving the box, against the version it was based on; when someone
// else saved first, both texts are shown and the person chooses: nothing is ever overwritten silently.
import { setChildren } from "../realtime.js";
import { $, el, refill, showMessage } from "../dom.js";
import { appendNew } from "./merge.js";

const SAVE_AFTER_MS = 1200;
// Refusals that pass by themselves: the draft stays unsaved and is sent again shortly.
const RETRY_LATER = new Set(["timeout", "too_fast", "storage_failed"]);

export function createTableWork(ctx, tables) {
  const strings = ctx.strings;
  const section = $("table-work");
  const needed = $("table-needed");
  const kindsBox = $("table-kinds");
  const neededError = el("p", { className: "alert", attrs: { role: "alert" }, hidden: true });
  needed.append(neededError);

  let signature = "";
  let kinds = []; // the table kinds of this phase
  const slots = new Map(); // "kind/slot" -> slot state
  const blocks = new Map(); // kind id -> {spokes, error, submitting}
  const otherSpokesperson = new Set(); // "agenda_item/table" where someone else claimed the role

  const draftKey = (d) => `${d.agenda_item}/${d.kind}/${d.table}/${d.slot}`;
  const spokesKey = () => `${ctx.step.agenda_item}/${ctx.me.table}`;

  function currentDraft(kind, slot) {
    if (!ctx.step || ctx.me.table == null) return null;
    return ctx.drafts.get(draftKey({ agenda_item: ctx.step.agenda_item, kind, table: ctx.me.table, slot })) || null;
  }

  function submittedItem(kind, slot) {
    for (const c of ctx.tableItems.values()) {
      if (c.agenda_item === ctx.step.agenda_item && c.kind === kind && c.table === ctx.me.table && c.slot === slot && !c.hidden) {
        return c;
      }
    }
    return null;
  }

  // -- one slot -------------------------------------------------------------------------------

  function makeSlot(kind, number) {
    const many = (kind.per_table || 1) > 1;
    const id = `draft-${kind.id}-${number}`;
    const textarea = el("textarea", {
      id, rows: many ? 3 : 6, maxLength: kind.max_length, className: "draft-text",
      attrs: { "data-kind": kind.id, "data-slot": number },
    });
    const status = el("span", { className: "slot-status", attrs: { "aria-live": "polite" } });
    const error = el("p", { className: "alert", attrs: { role: "alert" }, hidden: true });
    const conflictBox = el("div", { className: "conflict", hidden: true, attrs: { role: "alert" } });
    const label = el("label", { htmlFor: id, className: many ? "slot-number" : "visually-hidden", text: many ? `${number}.` : kind.label });
    const node = el("div", { className: "slot", attrs: { "data-slot": number } }, [
      el("div", { className: "slot-head" }, [label, status]), textarea, conflictBox, error,
    ]);
    const slot = {
      kind: kind.id, number, node, textarea, status, error, conflictBox,
      version: 0, dirty: false, saving: null, again: false, timer: null, conflict: null, remote: null,
      base: "", // the saved text at `version`: what an edit here started from
    };
    textarea.addEventListener("input", () => {
      slot.dirty = true;
      showMessage(slot.error, "");
      clearTimeout(slot.timer);
      slot.timer = setTimeout(() => save(slot), SAVE_AFTER_MS);
      renderStatus(slot);
    });
    textarea.addEventListener("blur", () => {
      if (slot.dirty) save(slot);
      else if (slot.remote) adopt(slot, slot.remote);
    });
    const draft = currentDraft(kind.id, number);
    if (draft) adopt(slot, draft);
    renderStatus(slot);
    return slot;
  }

  /** Someone is typing here: their unsaved words must not be replaced. */
  function editing(slot) {
    return slot.dirty || slot.saving || slot.conflict;
  }

  /** Take the server's text into the box (only when the person has no unsaved words in it). */
  function adopt(slot, draft) {
    slot.remote = null;
    if (draft.version < slot.version) return;
    const box = slot.textarea;
    if (box.value !== draft.text) {
      const focused = document.activeElement === box;
      const start = box.selectionStart;
      box.value = draft.text;
      if (focused) box.setSelectionRange(Math.min(start, box.value.length), Math.min(start, box.value.length));
    }
    slot.version = draft.version;
    slot.base = draft.text;
    renderStatus(slot);
  }

  /** A newer draft arrived from someone at the table. */
  function incoming(slot, draft) {
    if (draft.version < slot.version) return;
    if (slot.conflict) {
      // Keep the choice honest: "hun versie" is always the newest one.
      if (draft.version > slot.conflict.version) {
        slot.conflict = { ...slot.conflict, theirs: draft.text, version: draft.version };
        renderConflict(slot);
      }
      return;
    }
    if (editing(slot)) {
      if (draft.version > slot.version) slot.remote = draft;
      renderStatus(slot);
      return;
    }
    adopt(slot, draft);
  }

  function renderStatus(slot) {
    const draft = currentDraft(slot.kind, slot.number);
    let text = strings.draft_saved;
    let state = "saved";
    if (slot.conflict) {
      text = "";
      state = "conflict";
    } else if (slot.saving) {
      text = strings.draft_saving;
      state = "saving";
    } else if (slot.dirty) {
      text = strings.draft_unsaved;
      state = "unsaved";
    } else if (draft && draft.submitted && draft.version === slot.version) {
      text = `✓ ${strings.draft_submitted}`;
      state = "submitted";
    } else if (submittedItem(slot.kind, slot.number)) {
      text = strings.draft_changed;
      state = "changed";
    } else if (!slot.version) {
      text = "";
      state = "empty";
    }
    slot.status.textContent = text;
    slot.status.dataset.state = state;
    slot.node.dataset.state = state;
  }

  function renderConflict(slot) {
    const c = slot.conflict;
    slot.conflictBox.hidden = !c;
    slot.textarea.readOnly = Boolean(c);
    if (!c) {
      setChildren(slot.conflictBox, []);
      return;
    }
    setChildren(slot.conflictBox, [
      el("p", { className: "conflict-title", text: c.message }),
      el("div", { className: "conflict-versions" }, [
        el("div", { className: "version theirs" }, [el("h3", { text: strings.conflict_theirs }), el("p", { text: c.theirs })]),
        el("div", { className: "version mine" }, [el("h3", { text: strings.conflict_mine }), el("p", { text: c.mine })]),
      ]),
      el("div", { className: "conflict-actions" }, [
        el("button", { type: "button", className: "button", text: strings.take_theirs, on: { click: () => takeTheirs(slot) } }),
        el("button", { type: "button", className: "button primary", text: strings.append_mine, on: { click: () => appendMine(slot) } }),
      ]),
    ]);
  }

  function takeTheirs(slot) {
    const c = slot.conflict;
    slot.conflict = null;
    slot.dirty = false;
    slot.textarea.value = c.theirs;
    slot.version = c.version;
    slot.base = c.theirs;
    renderConflict(slot);
    renderStatus(slot);
  }

  function appendMine(slot) {
    const c = slot.conflict;
    const merged = appendNew(c.theirs, c.mine, c.base);
    if (merged === c.theirs.trim()) {
      takeTheirs(slot); // everything I wrote is in their version already
      return;
    }
    slot.conflict = null;
    slot.textarea.value = merged;
    slot.version = c.version;
    slot.base = c.theirs;
    slot.dirty = true;
    renderConflict(slot);
    save(slot);
  }

  /** Save a slot's text against the version it is based on; resolves when done (or refused). */
  function save(slot) {
    clearTimeout(slot.timer);
    if (slot.conflict || !slot.dirty) return slot.saving || Promise.resolve();
    if (slot.saving) {
      slot.again = true;
      return slot.saving;
    }
    const text = slot.textarea.value;
    const payload = { session: ctx.sessionId, kind: slot.kind, slot: slot.number, text, base_version: slot.version };
    slot.saving = ctx.link.request("save_table_draft", payload).then((ack) => {
      slot.saving = null;
      if (ack.ok) {
        const draft = ack.draft;
        ctx.drafts.set(draftKey(draft), draft);
        if (draft.version >= slot.version) slot.base = draft.text;
        slot.version = Math.max(slot.version, draft.version);
        if (slot.textarea.value === text) slot.dirty = false;
        showMessage(slot.error, "");
      } else if (ack.error && ack.error.code === "draft_conflict") {
        const current = ack.error.current || { text: "", version: slot.version };
        slot.conflict = {
          theirs: current.text, version: current.version, mine: slot.textarea.value, base: slot.base,
          message: ack.error.message,
        };
        slot.again = false;
        renderConflict(slot);
      } else if (ack.error && ack.error.code === "no_table") {
        showMessage(slot.error, ack.error.message);
        render();
      } else if (!ack.error || RETRY_LATER.has(ack.error.code)) {
        slot.timer = setTimeout(() => save(slot), 3000); // nothing stored; try again shortly
      } else {
        showMessage(slot.error, ack.error.message || strings.error);
      }
      renderStatus(slot);
      if (slot.again) {
        slot.again = false;
        return save(slot);
      }
      return undefined;
    });
    renderStatus(slot);
    return slot.saving;
  }

  // -- per kind: the spokesperson and submitting --------------------------------------------

  function kindSlots(kindId) {
    return Array.from(slots.values()).filter((s) => s.kind === kindId);
  }

  async function claim(kind) {
    const block = blocks.get(kind.id);
    showMessage(block.error, "");
    const ack = await ctx.link.request("claim_spokesperson", { session: ctx.sessionId });
    if (ack.ok) {
      ctx.me.roles = ack.roles || ctx.me.roles;
      ctx.renderAll();
      return;
    }
    if (ack.error && ack.error.code === "not_your_role") otherSpokesperson.add(spokesKey());
    showMessage(block.error, ack.error && ack.error.message ? ack.error.message : strings.error);
    renderSpokes();
  }

  async function submit(kind) {
    const block = blocks.get(kind.id);
    if (block.submitting) return;
    showMessage(block.error, "");
    const own = kindSlots(kind.id);
    if (own.some((s) => s.conflict)) {
      showMessage(block.error, strings.resolve_first);
      return;
    }
    block.submitting = true;
    renderSpokes();
    try {
      await Promise.all(own.map((s) => save(s)));
      if (own.some((s) => s.conflict || s.dirty)) {
        showMessage(block.error, strings.resolve_first);
        return;
      }
      const ack = await ctx.link.request("submit_table_drafts", { session: ctx.sessionId, kind: kind.id });
      if (!ack.ok) {
        if (ack.error && ack.error.code === "not_your_role") otherSpokesperson.add(spokesKey());
        showMessage(block.error, ack.error && ack.error.message ? ack.error.message : strings.error);
      }
    } finally {
      block.submitting = false;
      renderSpokes();
    }
  }

  function renderSpokes() {
    for (const kind of kinds) {
      const block = blocks.get(kind.id);
      if (!block) continue;
      const hadFocus = block.action.contains(document.activeElement) || block.spokes.contains(document.activeElement);
      const own = kindSlots(kind.id);
      const allSubmitted = own.some((s) => s.version > 0) && own.every((s) => {
        const d = currentDraft(kind.id, s.number);
        return !s.dirty && (!d || !d.text || (d.submitted && d.version === s.version));
      });
      const everSubmitted = own.some((s) => submittedItem(kind.id, s.number));
      const isSpokes = ctx.role() === "tafelvoorzitter";
      if (ctx.step.has_spokesperson && !isSpokes && everSubmitted) otherSpokesperson.add(spokesKey());
      const nodes = [];
      const actions = []; // in the bar at the bottom of the screen, with the error that goes with them
      if (!ctx.step.has_spokesperson || isSpokes) {
        if (ctx.step.has_spokesperson) nodes.push(el("p", { className: "spokes-note", text: strings.spokesperson_me }));
        if (allSubmitted && everSubmitted) {
          nodes.push(el("p", { className: "submitted-note", text: strings.submitted_note, attrs: { tabindex: "-1" } }));
        } else {
          block.submitButton.textContent = everSubmitted ? strings.resubmit_table : strings.submit_table;
          // aria-disabled, not disabled, while submitting: a disabled button would drop the keyboard focus.
          if (block.submitting) block.submitButton.setAttribute("aria-disabled", "true");
          else block.submitButton.removeAttribute("aria-disabled");
          actions.push(block.submitButton);
        }
      } else if (otherSpokesperson.has(spokesKey())) {
        nodes.push(el("p", { className: "spokes-note", text: strings.spokesperson_other }));
        if (everSubmitted && allSubmitted) nodes.push(el("p", { className: "submitted-note", text: `✓ ${strings.draft_submitted}` }));
      } else {
        nodes.push(el("p", { className: "spokes-note", text: strings.spokesperson_none }));
        actions.push(block.claimButton);
      }
      setChildren(block.spokes, nodes);
      // The error node stays put (moving an alert could read it out again), and so do buttons still shown.
      refill(block.buttons, actions);
      block.action.classList.toggle("is-empty", actions.length === 0);
      if (hadFocus && !block.action.contains(document.activeElement) && !block.spokes.contains(document.activeElement)) {
        // The button pressed went away (claimed, or submitted): the focus goes to what took its place.
        const next = actions[0] || nodes.find((n) => n.classList.contains("submitted-note"));
        if (next) next.focus();
      }
    }
  }

  // -- the whole section --------------------------------------------------------------------

  function build() {
    for (const slot of slots.values()) clearTimeout(slot.timer);
    slots.clear();
    blocks.clear();
    const nodes = kinds.map((kind) => {
      const slotNodes = [];
      for (let n = 1; n <= (kind.per_table || 1); n += 1) {
        const slot = makeSlot(kind, n);
        slots.set(`${kind.id}/${n}`, slot);
        slotNodes.push(slot.node);
      }
      const error = el("p", { className: "alert kind-error", attrs: { role: "alert" }, hidden: true });
      const buttons = el("div", { className: "spokes-buttons" });
      const block = {
        submitButton: el("button", { type: "button", className: "button primary big", on: { click: () => submit(kind) } }),
        claimButton: el("button", {
          type: "button", className: "button", text: strings.claim_spokesperson, on: { click: () => claim(kind) },
        }),
        spokes: el("div", { className: "spokes" }),
        // Submit (or "Ik ben de woordvoerder") stays in sight at the bottom of the screen, below five slots too.
        action: el("div", { className: "send-bar spokes-action" }, [error, buttons]),
        buttons,
        error,
        submitting: false,
      };
      blocks.set(kind.id, block);
      return el("section", { className: "table-kind stack", attrs: { "data-kind": kind.id } }, [
        el("h2", { text: kind.label, attrs: { tabindex: "-1" } }),
        el("p", { className: "hint", text: strings.write_together }),
        el("div", { className: "slots" }, slotNodes),
        block.spokes,
        block.action,
      ]);
    });
    setChildren(kindsBox, nodes);
  }

  function render() {
    const step = ctx.step;
    kinds = ctx.view() === "answer" ? ctx.kinds().filter((k) => k.scope === "table") : [];
    section.hidden = kinds.length === 0;
    if (!kinds.length) {
      signature = "";
      return;
    }
    const seated = ctx.me.table != null;
    needed.hidden = seated;
    kindsBox.hidden = !seated;
    if (!seated) {
      tables.renderInline(neededError);
      signature = "";
      return;
    }
    const sig = JSON.stringify([step.agenda_item, step.phase, ctx.me.table, kinds.map((k) => [k.id, k.per_table])]);
    if (sig !== signature) {
      signature = sig;
      build();
    } else {
      for (const slot of slots.values()) {
        const draft = currentDraft(slot.kind, slot.number);
        if (draft) incoming(slot, draft);
        else renderStatus(slot);
      }
    }
    renderSpokes();
  }

  return {
    render,
    /** table_draft_changed: update the slot unless someone is busy with it here. */
    onDraft(draft) {
      ctx.drafts.set(draftKey(draft), draft);
      if (!ctx.step || draft.agenda_item !== ctx.step.agenda_item || draft.table !== ctx.me.table) return;
      const slot = slots.get(`${draft.kind}/${draft.slot}`);
      if (slot) {
        incoming(slot, draft);
        renderStatus(slot);
      }
      renderSpokes();
    },
    onTableItem() {
      for (const slot of slots.values()) renderStatus(slot);
      if (kinds.length) renderSpokes();
    },
  };
}
