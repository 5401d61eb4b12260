// "Waar hoort jouw bijdrage bij?": in a meesorteren phase a phone places its own contributions on the
// rode-draden board, one big button per theme, or proposes a new theme. The server answers with the theme.
import { format } from "../realtime.js";
import { $, el, focusLost, refill, showMessage } from "../dom.js";

const NAME_MAX = 80;

function placeStrings() {
  const node = document.getElementById("rd-place-strings");
  return node ? JSON.parse(node.textContent) : {};
}

export function createPlace(ctx) {
  const strings = { ...ctx.strings, ...placeStrings() };
  const section = $("place");
  const list = $("place-list");
  const empty = $("place-empty");
  const nodes = new Map(); // contribution id -> its card, kept so a typed theme name survives a redraw
  const busy = new Set();

  /** The board this phase sorts, with its themes; null when the phone has nothing to place. */
  function place() {
    return (ctx.step && ctx.step.place) || null;
  }

  function mine() {
    const p = place();
    if (!p) return [];
    return Array.from(ctx.contributions.values())
      .filter((c) => c.agenda_item === p.board_item && !c.hidden && c.status !== "pending" && c.shared !== false)
      .sort((a, b) => (a.created_at || 0) - (b.created_at || 0));
  }

  async function choose(c, fields, parts) {
    if (busy.has(c.id)) return;
    busy.add(c.id);
    showMessage(parts.error, "");
    render();
    const ack = await ctx.link.request("place_contribution", { session: ctx.sessionId, id: c.id, ...fields });
    busy.delete(c.id);
    if (ack.ok) {
      ctx.placements[c.id] = ack.theme;
      const p = place();
      if (fields.new_theme && p && !p.themes.some((t) => t.id === ack.theme)) {
        p.themes = [...p.themes, { id: ack.theme, name: fields.new_theme }]; // until board_changed brings it
      }
      if (fields.new_theme) {
        parts.input.value = "";
        parts.form.hidden = true;
        parts.open.hidden = false;
        parts.open.setAttribute("aria-expanded", "false");
      }
    } else {
      showMessage(parts.error, ack.error && ack.error.message ? ack.error.message : strings.error);
    }
    render();
    // The form just closed around the focus: it goes to the theme the card now sits under.
    if (fields.new_theme && ack.ok && focusLost()) {
      const chosen = parts.buttons.get(ack.theme);
      (chosen || parts.open).focus();
    }
  }

  function card(c) {
    let parts = nodes.get(c.id);
    if (!parts) {
      const input = el("input", {
        type: "text",
        maxLength: NAME_MAX,
        className: "place-name",
        placeholder: strings.place_name_hint,
        autocomplete: "off",
        attrs: { "aria-label": strings.place_name },
      });
      const error = el("p", { className: "alert place-error", hidden: true, attrs: { role: "alert" } });
      const form = el("form", { className: "place-form", hidden: true }, [
        el("label", { className: "place-name-label" }, [el("span", { text: strings.place_name }), input]),
        el("div", { className: "place-form-buttons" }, [
          el("button", { type: "submit", className: "button primary", text: strings.place_send }),
          el("button", {
            type: "button",
            className: "button",
            text: strings.place_cancel,
            on: {
              click: () => {
                form.hidden = true;
                parts.open.hidden = false;
                parts.open.setAttribute("aria-expanded", "false");
                showMessage(error, "");
                parts.open.focus();
              },
            },
          }),
        ]),
      ]);
      const open = el("button", {
        type: "button",
        className: "button place-open",
        text: strings.place_propose,
        attrs: { "aria-expanded": "false" },
        on: {
          click: () => {
            form.hidden = false;
            open.hidden = true; // the form has its own "Annuleren"
            open.setAttribute("aria-expanded", "true");
            input.focus();
          },
        },
      });
      const themes = el("div", { className: "place-themes", attrs: { role: "group" } });
      const li = el("li", { className: "place-item" }, [
        el("p", { className: "place-text" }),
        el("p", { className: "place-question", text: strings.place_question }),
        themes,
        el("p", { className: "muted place-none", text: strings.place_no_themes, hidden: true }),
        el("p", { className: "place-saved", hidden: true, attrs: { role: "status" } }),
        open,
        form,
        error,
      ]);
      parts = { li, themes, open, form, input, error, buttons: new Map() }; // buttons: theme id -> its button
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        const name = input.value.trim();
        if (!name) {
          showMessage(error, strings.place_name_required);
          input.focus();
          return;
        }
        choose(ctx.contributions.get(c.id) || c, { new_theme: name.slice(0, NAME_MAX) }, parts);
      });
      nodes.set(c.id, parts);
    }
    const { li, themes } = parts;
    li.querySelector(".place-text").textContent = c.text;
    const p = place();
    const chosen = ctx.placements[c.id] || null;
    themes.setAttribute("aria-label", strings.place_question);
    // The theme buttons are kept and updated, not made anew: the one just pressed keeps the keyboard focus.
    const ids = new Set(p.themes.map((t) => t.id));
    for (const id of Array.from(parts.buttons.keys())) if (!ids.has(id)) parts.buttons.delete(id);
    const buttons = p.themes.map((theme) => {
      let button = parts.buttons.get(theme.id);
      if (!button) {
        button = el("button", {
          type: "button",
          className: "place-theme",
          attrs: { "data-theme": theme.id },
          on: { click: () => choose(ctx.contributions.get(c.id) || c, { theme: theme.id }, parts) },
        }, [
          el("span", { className: "place-theme-name" }),
          el("span", { className: "place-check", text: `✓ ${strings.place_chosen}` }),
        ]);
        parts.buttons.set(theme.id, button);
      }
      const on = theme.id === chosen;
      button.querySelector(".place-theme-name").textContent = theme.name;
      button.querySelector(".place-check").hidden = !on;
      button.setAttribute("aria-pressed", on ? "true" : "false");
      // aria-disabled, not disabled, while the choice is saved: a disabled button would drop the focus.
      if (busy.has(c.id)) button.setAttribute("aria-disabled", "true");
      else button.removeAttribute("aria-disabled");
      return button;
    });
    refill(themes, buttons);
    li.querySelector(".place-none").hidden = p.themes.length > 0;
    const chosenTheme = p.themes.find((t) => t.id === chosen);
    showMessage(li.querySelector(".place-saved"), chosenTheme ? format(strings.place_saved, { theme: chosenTheme.name }) : "");
    li.classList.toggle("is-placed", Boolean(chosenTheme));
    if (busy.has(c.id)) parts.open.setAttribute("aria-disabled", "true");
    else parts.open.removeAttribute("aria-disabled");
    return li;
  }

  function render() {
    const placing = ctx.view() === "place" && Boolean(place());
    section.hidden = !placing;
    if (!placing) return;
    const items = mine();
    const ids = new Set(items.map((c) => c.id));
    for (const id of Array.from(nodes.keys())) if (!ids.has(id)) nodes.delete(id);
    const cards = items.map(card);
    // Re-attached only when the cards changed: moving a card out of the page would take the cursor out of its field.
    refill(list, cards);
    empty.hidden = items.length > 0;
  }

  return {
    render,
    /** The board changed on the host: take its themes when it is the board this phase sorts. */
    onBoard(board) {
      const p = place();
      if (!board || !p || board.agenda_item !== p.board_item) return;
      p.themes = board.themes || [];
      render();
    },
    /** The placements from session_state. */
    set(placements) {
      ctx.placements = { ...(placements || {}) };
    },
  };
}
