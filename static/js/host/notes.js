// The facilitator's own notes per agenda item on the regie, saved as they type (POST …/agenda/<item>/notities).
// They go to no Socket.IO room: only this page, and the next host_state, ever hold them.
export function createNotes({ sessionId, strings }) {
  const field = document.getElementById("item-notes");
  const status = document.getElementById("notes-status");
  let item = null; // {id, notes} of the current agenda item
  let timer = null;
  let saving = Promise.resolve();
  const saved = new Map(); // item id -> notes saved from this page (newer than the agenda this page got)

  function save() {
    clearTimeout(timer);
    timer = null;
    if (!item || field.value === item.notes) return saving;
    const target = item;
    const text = field.value;
    saving = saving.then(async () => {
      const response = await fetch(`/host/s/${sessionId}/agenda/${target.id}/notities`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ notes: text }),
        cache: "no-store",
      }).catch(() => null);
      if (response && response.ok) {
        target.notes = (await response.json()).notes;
        saved.set(target.id, target.notes);
        status.textContent = strings.notes_saved;
      } else {
        status.textContent = strings.notes_failed;
      }
    });
    return saving;
  }

  field.addEventListener("input", () => {
    status.textContent = "";
    clearTimeout(timer);
    timer = setTimeout(save, 700);
  });
  field.addEventListener("blur", save);

  return {
    /** Show the notes of the current agenda item (an entry of the host state's agenda). */
    show(entry) {
      if (entry && item && entry.id === item.id) return;
      if (timer) save(); // the item changed while typing: keep what was typed for the one it was typed for
      item = entry ? { id: entry.id, notes: saved.get(entry.id) ?? entry.notes ?? "" } : null;
      field.value = item ? item.notes : "";
      field.disabled = !item;
      status.textContent = "";
    },
  };
}
