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

  function toast(text, bad) {
    const node = el("div", { class: `toast ${bad ? "bad" : ""}`, text });
    $("toasts").append(node);
    setTimeout(() => node.remove(), bad ? 6000 : 3000);
  }

  // Rows keyed and kept while their data is unchanged, so a button under the pointer is not replaced by an update;
  // with ``highlight``, a row that changed or came lights up for a moment.
  function keyedRows(tbody, items, key, build, highlight = true) {
    const old = new Map([...tbody.children].map((tr) => [tr.dataset.key, tr]));
    const rows = items.map((item) => {
      const signature = JSON.stringify(item);
      const k = String(key(item));
      const kept = old.get(k);
      if (kept && kept.dataset.signature === signature) return kept;
      const tr = build(item);
      tr.dataset.key = k;
      tr.dataset.signature = signature;
      if (highlight && state.last) tr.classList.add("fresh");
      return tr;
    });
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
    renderFaults(snap.faults);
    keyedRows($("far-ends").tBodies[0], snap.farEnds, (row) => row.number, (row) =>
      el("tr", {}, el("td", { class: "mono", text: row.number }), el("td", { text: row.behaviour })));
    keyedRows($("requests").tBodies[0], snap.requests, (row) => `${row.time}-${row.interface}-${row.agent}`,
      (row) => el("tr", {}, el("td", { text: time(row.time) }),
        el("td", { text: row.kind === "control" ? `control ${row.interface}` : row.interface }),
        el("td", { text: row.agent }),
        el("td", { class: okCode(row) ? "retcode-ok" : "retcode-bad", text: row.retcode }),
        el("td", { text: row.ms })), false);
    keyedRows($("events").tBodies[0], snap.events, (row) => `${row.time}-${row.event}-${row.agent}`,
      (row) => el("tr", {}, el("td", { text: time(row.time) }), el("td", { text: row.event }),
        el("td", { text: row.agent }), el("td", { text: row.cause })), false);
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
        return pill(`${who}: ${what}, ${leg.state}${leg.muted ? ", muted" : ""}`,
          `role-${leg.role} ${leg.held ? "held" : ""} ${leg.muted ? "muted-leg" : ""}`);
      });
      const hangUps = call.legs.filter((leg) => leg.customer).map((leg) =>
        el("button", { type: "button", class: "small", text: `Hang up ${leg.number}`, data: { action: "hang-up" },
          title: "This customer hangs up (Simulate Customer Hang Up)",
          onclick: () => act("hang_up", { callid: call.callid, number: leg.number },
            `Customer ${leg.number} hangs up`) }));
      return el("tr", {},
        el("td", { class: "mono", text: call.callid }),
        el("td", { class: "mono", text: `${call.caller} → ${call.called}` }),
        el("td", {}, legs),
        el("td", { text: time(call.begin) }),
        el("td", { class: "actions" }, hangUps));
    });
  }

  function queueAction() {
    // A queue's Ring button drives the control action that takes a caller and a skill, when there is one.
    const actions = state.facts ? state.facts.actions : {};
    return Object.keys(actions).find((name) => {
      const fields = actions[name].fields.map((field) => field.name);
      return fields.includes("caller") && fields.includes("skill");
    });
  }

  function renderQueues(queues) {
    $("queues-section").hidden = !queues;
    if (!queues) return;
    $("queues-count").textContent = `${queues.length}`;
    const columns = [...new Set(queues.flatMap((row) => Object.keys(row)))];
    const ring = queueAction();
    const head = $("queues").tHead.rows[0];
    head.replaceChildren(...columns.map((name) => el("th", { text: name })), ring ? el("th", { text: "Actions" }) : null);
    keyedRows($("queues").tBodies[0], queues, (row) => row.id ?? JSON.stringify(row), (row) =>
      el("tr", {}, columns.map((name) => el("td", { text: row[name] ?? "" })),
        ring ? el("td", { class: "actions" }, el("button", { type: "button", class: "small", text: "Ring queue",
          data: { action: "ring-queue" }, onclick: () => {
            const caller = $("caller").value.trim();
            act(ring, { caller, skill: row.id }, `Ring queue ${row.id} from ${caller}`);
          } })) : null));
  }

  function renderFaults(faults) {
    $("faults-count").textContent = `${faults.length}`;
    keyedRows($("faults").tBodies[0], faults, (row) => JSON.stringify([row.fault, row.interface, row.agent,
      row.value]), (row) => el("tr", {}, el("td", { text: row.fault }), el("td", { class: "mono", text: row.interface }),
      el("td", { text: row.agent }), el("td", { text: row.value ?? "" }), el("td", { text: row.count })));
  }

  connect();
})();
