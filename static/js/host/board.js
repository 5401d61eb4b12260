// The rode-draden board: one agenda item's contributions sorted into themes (columns) by the facilitator,
// helped by the clusterer ("Stel thema's voor", "Sorteer de rest"). The server's `board` payload is the
// truth; every change goes out as `edit_board` / `suggest_themes` and comes back to every host screen as
// `board_changed`. Participant text only ever goes in through textContent (el(..., {text})).
import { format, setChildren } from "../realtime.js";
import { button, el } from "../dom.js";
import { metaText } from "./displays.js";

const SAVE_AFTER_MS = 800; // the rode draad is saved after this long without typing
const CONFIRM_MS = 4000; // "Verwijderen" asks once more, for this long
const SUGGEST_TIMEOUT_MS = 60000; // the clusterer may take a while on a big board
// "Aantal thema's": empty lets the clusterer choose; 2 to 20 may be asked for (the server checks the same), with a warning outside 3-10.
const COUNT_MIN = 2;
const COUNT_MAX = 20;

const emptyBoard = (item) => ({
  agenda_item: item, version: 0, themes: [], unsorted: [], rode_draad: "", can_undo: false, duplicates: [], warning: null,
});

/** Return "5 ouders · 3 onderwijs · 1 zorg · Tafel Noord, tafels 1, 3" for a theme's provenance (people, not cards). */
export function provenanceText(provenance, strings) {
  const counts = provenance?.perspectives || {};
  // The bijeenkomst's own order of its perspectives breaks ties.
  const perspectives = (strings.perspective_order || "").split(",");
  const order = (id) => (perspectives.includes(id) ? perspectives.indexOf(id) : perspectives.length);
  const parts = Object.entries(counts)
    .filter(([, n]) => Number(n) > 0)
    .sort(([a, x], [b, y]) => y - x || order(a) - order(b))
    .map(([id, n]) => {
      const template = strings[`provenance:${id}:${n === 1 ? "one" : "many"}`];
      return template ? format(template, { num: n }) : `${n} ${id}`;
    });
  // A named table says so itself ("Tafel Zon"); only bare numbers need the word ("tafels 1, 3").
  const tables = (provenance?.tables || []).map(String);
  const numbered = tables.filter((label) => /^\d+$/.test(label));
  const where = tables.filter((label) => !/^\d+$/.test(label));
  if (numbered.length) {
    where.push(format(numbered.length === 1 ? strings.prov_tables_one : strings.prov_tables_many, { list: numbered.join(", ") }));
  }
  if (where.length) parts.push(where.join(", "));
  return parts.join(" · ");
}

/**
 * The board with its toolbar and the rode-draad sentence, for one agenda item at a time.
 * deps: {send(event, payload) -> ack, strings, notify(message, kind), contribution(id), tables()}
 */
export function createBoard({ send, strings, notify, contribution, tables }) {
  const boards = new Map(); // agenda item id -> payload from the server (or our optimistic copy)
  const arrived = new Map(); // agenda item id -> ids of contributions that came in since its last payload
  const ackWarnings = new Map(); // agenda item id -> the warning of the last suggestion's acknowledgement
  let item = null;
  let sortables = [];
  let dragging = false;
  let renaming = null; // {theme, input}: a name being typed; a redraw waits until it is saved or cancelled
  let renameNext = null; // a theme id whose name field opens at the next redraw (a new, still unnamed theme)
  let suggesting = false;
  let split = null; // {theme, cards: Set}
  let confirmRemove = null; // theme id whose "Verwijderen" was pressed once
  let confirmTimer = null;

  // -- the fixed parts: toolbar, columns, rode draad ---------------------------------------------
  const countInput = el("input", {
    className: "board-count",
    attrs: { type: "number", min: COUNT_MIN, max: COUNT_MAX, step: 1, inputmode: "numeric", placeholder: strings.board_auto },
  });
  const suggestButton = button(strings.board_suggest, () => suggest("suggest"), "button primary");
  const sortButton = button(strings.board_sort_rest, () => suggest("sort"));
  const addButton = button(strings.board_add_theme, () => addTheme([]));
  const undoButton = button(strings.board_undo, () => undo());
  undoButton.title = strings.board_undo_key;
  const busyNote = el("span", { className: "board-busy", text: strings.board_busy, attrs: { role: "status" } });
  busyNote.hidden = true;
  const toolbar = el("div", { className: "board-toolbar" }, [
    el("label", { className: "board-count-label" }, [el("span", { text: strings.board_count }), countInput]),
    suggestButton,
    sortButton,
    addButton,
    undoButton,
    busyNote,
  ]);
  const warningLine = el("p", { className: "board-warning", attrs: { role: "status" } });
  warningLine.hidden = true;
  const columns = el("div", { className: "board-columns" });
  const draadInput = el("textarea", {
    className: "board-rode-draad",
    attrs: { id: "board-rode-draad", rows: 2, maxlength: 1000, placeholder: strings.board_rode_draad_hint },
  });
  const draad = el("div", { className: "board-draad" }, [
    el("label", { className: "board-draad-label", text: strings.board_rode_draad, attrs: { for: "board-rode-draad" } }),
    draadInput,
  ]);
  const element = el("div", { className: "board", attrs: { role: "region", "aria-label": strings.board_title } }, [
    toolbar, warningLine, columns, draad,
  ]);

  // -- the cards on the board ------------------------------------------------------------------
  const board = () => boards.get(item) || emptyBoard(item);

  /** Is this contribution one the board may show (shared, not hidden, not waiting for the reveal)? */
  function eligible(c) {
    return Boolean(c) && !c.hidden && !c.concealed && c.shared !== false;
  }

  function placedIds(b) {
    const ids = new Set(b.unsorted);
    for (const theme of b.themes) for (const id of theme.cards) ids.add(id);
    return ids;
  }

  /** The unsorted cards: the server's, then what arrived since (until the next payload brings them). */
  function unsortedIds(b) {
    const placed = placedIds(b);
    return [...b.unsorted, ...(arrived.get(b.agenda_item) || []).filter((id) => !placed.has(id))];
  }

  function duplicateGroups(b) {
    const groups = new Map(); // card id -> {number, others}
    (b.duplicates || []).forEach((group, index) => {
      for (const id of group) groups.set(id, { number: index + 1, others: group.filter((other) => other !== id) });
    });
    return groups;
  }

  function shorten(text, max = 60) {
    return text.length > max ? `${text.slice(0, max - 1)}…` : text;
  }

  function cardNode(id, themeId, b, duplicates) {
    const c = contribution(id);
    const selectable = split && split.theme === themeId;
    const selected = selectable && split.cards.has(id);
    const meta = [el("span", { className: "board-card-where", text: metaText(c, strings, tables()) })];
    const twin = duplicates.get(id);
    if (twin) {
      const texts = twin.others.map((other) => contribution(other)).filter(eligible).map((o) => `“${shorten(o.text)}”`);
      const title = format(strings.board_duplicate, { cards: texts.join(", ") });
      meta.push(el("span", { className: "board-dup", text: `≈${twin.number}`, attrs: { title, "aria-label": title } }));
    }
    if (!split) meta.push(moveSelect(id, themeId, b));
    const node = el("li", {
      className: `board-card${selected ? " selected" : ""}`,
      dataset: { id, focus: selectable ? "card" : null },
      attrs: selectable ? { tabindex: 0, role: "button", "aria-pressed": String(Boolean(selected)) } : {},
    }, [el("p", { className: "card-text", text: c.text }), el("div", { className: "board-card-meta" }, meta)]);
    if (selectable) {
      const toggle = () => {
        if (split.cards.has(id)) split.cards.delete(id);
        else split.cards.add(id);
        render();
      };
      node.addEventListener("click", toggle);
      node.addEventListener("keydown", (event) => {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          toggle();
        }
      });
    }
    return node;
  }

  /** "Verplaats naar…": the same moves as dragging, for whoever cannot drag. */
  function moveSelect(id, themeId, b) {
    const options = [el("option", { text: strings.move_to, attrs: { value: "", selected: true, disabled: true } })];
    if (themeId !== null) options.push(el("option", { text: strings.board_unsorted, attrs: { value: "unsorted" } }));
    for (const theme of b.themes) {
      if (theme.id !== themeId) options.push(el("option", { text: theme.name, attrs: { value: `theme:${theme.id}` } }));
    }
    options.push(el("option", { text: strings.board_new_theme, attrs: { value: "new" } }));
    const select = el("select", { className: "card-move", dataset: { focus: "move" }, attrs: { "aria-label": strings.move_to } }, options);
    select.addEventListener("change", () => {
      const value = select.value;
      if (value === "new") addTheme([id]);
      else if (value === "unsorted") move(id, null, null);
      else if (value.startsWith("theme:")) move(id, value.slice(6), null);
    });
    return select;
  }

  function cardList(ids, themeId, b, duplicates, label) {
    const shown = ids.filter((id) => eligible(contribution(id)));
    const list = el(
      "ul",
      { className: "board-list", dataset: { theme: themeId ?? "" }, attrs: { "aria-label": label } },
      shown.map((id) => cardNode(id, themeId, b, duplicates)),
    );
    return { list, count: shown.length };
  }

  // -- columns ---------------------------------------------------------------------------------
  function unsortedColumn(b, duplicates) {
    const { list, count } = cardList(unsortedIds(b), null, b, duplicates, strings.board_unsorted);
    return el("section", { className: `board-column unsorted${count ? "" : " empty"}`, dataset: { theme: "" } }, [
      el("header", { className: "theme-header" }, [
        el("h3", { className: "theme-title" }, [
          el("span", { className: "theme-name-static", text: strings.board_unsorted }),
          el("span", { className: "theme-count", text: ` (${count})` }),
        ]),
      ]),
      list,
    ]);
  }

  function themeName(theme) {
    if (renaming && renaming.theme === theme.id) return renaming.input;
    const name = el("span", {
      // The clusterer's proposal: italic until the facilitator accepts or edits it (phones see "Thema 3" till then).
      className: proposal(theme) ? "theme-name is-proposal" : "theme-name",
      dataset: { focus: "name" },
      text: theme.name,
      attrs: { tabindex: 0, role: "button", title: strings.board_rename, "aria-label": `${theme.name}: ${strings.board_rename}` },
    });
    name.addEventListener("click", () => startRename(theme));
    name.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        startRename(theme);
      }
    });
    return name;
  }

  function proposal(theme) {
    return theme.origin === "suggestion" && !theme.accepted;
  }

  function themeActions(theme, b) {
    const others = b.themes.filter((t) => t.id !== theme.id);
    const merge = el("select", { className: "theme-merge", dataset: { focus: "merge" }, attrs: { "aria-label": strings.board_merge } }, [
      el("option", { text: strings.board_merge, attrs: { value: "", selected: true, disabled: true } }),
      ...others.map((t) => el("option", { text: t.name, attrs: { value: t.id } })),
    ]);
    merge.disabled = others.length === 0 || suggesting;
    merge.addEventListener("change", () => {
      if (merge.value) edit({ action: "merge_themes", theme: theme.id, into: merge.value });
    });
    const splitButton = button(strings.board_split, () => {
      split = { theme: theme.id, cards: new Set() };
      render();
    }, "theme-button");
    splitButton.dataset.focus = "split";
    splitButton.disabled = theme.cards.length < 2 || suggesting;
    const sure = confirmRemove === theme.id;
    const remove = button(sure ? strings.board_remove_sure : strings.board_remove, () => {
      clearTimeout(confirmTimer);
      if (confirmRemove === theme.id) {
        confirmRemove = null;
        edit({ action: "remove_theme", theme: theme.id });
        return;
      }
      confirmRemove = theme.id;
      confirmTimer = setTimeout(() => {
        confirmRemove = null;
        render();
      }, CONFIRM_MS);
      render();
    }, `theme-button theme-remove${sure ? " sure" : ""}`);
    remove.dataset.focus = "remove";
    remove.disabled = suggesting;
    // Only a name the facilitator typed, renamed or accepted here may go into the series' terugblik.
    let accept = null;
    if (!theme.accepted) {
      accept = button(`✓ ${strings.board_accept}`, () => edit({ action: "accept_theme", theme: theme.id }), "theme-button theme-accept");
      accept.title = proposal(theme) ? strings.board_proposal_hint : strings.board_accept_hint;
      accept.dataset.focus = "accept";
      accept.disabled = suggesting;
    }
    return el("div", { className: "theme-actions" }, [accept, merge, splitButton, remove]);
  }

  function splitBar(theme) {
    const make = button(strings.board_split_make, () => {
      const cards = theme.cards.filter((id) => split.cards.has(id));
      split = null;
      edit({ action: "split_theme", theme: theme.id, cards }).then((ack) => {
        if (ack.ok && ack.theme) openRename(ack.theme);
      });
      render();
    }, "button primary");
    make.disabled = split.cards.size === 0 || split.cards.size >= theme.cards.length;
    const cancel = button(strings.board_cancel, () => {
      split = null;
      render();
    });
    return el("div", { className: "split-bar" }, [el("p", { className: "split-hint", text: strings.board_split_hint }), make, cancel]);
  }

  function themeColumn(theme, b, duplicates) {
    const { list, count } = cardList(theme.cards, theme.id, b, duplicates, theme.name);
    const origin = theme.origin === "participant" ? strings.board_from_participant
      : proposal(theme) ? strings.board_from_suggestion : "";
    const provenance = provenanceText(theme.provenance, strings);
    const splitting = split && split.theme === theme.id;
    return el("section", {
      className: `board-column theme${splitting ? " splitting" : ""}`,
      dataset: { theme: theme.id, origin: theme.origin, accepted: theme.accepted ? "1" : "0" },
    }, [
      el("header", { className: "theme-header", attrs: { title: strings.board_drag_theme } }, [
        el("h3", { className: "theme-title" }, [themeName(theme), el("span", { className: "theme-count", text: ` (${count})` })]),
        origin ? el("p", { className: `theme-origin origin-${theme.origin}`, text: origin, attrs: proposal(theme) ? { title: strings.board_proposal_hint } : {} }) : null,
        provenance ? el("p", { className: "theme-provenance", text: provenance }) : null,
        (theme.terms || []).length ? el("p", { className: "theme-terms", text: theme.terms.join(", ") }) : null,
        themeActions(theme, b),
      ]),
      splitting ? splitBar(theme) : null,
      list,
    ]);
  }

  function newThemeColumn() {
    const drop = el("ul", { className: "board-list new-theme-drop", dataset: { newTheme: "1" }, attrs: { "aria-label": strings.board_new_theme } });
    return el("section", { className: "board-column new-theme" }, [
      el("header", { className: "theme-header" }, [el("h3", { className: "theme-title", text: strings.board_new_theme })]),
      el("p", { className: "new-theme-hint muted", text: strings.board_drop_new }),
      drop,
    ]);
  }

  // -- dragging ----------------------------------------------------------------------------------
  function makeSortables(lists, themesBox) {
    const Sortable = window.Sortable;
    if (!Sortable) return; // the "verplaats naar…" selects still work
    for (const list of lists) {
      const isDrop = list.dataset.newTheme === "1";
      sortables.push(Sortable.create(list, {
        group: { name: "board-cards", pull: !isDrop, put: true },
        sort: !isDrop,
        animation: 150,
        disabled: Boolean(split) || suggesting,
        filter: "select, button, option, input",
        preventOnFilter: false,
        onStart() {
          dragging = true;
          element.classList.add("is-dragging");
        },
        onEnd(event) {
          dragging = false;
          element.classList.remove("is-dragging");
          const id = event.item.dataset.id;
          const to = event.to;
          if (to.dataset.newTheme === "1") {
            addTheme([id]);
          } else if (to !== event.from || event.oldIndex !== event.newIndex) {
            const next = event.item.nextElementSibling;
            move(id, to.dataset.theme || null, next ? next.dataset.id : null);
          }
          scheduleRender(); // after Sortable has finished with its own nodes
        },
      }));
    }
    sortables.push(Sortable.create(themesBox, {
      group: "board-themes",
      animation: 150,
      handle: ".theme-header",
      draggable: ".board-column.theme",
      filter: "select, button, option, input, .theme-name",
      preventOnFilter: false,
      disabled: Boolean(split) || suggesting || Boolean(renaming),
      onStart() {
        dragging = true;
      },
      onEnd(event) {
        dragging = false;
        if (event.oldIndex !== event.newIndex) {
          const order = [...themesBox.querySelectorAll(":scope > .board-column.theme")].map((node) => node.dataset.theme);
          const b = board();
          const byId = new Map(b.themes.map((t) => [t.id, t]));
          store({ ...b, themes: order.map((id) => byId.get(id)).filter(Boolean) });
          edit({ action: "reorder_themes", order }, b);
        }
        scheduleRender();
      },
    }));
  }

  // -- drawing -----------------------------------------------------------------------------------
  function renderToolbar(b) {
    const hasThemes = b.themes.length > 0;
    const hasUnsorted = unsortedIds(b).some((id) => eligible(contribution(id)));
    suggestButton.disabled = suggesting;
    sortButton.disabled = suggesting || !hasThemes || !hasUnsorted;
    addButton.disabled = suggesting;
    undoButton.disabled = suggesting || !b.can_undo;
    countInput.disabled = suggesting;
    busyNote.hidden = !suggesting;
    const warning = b.warning || ackWarnings.get(b.agenda_item) || null;
    const text = warning === "few" ? strings.board_warning_few : warning === "many" ? strings.board_warning_many : "";
    warningLine.textContent = text;
    warningLine.hidden = !text;
    warningLine.dataset.warning = warning || "";
    if (document.activeElement !== draadInput && !pendingDraad) draadInput.value = b.rode_draad || "";
  }

  /** Draw the board again (not while a card is being dragged or a name typed: then right after). */
  function render(force = false) {
    if (item === null) return;
    // A drag ends with a redraw (scheduleRender) and a rename with render(true): nothing is lost by waiting.
    if (dragging || (renaming && !force)) return;
    const b = board();
    if (split && !b.themes.some((t) => t.id === split.theme)) split = null;
    const scrollLeft = columns.scrollLeft;
    const listKey = (list) => (list.dataset.newTheme ? "+" : list.dataset.theme);
    const scrollTops = new Map([...columns.querySelectorAll(".board-list")].map((l) => [listKey(l), l.scrollTop]));
    const hadFocus = element.contains(document.activeElement) && document.activeElement !== draadInput
      ? focusKey(document.activeElement) : null;
    for (const sortable of sortables) sortable.destroy();
    sortables = [];
    const duplicates = duplicateGroups(b);
    if (renameNext && b.themes.some((t) => t.id === renameNext)) {
      const theme = b.themes.find((t) => t.id === renameNext);
      renameNext = null;
      renaming = { theme: theme.id, input: renameInput(theme) };
    }
    const themesBox = el("div", { className: "board-themes" }, b.themes.map((t) => themeColumn(t, b, duplicates)));
    setChildren(columns, [unsortedColumn(b, duplicates), themesBox, newThemeColumn()]);
    columns.dataset.themes = String(b.themes.length);
    makeSortables([...columns.querySelectorAll(".board-list")], themesBox);
    renderToolbar(b);
    columns.scrollLeft = scrollLeft;
    for (const list of columns.querySelectorAll(".board-list")) {
      const top = scrollTops.get(listKey(list));
      if (top) list.scrollTop = top;
    }
    if (renaming && document.activeElement !== renaming.input) {
      renaming.input.focus();
      renaming.input.select();
    } else if (hadFocus) {
      element.querySelector(hadFocus)?.focus();
    }
  }

  let scheduled = false;
  function scheduleRender() {
    if (scheduled) return;
    scheduled = true;
    setTimeout(() => {
      scheduled = false;
      render();
    }, 0);
  }

  /** A selector to find the focused control again after a redraw (keyboard users keep their place). */
  function focusKey(node) {
    const key = node.dataset?.focus;
    if (!key) return null;
    const cardNode = node.closest(".board-card");
    if (cardNode) {
      const self = `.board-card[data-id="${CSS.escape(cardNode.dataset.id)}"]`;
      return node === cardNode ? self : `${self} [data-focus="${key}"]`;
    }
    const column = node.closest(".board-column");
    const where = column ? `.board-column[data-theme="${CSS.escape(column.dataset.theme || "")}"] ` : "";
    return `${where}[data-focus="${key}"]`;
  }

  // -- renaming ----------------------------------------------------------------------------------
  function renameInput(theme) {
    const input = el("input", {
      className: "theme-rename",
      attrs: { type: "text", maxlength: 80, "aria-label": strings.board_theme_name },
    });
    input.value = theme.name;
    let done = false;
    const finish = (save) => {
      if (done) return;
      done = true;
      const name = input.value.trim();
      renaming = null;
      if (save && name && name !== theme.name) {
        const b = board();
        store({ ...b, themes: b.themes.map((t) => (t.id === theme.id ? { ...t, name, accepted: true } : t)) });
        edit({ action: "rename_theme", theme: theme.id, name }, b);
      }
      render(true);
    };
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        finish(true);
      } else if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation(); // Esc cancels the name, it does not close the board
        finish(false);
      }
    });
    input.addEventListener("blur", () => finish(true));
    return input;
  }

  function startRename(theme) {
    if (renaming) return;
    renaming = { theme: theme.id, input: renameInput(theme) };
    render(true);
  }

  function openRename(themeId) {
    renameNext = themeId;
    render();
  }

  // -- talking to the server ---------------------------------------------------------------------
  function store(next) {
    boards.set(next.agenda_item, next);
  }

  /** Send one edit; on failure put back the board as it was before our optimistic change. */
  async function edit(fields, before = null) {
    const forItem = item;
    const ack = await send("edit_board", { item: forItem, ...fields });
    if (!ack.ok && before && boards.get(forItem) && boards.get(forItem).version === before.version) {
      boards.set(forItem, before);
      if (forItem === item) render();
    }
    return ack;
  }

  function move(id, themeId, beforeId) {
    const b = board();
    const strip = (ids) => ids.filter((x) => x !== id);
    const insert = (ids) => {
      const at = beforeId ? ids.indexOf(beforeId) : -1;
      return at < 0 ? [...ids, id] : [...ids.slice(0, at), id, ...ids.slice(at)];
    };
    const unsorted = strip(unsortedIds(b));
    store({
      ...b,
      unsorted: themeId === null ? insert(unsorted) : unsorted,
      themes: b.themes.map((t) => ({ ...t, cards: t.id === themeId ? insert(strip(t.cards)) : strip(t.cards) })),
    });
    scheduleRender();
    edit({ action: "move", card: id, theme: themeId, before: beforeId }, b);
  }

  async function addTheme(cards) {
    const ack = await edit({ action: "add_theme", name: "", cards });
    if (ack.ok && ack.theme) openRename(ack.theme);
    else render();
  }

  function undo() {
    if (!undoButton.disabled) edit({ action: "undo" });
  }

  async function suggest(mode) {
    if (suggesting) return;
    let count = null;
    if (mode === "suggest" && countInput.value.trim() !== "") {
      count = Number.parseInt(countInput.value, 10);
      if (!Number.isInteger(count) || count < COUNT_MIN || count > COUNT_MAX) {
        notify(strings.board_count_range, "error");
        countInput.focus();
        return;
      }
    }
    const forItem = item;
    suggesting = true;
    split = null;
    render();
    const payload = { item: forItem, mode };
    if (mode === "suggest") payload.count = count;
    const ack = await send("suggest_themes", payload, SUGGEST_TIMEOUT_MS);
    suggesting = false;
    if (ack.ok) ackWarnings.set(forItem, ack.warning || null);
    render();
  }

  // -- the rode draad ----------------------------------------------------------------------------
  let pendingDraad = null; // {item, text} not yet sent
  let draadTimer = null;

  function saveDraad() {
    clearTimeout(draadTimer);
    if (!pendingDraad) return;
    const { item: forItem, text } = pendingDraad;
    pendingDraad = null;
    const b = boards.get(forItem);
    if (b && b.rode_draad === text) return;
    if (b) boards.set(forItem, { ...b, rode_draad: text });
    send("edit_board", { item: forItem, action: "set_rode_draad", text });
  }

  draadInput.addEventListener("input", () => {
    pendingDraad = { item, text: draadInput.value };
    clearTimeout(draadTimer);
    draadTimer = setTimeout(saveDraad, SAVE_AFTER_MS);
  });
  draadInput.addEventListener("blur", saveDraad);

  // Ctrl+Z (or Cmd+Z) undoes the last change on the board, unless the cursor is in a text field.
  document.addEventListener("keydown", (event) => {
    if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey || event.key.toLowerCase() !== "z") return;
    if (item === null || !element.isConnected || element.closest("[hidden]")) return;
    if (event.target.closest?.("input, textarea, [contenteditable]")) return;
    event.preventDefault();
    undo();
  });

  return {
    element,
    /** The agenda item whose board is shown. */
    get item() {
      return item;
    },
    /** Show the board of this agenda item. */
    show(nextItem) {
      if (nextItem !== item) {
        saveDraad();
        split = null;
        renaming = null;
        confirmRemove = null;
        item = nextItem;
        if (document.activeElement !== draadInput) draadInput.value = board().rode_draad || "";
      }
      render();
    },
    /** Take every board from session_state. */
    setAll(all) {
      boards.clear();
      arrived.clear();
      for (const [id, payload] of Object.entries(all || {})) boards.set(id, payload);
      render();
    },
    /** Take one board from board_changed. */
    update(payload) {
      if (!payload || !payload.agenda_item) return;
      const known = boards.get(payload.agenda_item);
      if (known && known.version > payload.version) return; // an older payload overtaken on the way
      boards.set(payload.agenda_item, payload);
      arrived.delete(payload.agenda_item);
      ackWarnings.delete(payload.agenda_item);
      if (payload.agenda_item === item) render();
    },
    /** A contribution came in: put it under "Nog niet ingedeeld" of its item's board until the next payload. */
    added(c) {
      if (!eligible(c) || !boards.has(c.agenda_item)) return false;
      const b = boards.get(c.agenda_item);
      if (placedIds(b).has(c.id)) return false;
      const list = arrived.get(c.agenda_item) || [];
      if (!list.includes(c.id)) arrived.set(c.agenda_item, [...list, c.id]);
      if (c.agenda_item === item) render();
      return true;
    },
    /** Draw again (a contribution changed, a table was renamed). */
    refresh() {
      render();
    },
    /** Is a drag or a rename in progress (then the page should not move the board around)? */
    busy() {
      return dragging || Boolean(renaming);
    },
  };
}
