// Drag and drop on a board, and the same with the keyboard. Both only fill
// in and send the card's own "Move" form, which works without JavaScript.
const board = document.querySelector("[data-board][data-editable]");
const announcer = document.querySelector("[data-board-announcer]");

function say(text) {
  if (announcer) {
    announcer.textContent = "";
    window.setTimeout(() => { announcer.textContent = text; }, 50);
  }
}

function lists() {
  return [...board.querySelectorAll("[data-list]")];
}

function cardsOf(list) {
  return [...list.querySelectorAll("[data-card]")];
}

function send(card, list, position) {
  const form = card.querySelector("[data-move-form]");
  form.querySelector("select").value = list.dataset.list;
  form.querySelector("input[type=number]").value = String(position);
  form.requestSubmit();
}

function positionAt(list, y, dragged) {
  const others = cardsOf(list).filter((c) => c !== dragged);
  const index = others.findIndex((c) => y < c.getBoundingClientRect().top + c.offsetHeight / 2);
  return index === -1 ? others.length + 1 : index + 1;
}

function enableDragging() {
  let dragged = null;
  for (const card of board.querySelectorAll("[data-card]")) {
    card.draggable = true;
    card.addEventListener("dragstart", (event) => {
      dragged = card;
      card.classList.add("fp-card--dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", card.dataset.card);
    });
    card.addEventListener("dragend", () => {
      card.classList.remove("fp-card--dragging");
      for (const list of lists()) list.classList.remove("fp-board__list--target");
    });
  }
  for (const list of lists()) {
    list.addEventListener("dragover", (event) => {
      if (!dragged) return;
      event.preventDefault();
      list.classList.add("fp-board__list--target");
    });
    list.addEventListener("dragleave", () => list.classList.remove("fp-board__list--target"));
    list.addEventListener("drop", (event) => {
      if (!dragged) return;
      event.preventDefault();
      send(dragged, list, positionAt(list, event.clientY, dragged));
    });
  }
}

function enableKeyboard() {
  let lifted = null;
  let target = null;

  function describe() {
    const position = cardsOf(target.list).filter((c) => c !== lifted).length;
    say(`${target.list.dataset.listName}, position ${target.position} of ${position + 1}.`);
  }

  function drop(commit) {
    const card = lifted;
    lifted.classList.remove("fp-card--lifted");
    lifted.querySelector("[data-pickup]").setAttribute("aria-pressed", "false");
    lifted = null;
    if (commit) {
      say("Moving the card.");
      send(card, target.list, target.position);
    } else {
      say("Move cancelled.");
    }
  }

  for (const card of board.querySelectorAll("[data-card]")) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "govuk-button govuk-button--secondary fp-small-button fp-card__pickup";
    button.dataset.pickup = "";
    button.setAttribute("aria-pressed", "false");
    const title = card.querySelector(".fp-card__title").textContent.trim();
    button.innerHTML = `Pick up<span class="govuk-visually-hidden"> “${title.replace(/[<>&"]/g, "")}”</span>`;
    card.appendChild(button);
    button.addEventListener("click", () => {
      if (lifted === card) {
        drop(true);
        return;
      }
      if (lifted) drop(false);
      lifted = card;
      const list = card.closest("[data-list]");
      target = { list, position: cardsOf(list).indexOf(card) + 1 };
      card.classList.add("fp-card--lifted");
      button.setAttribute("aria-pressed", "true");
      say(`Picked up “${title}”. Use the arrow keys to choose where it goes, Enter to put it down, Escape to cancel.`);
    });
    button.addEventListener("keydown", (event) => {
      if (lifted !== card) return;
      const all = lists();
      const index = all.indexOf(target.list);
      const count = cardsOf(target.list).filter((c) => c !== card).length + 1;
      if (event.key === "ArrowRight" && index < all.length - 1) {
        target = { list: all[index + 1], position: 1 };
      } else if (event.key === "ArrowLeft" && index > 0) {
        target = { list: all[index - 1], position: 1 };
      } else if (event.key === "ArrowDown" && target.position < count) {
        target.position += 1;
      } else if (event.key === "ArrowUp" && target.position > 1) {
        target.position -= 1;
      } else if (event.key === "Escape") {
        event.preventDefault();
        drop(false);
        return;
      } else {
        return;
      }
      event.preventDefault();
      for (const list of all) list.classList.toggle("fp-board__list--target", list === target.list);
      describe();
    });
  }
}

if (board) {
  const help = document.querySelector("[data-board-help]");
  if (help) help.hidden = false;
  enableDragging();
  enableKeyboard();
}
