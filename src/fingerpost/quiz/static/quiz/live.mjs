// The live quiz, enhanced: the page works without this (it refreshes itself).
// Poll the session's state with its ETag (a 304 while nothing changed); when
// it changes, fetch this page again and swap the live part in place. Answers
// are sent without leaving the page. A countdown ticks between polls.
const live = document.querySelector("[data-quiz-live]");

if (live) {
  const stateUrl = live.dataset.stateUrl;
  const pollMs = Number(live.dataset.pollMs) || 1000;
  let tag = live.dataset.tag;
  let busy = false;
  let announcer = document.createElement("div");
  announcer.className = "govuk-visually-hidden";
  announcer.setAttribute("aria-live", "polite");
  document.body.appendChild(announcer);

  const swap = (html) => {
    const next = new DOMParser().parseFromString(html, "text/html").querySelector("[data-quiz-live]");
    if (!next) return;
    live.innerHTML = next.innerHTML;
    tag = next.dataset.tag;
    const heading = live.querySelector("h1");
    if (heading) announcer.textContent = heading.textContent.trim();
    document.querySelectorAll(".govuk-notification-banner").forEach((b) => b.remove());
    wire();
  };

  const refresh = async () => {
    const response = await fetch(window.location.href, { headers: { Accept: "text/html" }, cache: "no-store" });
    if (response.ok) swap(await response.text());
  };

  const poll = async () => {
    if (busy) return;
    busy = true;
    try {
      const response = await fetch(stateUrl, { headers: { "If-None-Match": `"${tag}"` }, cache: "no-cache" });
      if (response.status === 200) {
        const state = await response.json();
        if (state.tag !== tag) await refresh();
      }
    } catch (error) {
      // Lost signal: try again at the next tick; the player keeps their place.
    } finally {
      busy = false;
    }
  };

  const wire = () => {
    const form = live.querySelector("form[data-quiz-answer]");
    if (form) {
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const data = new FormData(form);
        if (event.submitter) data.append(event.submitter.name, event.submitter.value);
        form.querySelectorAll("button").forEach((b) => { b.disabled = true; });
        try {
          const response = await fetch(form.action, {
            method: "POST", body: data, credentials: "same-origin", headers: { Accept: "application/json" },
          });
          if (!response.ok) {
            const refusal = await response.json().catch(() => ({}));
            if (refusal.detail) announcer.textContent = refusal.detail;
          }
          await refresh();
        } catch (error) {
          form.submit(); // no connection: let the browser try the ordinary way
        }
      });
    }
    const countdown = live.querySelector("[data-countdown-ms]");
    if (countdown) {
      const ends = Date.now() + Number(countdown.dataset.countdownMs);
      const seconds = countdown.querySelector(".fp-quiz-seconds");
      const tick = () => {
        const left = Math.max(0, Math.ceil((ends - Date.now()) / 1000));
        if (seconds) seconds.textContent = String(left);
        if (left > 0 && countdown.isConnected) window.setTimeout(tick, 250);
        else if (countdown.isConnected) poll();
      };
      tick();
    }
  };

  wire();
  // A little jitter so a room of phones does not ask at the same instant.
  window.setTimeout(() => window.setInterval(poll, pollMs), Math.random() * pollMs);
}
