// A ranking on the phone: the options of a tag group in an ordered list, each moved a place up or down with its
// own buttons (keyboard and screen reader friendly, no dragging); the new place is said in a polite live region.
import { format, setChildren } from "../realtime.js";
import { $, el } from "../dom.js";

export function createRanking(ctx) {
  const strings = ctx.strings;
  const field = $("ranking-field");
  const list = $("ranking-list");
  const status = $("ranking-status");
  let options = []; // [{id, label}] in the phone's order
  let signature = "";

  function move(index, by) {
    const to = index + by;
    if (to < 0 || to >= options.length) return; // aria-disabled: the button keeps the focus, nothing moves
    const [option] = options.splice(index, 1);
    options.splice(to, 0, option);
    draw();
    // The focus follows the option to its new place, on the same button while it can still move that way.
    const row = list.children[to];
    const canGoOn = by < 0 ? to > 0 : to < options.length - 1;
    const same = by < 0 ? ".rank-up" : ".rank-down";
    const other = by < 0 ? ".rank-down" : ".rank-up";
    const again = row && row.querySelector(canGoOn ? same : other);
    if (again) again.focus();
    status.textContent = format(strings.ranked_at, { option: option.label, place: to + 1, count: options.length });
  }

  function button(kind, index, option) {
    const up = kind === "up";
    const edge = up ? index === 0 : index === options.length - 1;
    return el("button", {
      type: "button",
      className: `button small-button rank-${kind}`,
      text: up ? strings.move_up : strings.move_down,
      attrs: {
        "aria-label": format(up ? strings.move_up_label : strings.move_down_label, { option: option.label }),
        ...(edge ? { "aria-disabled": "true" } : {}),
      },
      on: { click: () => move(index, up ? -1 : 1) },
    });
  }

  function draw() {
    setChildren(
      list,
      options.map((option, index) =>
        el("li", { className: "rank-item", attrs: { "data-option": option.id } }, [
          el("span", { className: "rank-place", text: `${index + 1}.`, attrs: { "aria-hidden": "true" } }),
          el("span", { className: "rank-label", text: option.label }),
          el("span", { className: "rank-buttons" }, [button("up", index, option), button("down", index, option)]),
        ]),
      ),
    );
  }

  return {
    /** Show the options of the kind's ranked group (kept in the phone's order while the question stays). */
    show(kind) {
      const group = kind && kind.answer === "ranking" && ctx.step
        ? (ctx.step.tag_groups || []).find((g) => g.id === kind.ranks) : null;
      field.hidden = !group;
      if (!group) return;
      const sig = JSON.stringify([ctx.step.agenda_item, kind.id, group.options.map((o) => [o.id, o.label])]);
      if (sig === signature) return;
      signature = sig;
      options = group.options.map((o) => ({ id: o.id, label: o.label }));
      status.textContent = "";
      draw();
    },
    /** The option ids, first place first. */
    order() {
      return options.map((o) => o.id);
    },
    /** Start again from the werkvorm's order (after sending). */
    reset() {
      signature = "";
    },
  };
}
