// ccgw-sim console: renders the snapshots the simulator pushes over the WebSocket, and sends the buttons'
// control actions back over it. Plain JavaScript, no build step. Every value is written with textContent, never
// as HTML. The control token lives in this closure only: taken from the address's fragment (then removed from
// the address) or the sign-in form, sent in the WebSocket's first message, never logged nor put in a URL.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const state = {
    token: null, socket: null, facts: null, nextId: 1, pending: new Map(), retry: null,
    view: { type: "view", filter: "", scope: "signed-in", page: 0, size: 50, calls_page: 0 },
    last: null,
  };

  // -- the token: from the fragment (#token=...), which browsers never send to a server -----------------
  const fragment = new URLSearchParams(location.hash.slice(1));
  if (fragment.has("token")) {
    state.token = fragment.get("token");
    history.replaceState(null, "", location.pathname + location.search);
  }

  // -- small DOM helpers --------------------------------------------------------------------------------
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (key === "class") node.className = value;
      else if (key === "data") Object.assign(node.dataset, value);
      else if (key === "text") node.textContent = value;
      else if (key === "disabled") node.disabled = Boolean(value);
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value);
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined && child !== false) {
        node.append(child instanceof Node ? child : document.createTextNode(String(child)));
      }
    }
    return node;
  }
  const pill = (text, cls) => el("span", { class: `pill ${cls || ""}`, text });
  const time = (ms) => {
    const d = new Date(ms);
    return d.toLocaleTimeString([], { hour12: false }) + "." + String(d.getMilliseconds()).padStart(3, "0");
  };
  const slug = (text) => String(text).toLowerCase().replace(/[^a-z0-9]+/g, "-");
  const seconds = (value) => value < 60 ? `${value.toFixed(1)} s`
    : `${Math.floor(value / 60)} min ${String(Math.floor(value % 60)).padStart(2, "0")} s`;

  function toast(text, bad) {
    const node = el("div", { class: `toast ${bad ? "bad" : ""}`, text });
    $("toasts").append(node);
    setTimeout(() => node.remove(), bad ? 6000 : 3000);
  }

  // Rows keyed and kept while their data is unchanged, so a button under the pointer is not replaced by an update;
  // with ``highlight``, a row that changed or came lights up for a moment. ``sign`` gives what counts as a change
  // (a waiting time that grows each second does not); ``update`` then writes such values into a row kept or new.
  function keyedRows(tbody, items, key, build, { highlight = true, sign = JSON.stringify, update = null } = {}) {
    const old = new Map([...tbody.children].map((tr) => [tr.dataset.key, tr]));
    const rows = items.map((item) => {
      const signature = sign(item);
      const k = String(key(item));
      const kept = old.get(k);
      if (kept && kept.dataset.signature === signature) return kept;
      const tr = build(item);
      tr.dataset.key = k;
      tr.dataset.signature = signature;
      if (highlight && state.last) tr.classList.add("fresh");
      return tr;
    });
    if (update) rows.forEach((tr, index) => update(tr, items[index]));
    rows.forEach((tr, index) => {
      if (tbody.children[index] !== tr) tbody.insertBefore(tr, tbody.children[index] || null);
    });
    while (tbody.children.length > rows.length) tbody.lastChild.remove();
  }

  function pager(node, total, page, size, onPage) {
    const pages = Math.max(1, Math.ceil(total / size));
    node.replaceChildren(
      el("button", { type: "button", class: "quiet small", text: "‹", disabled: page <= 0,
        onclick: () => onPage(page - 1) }),
      `page ${Math.min(page + 1, pages)} of ${pages}`,
      el("button", { type: "button", class: "quiet small", text: "›", disabled: page >= pages - 1,
        onclick: () => onPage(page + 1) }));
  }

  // -- the connection -----------------------------------------------------------------------------------
  function setStatus(text, cls) {
    $("status").textContent = text;
    $("status").className = `status ${cls}`;
  }

  function connect() {
    clearTimeout(state.retry);
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const socket = new WebSocket(scheme + location.host + location.pathname + "ws");
    state.socket = socket;
    setStatus("connecting", "connecting");
    socket.onopen = () => {
      const hello = { type: "hello" };
      if (state.token) hello.token = state.token;
      socket.send(JSON.stringify(hello));
    };
    socket.onmessage = (message) => receive(JSON.parse(message.data));
    socket.onclose = (closing) => {
      if (state.socket !== socket) return;
      $("restart").disabled = true;
      if (closing.code === 4401) {
        showSignIn(state.token ? "That is not the simulator's control token." : "");
        state.token = null;
        return;
      }
      setStatus("disconnected, retrying", "closed");
      state.retry = setTimeout(connect, 1000);
    };
  }

  function send(message) {
    if (state.socket && state.socket.readyState === WebSocket.OPEN) state.socket.send(JSON.stringify(message));
  }

  function receive(message) {
    if (message.type === "welcome") {
      state.facts = message;
      $("signin").hidden = true;
      $("main").hidden = false;
      $("toolbar").hidden = false;
      $("restart").disabled = false;
      setStatus("live", "live");
      buildForms();
      send(state.view);
    } else if (message.type === "snapshot") {
      render(message.snapshot, message.at);
    } else if (message.type === "result") {
      const label = state.pending.get(message.id) || message.action;
      state.pending.delete(message.id);
      const ok = message.status < 400;
      toast(ok ? `${label}: done` : `${label}: ${message.reply && message.reply.error || "HTTP " + message.status}`,
        !ok);
    } else if (message.type === "refused") {
      $("signin-error").textContent = message.error;
    } else if (message.type === "error") {
      toast(message.error, true);
    }
  }

  function showSignIn(error) {
    $("main").hidden = true;
    $("toolbar").hidden = true;
    $("signin").hidden = false;
    $("signin-error").textContent = error || "";
    setStatus("needs the control token", "closed");
    $("token").focus();
  }

  function act(action, args, label) {
    const id = state.nextId++;
    state.pending.set(id, label);
    send({ type: "action", id, action, arguments: args });
  }

  function changeView(changes) {
    Object.assign(state.view, changes);
    send(state.view);
  }

  // -- forms built from what the simulator offers ----------------------------------------------------------
  function buildForms() {
    const facts = state.facts;
    $("fault-kind").replaceChildren(...Object.keys(facts.faultKinds).map((name) => el("option", { value: name,
      text: name })));
    $("interfaces").replaceChildren(...facts.interfaces.map((name) => el("option", { value: name })));
    $("far-end-behaviour").replaceChildren(...facts.behaviours.map((name) => el("option", { value: name,
      text: name })));
    describeFault();
  }

  function describeFault() {
    const kind = state.facts.faultKinds[$("fault-kind").value];
    if (!kind) return;
    const effect = [kind.request && `a request: ${kind.request}`, kind.push && `a push: ${kind.push}`]
      .filter(Boolean).join("; ").replace(/``/g, "");
    $("fault-help").textContent = effect + (kind.value ? `. Value: ${kind.value}.` : ". No value.");
    $("fault-value").disabled = !kind.value;
    $("fault-value").placeholder = kind.value ? "value" : "";
  }

  $("fault-kind").addEventListener("change", describeFault);
  $("fault-form").addEventListener("submit", (submit) => {
    submit.preventDefault();
    const name = $("fault-kind").value;
    const kind = state.facts.faultKinds[name];
    const args = { fault: name, interface: $("fault-interface").value.trim() || "*",
      agent: $("fault-agent").value.trim() || "*", count: Number($("fault-count").value || 1) };
    const value = $("fault-value").value.trim();
    if (kind.value && value !== "") args.value = kind.valueType === "number" ? Number(value) : value;
    act("add_fault", args, `Fault ${name} on ${args.interface}`);
  });
  $("clear-faults").addEventListener("click", () => act("clear_faults", {}, "Clear faults"));
  $("far-end-form").addEventListener("submit", (submit) => {
    submit.preventDefault();
    const number = $("far-end-number").value.trim();
    const behaviour = $("far-end-behaviour").value;
    act("far_end", { number, behaviour }, `Far end ${number}: ${behaviour}`);
  });
  $("restart").addEventListener("click", () => {
    act("restart", { downtime: Number($("downtime").value || 0) }, "Restart");
  });
  $("signin").addEventListener("submit", (submit) => {
    submit.preventDefault();
    state.token = $("token").value;
    $("token").value = "";
    connect();
  });
  let typing = null;
  $("filter").addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(() => changeView({ filter: $("filter").value.slice(0, 100), page: 0, calls_page: 0 }), 150);
  });
  $("scope").addEventListener("change", () => changeView({ scope: $("scope").value, page: 0 }));

  // -- rendering a snapshot -----------------------------------------------------------------------------
  function render(snap, at) {
    const sim = snap.simulator;
    setStatus(sim.serving ? "live" : "restarting", sim.serving ? "live" : "down");
    $("summary").textContent = `${sim.signedIn} of ${sim.rosterAgents} agents signed in · ${sim.requests} ` +
      `requests · events ${sim.events.queued} queued, ${sim.events.delivered} delivered` +
      (sim.events.lost ? `, ${sim.events.lost} lost` : "") + ` · restarts ${sim.restarts} · ${sim.authMode} Guid` +
      (sim.contractBreaches ? ` · ${sim.contractBreaches} CONTRACT BREACHES` : "");
    $("updated").textContent = `updated ${time(at)}`;
    $("states").replaceChildren(...Object.entries(sim.states).map(([name, count]) =>
      pill(`${name} ${count}`, `state-${slug(name)}`)));
    renderAgents(snap.agents);
    renderCalls(snap.calls);
    renderQueues(snap.queues);
    renderText(snap.textSessions);
    renderFaults(snap.faults);
    keyedRows($("far-ends").tBodies[0], snap.farEnds, (row) => row.number, (row) =>
      el("tr", {}, el("td", { class: "mono", text: row.number }), el("td", { text: row.behaviour })));
    keyedRows($("requests").tBodies[0], snap.requests, (row) => `${row.time}-${row.interface}-${row.agent}`,
      (row) => el("tr", {}, el("td", { text: time(row.time) }),
        el("td", { text: row.kind === "control" ? `control ${row.interface}` : row.interface }),
        el("td", { text: row.agent }),
        el("td", { class: okCode(row) ? "retcode-ok" : "retcode-bad", text: row.retcode }),
        el("td", { text: row.ms })), { highlight: false });
    keyedRows($("events").tBodies[0], snap.events, (row) => `${row.time}-${row.event}-${row.agent}`,
      (row) => el("tr", {}, el("td", { text: time(row.time) }), el("td", { text: row.event }),
        el("td", { text: row.agent }), el("td", { text: row.cause })), { highlight: false });
    state.last = snap;
  }

  const okCode = (row) => row.kind === "control" ? Number(row.retcode) < 400 : row.retcode === "0";

  function renderAgents(agents) {
    const scope = { "signed-in": "signed in", known: "seen this run", roster: "in the roster" }[agents.scope];
    $("agents-count").textContent = `${agents.total} ${scope}`;
    $("agents-empty").hidden = agents.rows.length > 0;
    pager($("agents-pager"), agents.total, agents.page, agents.size, (page) => changeView({ page }));
    keyedRows($("agents").tBodies[0], agents.rows, (row) => row.id, agentRow);
  }

  function agentRow(agent) {
    const inspection = [
      ...agent.inspecting.map((who) => pill(`${who.mode}s to ${who.agent}`, `role-${who.mode}`)),
      ...agent.inspectedBy.map((who) => pill(`${who.mode} by ${who.agent}`, `role-${who.mode}`)),
    ];
    if (agent.inspects.length) inspection.push(el("span", { class: "muted small", text: `inspects ${agent.inspects}` }));
    const ring = el("button", { type: "button", class: "small", text: "Ring", data: { action: "ring" },
      title: "A customer calls in to this agent (Simulate Inbound Call)",
      onclick: () => {
        const caller = $("caller").value.trim();
        act("offer_call", { caller, agent: agent.id }, `Ring ${agent.id} from ${caller}`);
      } });
    const expire = el("button", { type: "button", class: "small quiet", text: "Expire Guid",
      data: { action: "expire-guid" }, onclick: () => act("expire_guid", { agentid: agent.id },
        `Expire Guid of ${agent.id}`) });
    const fault = el("button", { type: "button", class: "small quiet", text: "Fault…",
      title: "Fill the fault form with this agent",
      onclick: () => { $("fault-agent").value = agent.id; $("fault-interface").focus(); } });
    if (!agent.signedIn) { ring.disabled = true; expire.disabled = true; }
    return el("tr", {},
      el("td", {}, el("strong", { text: agent.id }), " ", el("span", { class: "muted small", text: agent.group })),
      el("td", {}, pill(agent.stateName, `state-${slug(agent.stateName)}`),
        agent.mode ? el("span", { class: "muted small", text: ` ${agent.mode}` }) : null),
      el("td", { class: "mono", text: agent.phone }),
      el("td", {}, agent.skills.map((skill) => pill(skill.name, agent.signedIn && !skill.active ? "off" : ""))),
      el("td", {}, inspection),
      el("td", { class: "mono" }, agent.calls.map((call) =>
        pill(`${call.callid} ${call.state}${call.role !== "agent" ? " " + call.role : ""}${call.muted ? ", muted" : ""}`,
          `role-${call.role} ${call.state === "held" ? "held" : ""} ${call.muted ? "muted-leg" : ""}`))),
      el("td", { class: "actions" }, ring, expire, fault));
  }

  function renderCalls(calls) {
    $("calls-count").textContent = `${calls.total}`;
    $("calls-empty").hidden = calls.rows.length > 0;
    pager($("calls-pager"), calls.total, calls.page, calls.size, (page) => changeView({ calls_page: page }));
    keyedRows($("calls").tBodies[0], calls.rows, (row) => row.callid, (call) => {
      const legs = call.legs.map((leg) => {
        const who = leg.agent ? `agent ${leg.agent} (${leg.number})` : leg.number;
        const what = leg.party ? leg.role : `${leg.role}s to ${leg.inspects}`;
        const recording = { recording: ", recording", paused: ", recording paused" }[leg.recording] || "";
        const how = leg.queued ? `waiting in ${leg.queued}` : leg.state;
        return pill(`${who}: ${what}${leg.chair ? " (chair)" : ""}, ${how}${leg.muted ? ", muted" : ""}` +
          recording, `role-${leg.role} ${leg.held ? "held" : ""} ${leg.muted ? "muted-leg" : ""} ` +
          `${leg.recording ? `recording-${leg.recording}` : ""}`);
      });
      const conference = call.conference && pill(`conference ${call.conference.id}: ${call.conference.joined} of ` +
        `${call.conference.seats} seats, chair ${call.conference.chair}`, "conference");
      const hangUps = call.legs.filter((leg) => leg.customer).map((leg) =>
        el("button", { type: "button", class: "small", text: `Hang up ${leg.number}`, data: { action: "hang-up" },
          title: "This customer hangs up (Simulate Customer Hang Up)",
          onclick: () => act("hang_up", { callid: call.callid, number: leg.number },
            `Customer ${leg.number} hangs up`) }));
      return el("tr", {},
        el("td", { class: "mono" }, call.callid, conference ? el("br") : null, conference),
        el("td", { class: "mono", text: `${call.caller} → ${call.called}` }),
        el("td", {}, legs),
        el("td", { text: time(call.begin) }),
        el("td", { class: "actions" }, hangUps));
    });
  }

  // A skill queue's row is kept while only its waiting times grow; they are written into it at each snapshot.
  function renderQueues(queues) {
    $("queues-count").textContent = `${queues.length}`;
    keyedRows($("queues").tBodies[0], queues, (row) => row.skillId, queueRow, {
      sign: (row) => JSON.stringify({ ...row, longestWait: null, waiting: row.waiting.map((call) => call.callid) }),
      update: (tr, row) => {
        tr.querySelector(".longest").textContent = row.queueSize ? seconds(row.longestWait) : "";
        tr.querySelectorAll(".waited").forEach((node, index) => {
          node.textContent = seconds(row.waiting[index].waited);
        });
      } });
  }

  function queueRow(row) {
    const caller = () => $("caller").value.trim();
    const waiting = row.waiting.map((call) => el("div", { class: "waiting-call", data: { callid: call.callid } },
      pill(`${call.callid} from ${call.caller}`, "role-customer"), " ",
      el("span", { class: "waited muted small" }), " ",
      el("button", { type: "button", class: "small quiet", text: "Give up", data: { action: "give-up" },
        title: "This caller hangs up before an agent takes the call (Simulate Caller Gives Up)",
        onclick: () => act("give_up", { callid: call.callid }, `Caller ${call.caller} gives up`) })));
    const more = row.queueSize - row.waiting.length;
    return el("tr", {},
      el("td", {}, el("strong", { text: row.name }), " ", el("span", { class: "muted small",
        text: `skill ${row.skillId}${row.accessCode ? `, dial ${row.accessCode}` : ""}` })),
      el("td", {}, pill(`${row.queueSize}`, row.queueSize ? "queue-waiting" : "")),
      el("td", { class: "longest" }),
      el("td", { text: `${row.availAgents} free of ${row.loggedOnAgents}` }),
      el("td", { text: `${row.offered} · ${row.answered} · ${row.abandoned}` }),
      el("td", {}, waiting, more > 0 ? el("span", { class: "muted small", text: `and ${more} more` }) : null),
      el("td", { class: "actions" }, el("button", { type: "button", class: "small", text: "Ring queue",
        data: { action: "ring-queue" }, title: "A customer calls this queue (Simulate Inbound Call with skill)",
        onclick: () => act("queue_call", { caller: caller(), skill: row.skillId },
          `Ring queue ${row.name} from ${caller()}`) })));
  }

  function renderText(sessions) {
    $("text-count").textContent = sessions.total > sessions.rows.length
      ? `${sessions.rows.length} of ${sessions.total}` : `${sessions.total}`;
    $("text-empty").hidden = sessions.rows.length > 0;
    keyedRows($("text-sessions").tBodies[0], sessions.rows, (row) => row.callid, (row) => el("tr", {},
      el("td", { class: "mono", text: row.callid }), el("td", { class: "mono", text: row.customer }),
      el("td", { text: row.agent }),
      el("td", {}, pill(row.connected ? "answered" : "offered", row.connected ? "state-talking" : "state-rest")),
      el("td", { text: `${row.fromCustomer} from the customer, ${row.fromAgents} from agents` +
        (row.unread ? ` (${row.unread} before the answer)` : "") })));
  }

  function renderFaults(faults) {
    $("faults-count").textContent = `${faults.length}`;
    keyedRows($("faults").tBodies[0], faults, (row) => JSON.stringify([row.fault, row.interface, row.agent,
      row.value]), (row) => el("tr", {}, el("td", { text: row.fault }), el("td", { class: "mono", text: row.interface }),
      el("td", { text: row.agent }), el("td", { text: row.value ?? "" }), el("td", { text: row.count })));
  }

  connect();
})();
