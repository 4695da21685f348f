// The presenter's screen, enhanced: the page works without this (it
// refreshes itself). Poll the screen's state with its ETag (a 304 while
// nothing changed: it also changes as players join and answer); when it
// changes, fetch the page again and move its live part in place (nodes of
// a parsed document, not HTML strings). One screen per room, so the full
// page is cheap enough. A countdown ticks between polls and asks at the
// deadline. A busy server or a lost signal makes it wait longer each time.
const live = document.querySelector("[data-quiz-present]");

if (live) {
  const stateUrl = live.dataset.stateUrl;
  const pollMs = Number(live.dataset.pollMs) || 1000;
  let tag = live.dataset.tag;
  let busy = false;
  let timer = 0;
  let failures = 0;
  const backedOff = (response) => {
    failures += 1;
    const told = Number(response && response.headers.get("Retry-After")) * 1000;
    return Math.max(told || 0, Math.min(30000, pollMs * 2 ** failures));
  };

  const schedule = (ms) => {
    window.clearTimeout(timer);
    timer = window.setTimeout(poll, ms);
  };

  const countdown = () => {
    const shown = live.querySelector("[data-countdown-ms]");
    if (!shown) return;
    const ends = Date.now() + Number(shown.dataset.countdownMs);
    const seconds = shown.querySelector(".fp-quiz-seconds");
    const tick = () => {
      if (!shown.isConnected) return;
      const left = Math.max(0, Math.ceil((ends - Date.now()) / 1000));
      if (seconds) seconds.textContent = String(left);
      if (left > 0) window.setTimeout(tick, 250);
      else schedule(100); // time is up: ask for the answer
    };
    tick();
  };

  const refresh = async () => {
    const response = await fetch(window.location.href, { headers: { Accept: "text/html" }, cache: "no-store" });
    if (!response.ok) return;
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const next = page.querySelector("[data-quiz-present]");
    if (!next) return;
    live.replaceChildren(...Array.from(next.childNodes)); // copied first: moving empties the list
    tag = next.dataset.tag;
    document.querySelectorAll(".govuk-notification-banner").forEach((b) => b.remove());
    countdown();
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
      }
      if (response.status === 200) {
        const state = await response.json();
        if (state.tag !== tag) await refresh();
      }
    } catch (error) {
      after = backedOff(null);
    } finally {
      busy = false;
      schedule(after);
    }
  };

  countdown();
  schedule(pollMs);
}
