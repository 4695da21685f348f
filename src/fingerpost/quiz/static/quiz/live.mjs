// The live quiz, enhanced: the page works without this (it refreshes itself).
// Poll the session's state with its ETag (a 304 while nothing changed), as
// often as the server's X-Poll-After says, each wait stretched or shortened
// a little at random so a room of phones drifts apart instead of asking in
// step; when the state changes, fetch the live part of the page again and
// swap it in place. A busy server (429 or 503, with Retry-After) or a lost
// signal makes the phone wait longer each time, up to half a minute. Answers
// are sent without leaving the page. A countdown ticks between polls and
// asks at the deadline.
const live = document.querySelector("[data-quiz-live]");

if (live) {
  const stateUrl = live.dataset.stateUrl;
  const partUrl = live.dataset.partUrl || window.location.href;
  const pollMs = Number(live.dataset.pollMs) || 1000;
  let tag = live.dataset.tag;
  let busy = false;
  let timer = 0;
  let failures = 0;
  const jittered = (ms) => ms * (0.8 + 0.4 * Math.random());
  const backedOff = (response) => {
    failures += 1;
    const told = Number(response && response.headers.get("Retry-After")) * 1000;
    return Math.max(told || 0, Math.min(30000, pollMs * 2 ** failures));
  };
  const announcer = document.createElement("div");
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
    const response = await fetch(partUrl, { headers: { Accept: "text/html" }, cache: "no-store" });
    if (response.ok) swap(await response.text());
  };

  const schedule = (ms) => {
    window.clearTimeout(timer);
    timer = window.setTimeout(poll, ms);
  };

  const poll = async () => {
    if (busy) return;
    busy = true;
    let after = pollMs;
    try {
      const response = await fetch(stateUrl, { headers: { "If-None-Match": `"${tag}"` }, cache: "no-cache" });
      if (response.status === 429 || response.status >= 500) {
        after = backedOff(response);
      } else {
        failures = 0;
        after = jittered(Number(response.headers.get("X-Poll-After")) || pollMs);
      }
      if (response.status === 200) {
        const state = await response.json();
        if (state.tag !== tag) await refresh();
      }
    } catch (error) {
      // Lost signal: try again, less often each time; the player keeps their place.
      after = backedOff(null);
    } finally {
      busy = false;
      schedule(after);
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
            method: "POST",
            body: data,
            credentials: "same-origin",
            headers: { Accept: "application/json", "X-Quiz-Fetch": "1" },
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
        if (!countdown.isConnected) return;
        const left = Math.max(0, Math.ceil((ends - Date.now()) / 1000));
        if (seconds) seconds.textContent = String(left);
        if (left > 0) window.setTimeout(tick, 250);
        else schedule(Math.random() * 300); // time is up: ask for the answer (not all at once)
      };
      tick();
    }
  };

  wire();
  // A random start, so a room of phones does not ask at the same instant.
  schedule(Math.random() * pollMs);
}
