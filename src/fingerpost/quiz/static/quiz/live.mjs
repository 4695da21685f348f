// A player's phone in a live quiz, enhanced: the page works without this (it
// refreshes itself and answers by form). Poll the session's state with its
// ETag (a 304 while nothing changed), as often as the server's X-Poll-After
// says, each wait stretched or shortened a little at random so a room of
// phones drifts apart instead of asking in step. A change brings the
// payload to draw the screen from (the question and its choices; after the
// deadline the right answer; the room's scores), shared by the whole room;
// once the deadline has passed the phone asks for its own score and answer
// (mine/), once a question. Everything from the server is drawn as text (textContent), never
// as HTML. Answers are sent with fetch, with the page's answer token. A busy
// server (429 or 503, with Retry-After) or a lost signal makes the phone wait
// longer each time, up to half a minute. A countdown ticks between polls and
// asks at the deadline.
const live = document.querySelector("[data-quiz-live]");

if (live) {
  const { stateUrl, mineUrl, answerUrl, answerToken, title } = live.dataset;
  const pollMs = Number(live.dataset.pollMs) || 1000;
  const scored = ["answer", "leaderboard", "finished"];
  const mineScript = document.getElementById("quiz-mine");
  let mine = mineScript ? JSON.parse(mineScript.textContent) : {};
  let tag = live.dataset.tag;
  let busy = false;
  let sending = false; // an answer on its way
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

  // An element with attributes and children (strings become text nodes).
  const el = (name, attributes, ...children) => {
    const node = document.createElement(name);
    for (const [key, value] of Object.entries(attributes || {})) {
      if (key === "class") node.className = value;
      else node.setAttribute(key, value);
    }
    node.append(...children.filter((child) => child !== null && child !== undefined));
    return node;
  };
  const withBreaks = (text) => {
    const parts = [];
    String(text || "").split(/\r?\n/).forEach((line, n) => {
      if (n) parts.push(el("br"));
      parts.push(line);
    });
    return parts;
  };
  const place = (payload) => {
    const scores = payload.scores || [];
    const score = mine.score || 0;
    return { score, rank: 1 + scores.filter((s) => s > score).length, of: scores.length };
  };
  const leadersTable = (leaders, caption) => el(
    "table", { class: "govuk-table fp-quiz-leaders" },
    el("caption", { class: "govuk-table__caption govuk-table__caption--m" }, caption),
    el("thead", { class: "govuk-table__head" }, el("tr", { class: "govuk-table__row" },
      el("th", { scope: "col", class: "govuk-table__header" }, "Place"),
      el("th", { scope: "col", class: "govuk-table__header" }, "Player"),
      el("th", { scope: "col", class: "govuk-table__header govuk-table__header--numeric" }, "Points"))),
    el("tbody", { class: "govuk-table__body" }, ...(leaders.length ? leaders.map((leader, n) => el(
      "tr", { class: "govuk-table__row" },
      el("td", { class: "govuk-table__cell" }, String(n + 1)),
      el("td", { class: "govuk-table__cell" }, leader.name),
      el("td", { class: "govuk-table__cell govuk-table__cell--numeric" }, String(leader.score)),
    )) : [el("tr", { class: "govuk-table__row" },
      el("td", { class: "govuk-table__cell", colspan: "3" }, "Nobody has played yet."))])),
  );
  const sentPanel = () => el(
    "div", { class: "govuk-panel fp-quiz-panel" },
    el("h2", { class: "govuk-panel__title" }, "Answer sent"),
    el("div", { class: "govuk-panel__body" }, "Wait for the time to run out"),
  );
  const answerForm = (payload) => el(
    "form", { method: "post", action: answerUrl, class: "fp-quiz-answers", "data-quiz-answer": "" },
    el("input", { type: "hidden", name: "csrfmiddlewaretoken", value: answerToken }),
    el("input", { type: "hidden", name: "position", value: String(payload.position) }),
    ...payload.question.choices.map((choice, n) => el(
      "button", {
        type: "submit", name: "choice", value: String(choice.id),
        class: `govuk-button govuk-button--secondary fp-quiz-choice fp-quiz-choice--${n + 1}`,
        "data-module": "govuk-button",
      },
      el("span", { class: "fp-quiz-letter", "aria-hidden": "true" }, choice.letter), ` ${choice.text}`,
    )),
  );

  const screen = (payload) => {
    const nodes = [el("p", { class: "govuk-caption-m" }, `${title} · You are `, el("strong", {}, mine.name || ""),
      mine.hidden ? " (the organiser hid your nickname)" : null)];
    const heading = (text) => el("h1", { class: "govuk-heading-l" }, text);
    const numbered = () => el("span", { class: "govuk-caption-l" }, `Question ${payload.number} of ${payload.questions}`);
    const question = payload.question;
    const answered = mine.position === payload.position ? mine.answered : null;
    if (payload.phase === "lobby") {
      nodes.push(heading("You’re in!"),
        el("p", { class: "govuk-body" }, "Watch the big screen. The first question will appear here."));
    } else if (payload.phase === "question" && question) {
      nodes.push(numbered(), heading(question.text));
      if (mine.joined_late && mine.position === payload.position) {
        nodes.push(el("p", { class: "govuk-body" }, "You joined during this question. You can answer from the next one."));
      } else if (answered !== null && answered !== undefined) {
        nodes.push(sentPanel());
      } else {
        nodes.push(
          el("p", { class: "govuk-body", "data-countdown-ms": String(payload.remaining_ms) }, "Seconds left: ",
            el("span", { class: "fp-quiz-seconds" }, String(Math.round(payload.remaining_ms / 1000)))),
          answerForm(payload),
        );
      }
    } else if (payload.phase === "answer" && question) {
      const sent = answered !== null && answered !== undefined;
      nodes.push(numbered(), heading(mine.correct ? "Right!" : sent ? "Not this time" : "Time’s up"));
      if (sent) {
        nodes.push(el("p", { class: "govuk-body" }, "You scored ", el("strong", {}, String(mine.points || 0)), " points for this question."));
      }
      nodes.push(el("p", { class: "govuk-body" }, question.text));
      const right = el("p", { class: "govuk-body" }, "The right answer");
      question.choices.filter((c) => (question.right || []).includes(c.id)).forEach((c) => {
        right.append(": ", el("strong", {}, `${c.letter}. ${c.text}`));
      });
      const { score, rank, of } = place(payload);
      nodes.push(right, el("div", { class: "govuk-inset-text" }, ...withBreaks(question.explanation)),
        el("p", { class: "govuk-body" }, "Your score: ", el("strong", {}, String(score)), ` · place ${rank} of ${of}`));
    } else if (payload.phase === "leaderboard") {
      const { score, rank, of } = place(payload);
      nodes.push(heading("Leaderboard"),
        el("p", { class: "govuk-body-l" }, "You are in place ", el("strong", {}, String(rank)), ` of ${of}, with ${score} points.`),
        leadersTable(payload.leaders || [], "Top players"));
    } else {
      const { score, rank, of } = place(payload);
      nodes.push(heading("The quiz has finished"),
        el("p", { class: "govuk-body-l" }, "You came ", el("strong", {}, String(rank)), ` of ${of}, with ${score} points.`),
        leadersTable(payload.leaders || [], "The podium"),
        el("p", { class: "govuk-body" }, "Thank you for playing. Ask the organiser about assessing your own service against the Service Standard."));
    }
    return nodes;
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
      else schedule(Math.random() * 300); // time is up: ask for the answer (not all at once)
    };
    tick();
  };

  const draw = (payload) => {
    live.replaceChildren(...screen(payload));
    const heading = live.querySelector("h1");
    if (heading) announcer.textContent = heading.textContent.trim();
    document.querySelectorAll(".govuk-notification-banner").forEach((b) => b.remove());
    countdown();
  };

  // The player's own score and answer: only worth asking once the deadline has passed.
  const fetchMine = async () => {
    const response = await fetch(mineUrl, { headers: { Accept: "application/json" }, cache: "no-store" });
    if (!response.ok) throw response;
    return response.json();
  };

  const changed = async (payload) => {
    // Only the player's own answers change their score: asked once after the
    // deadline with no answer on its way, it stands until the next question.
    const settled = mine.closed && mine.position === payload.position;
    if (scored.includes(payload.phase) && !settled) {
      const wasSending = sending;
      mine = await fetchMine();
      if (wasSending || sending) mine.closed = false;
    } else if (payload.phase === "question" && payload.position !== mine.position) {
      mine = { ...mine, position: payload.position, answered: null, joined_late: false, closed: false };
    }
    tag = payload.tag;
    draw(payload);
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
        const payload = await response.json();
        if (payload.tag !== tag) await changed(payload);
      }
    } catch (error) {
      // Lost signal or a busy server: try again, less often each time; the
      // tag is unchanged, so the next poll brings the change again.
      after = backedOff(error instanceof Response ? error : null);
    } finally {
      busy = false;
      schedule(after);
    }
  };

  // One listener for the form the server drew and those drawn here.
  live.addEventListener("submit", async (event) => {
    const form = event.target.closest("form[data-quiz-answer]");
    if (!form) return;
    event.preventDefault();
    const data = new FormData(form);
    const choice = event.submitter ? event.submitter.value : "";
    data.set("choice", choice);
    data.set("csrfmiddlewaretoken", answerToken);
    form.querySelectorAll("button").forEach((b) => { b.disabled = true; });
    let response;
    sending = true;
    try {
      response = await fetch(answerUrl, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-Quiz-Fetch": "1" },
      });
    } catch (error) {
      sending = false;
      // No connection: let the browser try the ordinary way.
      form.append(el("input", { type: "hidden", name: "choice", value: choice }));
      form.submit();
      return;
    }
    sending = false;
    const countdownShown = live.querySelector("[data-countdown-ms]");
    if (response.ok) {
      mine = { ...mine, position: Number(data.get("position")), answered: Number(choice) };
      if (countdownShown) countdownShown.remove();
      form.replaceWith(sentPanel());
      announcer.textContent = "Answer sent";
      return;
    }
    const refusal = await response.json().catch(() => ({}));
    const reason = refusal.detail || "Your answer could not be sent";
    form.replaceWith(el("p", { class: "govuk-body" }, el("strong", {}, reason)));
    announcer.textContent = reason;
    schedule(200); // show the screen as it now is
  });

  countdown();
  // A random start, so a room of phones does not ask at the same instant.
  schedule(Math.random() * pollMs);
}
