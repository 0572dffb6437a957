// Vigil GUI: one page over /api/v1. State comes from GET /api/v1/cluster, then live from the
// server-sent events of /api/v1/stream. Server data is only ever put in the page as text.
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const ROLES = ['guest', 'operator', 'administrator'];
  let session = null;   // {user, role, server, cluster, csrfToken}
  let view = null;      // the last cluster view
  let stream = null;
  const notes = [];     // the GUI's own messages (action outcomes), newest last
  let events = [];

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') e.className = v;
      else if (k.startsWith('data-')) e.setAttribute(k, v);
      else if (k === 'title') e.title = v;
      else e[k] = v;
    }
    for (const c of children) if (c !== null && c !== undefined) e.append(c);
    return e;
  }

  function allows(role) {
    return session && ROLES.indexOf(session.role) >= ROLES.indexOf(role);
  }

  async function api(method, path, body) {
    const headers = {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && session) headers['X-Vigil-CSRF'] = session.csrfToken;
    const r = await fetch('/api/v1' + path, { method, headers, credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body) });
    let json = null;
    try { json = await r.json(); } catch (e) { json = { error: 'HTTP ' + r.status }; }
    if (r.status === 401 && path !== '/login' && path !== '/session') showLogin('Your session ended: log in again.');
    return { status: r.status, json };
  }

  // ---- login ----------------------------------------------------------------------------------
  function showLogin(message) {
    session = null;
    if (stream) { stream.close(); stream = null; }
    $('main').hidden = true;
    $('menu').hidden = true;
    $('login-error').textContent = message || '';
    if (!$('login-server').value) $('login-server').value = location.hostname;
    if (!$('dlg-login').open) $('dlg-login').showModal();
    $('login-user').focus();
  }

  $('login-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    $('login-ok').disabled = true;
    $('login-error').textContent = '';
    const server = $('login-server').value.trim();
    const body = { user: $('login-user').value, password: $('login-password').value };
    if (server && server !== location.hostname && !(view && server === view.local)) body.server = server;
    const r = await api('POST', '/login', body);
    $('login-ok').disabled = false;
    $('login-password').value = '';
    if (r.status === 200) {
      $('dlg-login').close();
      start(r.json);
    } else if (r.status === 409 && r.json.redirect) {
      location.href = r.json.redirect;
    } else {
      $('login-error').textContent = r.json.error;
    }
  });

  $('btn-logout').addEventListener('click', async () => {
    await api('POST', '/logout', {});
    showLogin('Logged out.');
  });

  function start(s) {
    session = s;
    $('who').textContent = s.user + ' (' + s.role + ') on ' + s.server;
    $('cluster-name').textContent = '— cluster ' + s.cluster;
    $('login-server').value = s.server;
    $('menu').hidden = false;
    $('main').hidden = false;
    api('GET', '/cluster').then((r) => { if (r.status === 200) render(r.json); else unavailable(r.json.error); });
    api('GET', '/events').then((r) => { if (r.status === 200) { events = r.json; renderMessages(); } });
    connect();
  }

  function connect() {
    if (stream) stream.close();
    stream = new EventSource('/api/v1/stream');
    stream.addEventListener('cluster', (e) => {
      const data = JSON.parse(e.data);
      if (data.unavailable) unavailable(data.unavailable); else render(data);
    });
    stream.addEventListener('events', (e) => { events = JSON.parse(e.data); renderMessages(); });
    stream.onopen = () => $('live').classList.remove('off');
    stream.onerror = () => {
      $('live').classList.add('off');
      api('GET', '/session');   // a 401 here shows the login dialog
    };
  }

  function unavailable(message) {
    $('banner').textContent = message;
    $('banner').hidden = false;
  }

  // ---- status table ---------------------------------------------------------------------------
  function stateCell(state) {
    if (!state) return el('td', { class: 'na', title: 'this hierarchy has no priority on this server' }, '—');
    return el('td', { 'data-state': state.code },
      el('span', { class: 'st st-' + state.code, title: state.code + ': ' + state.description + (state.reason ? '\n' + state.reason : '') },
        el('i', { class: 'ic' }), state.word));
  }

  function render(v) {
    view = v;
    $('banner').hidden = true;
    const inMaintenance = v.hierarchies.filter((h) => h.maintenance).map((h) => h.tag);
    $('maint-banner').textContent = inMaintenance.length === 0 ? ''
      : '⚠ Maintenance mode: ' + inMaintenance.join(', ') + ' — checks, local recovery and failover are suspended, '
        + 'cluster-wide: Vigil does not protect ' + (inMaintenance.length === 1 ? 'this hierarchy' : 'these hierarchies')
        + ' until maintenance mode is turned off.';
    $('maint-banner').hidden = inMaintenance.length === 0;
    const table = $('status');
    const head = el('tr', {}, el('th', {}, 'Hierarchy / resource'), el('th', {}, 'Owner'));
    for (const s of v.servers) {
      head.append(el('th', { class: 'server', 'data-server': s.name, title: (s.warning || s.health) + '\nclick for Properties' },
        el('span', { class: 'srv srv-' + s.health }, el('i', { class: 'ic' }), s.name, el('small', {}, s.health))));
    }
    head.append(el('th', {}, 'Actions'));
    const thead = el('thead', {}, head);
    const tbody = el('tbody');
    for (const h of v.hierarchies) {
      h.resources.forEach((r, i) => {
        const tree = r.depth === 0 ? '' : '   '.repeat(r.depth - 1) + '└─ ';
        const row = el('tr', { class: (i === 0 ? 'root' : 'child') + (h.maintenance ? ' maint' : ''), 'data-hierarchy': h.tag,
          'data-resource': r.tag, 'data-maintenance': String(h.maintenance) },
          el('td', { class: 'tag', title: r.type + ' (' + r.app + '): ' + r.info + (r.lastError ? '\nlast error: ' + r.lastError : '') },
            el('span', { class: 'tree' }, tree), r.tag,
            i === 0 && h.maintenance ? el('span', { class: 'maint-badge', title: 'maintenance mode, cluster-wide: '
              + 'not checked, no local recovery, no failover' }, 'Maintenance') : null),
          el('td', { class: 'owner' }, i === 0 ? (h.owner || 'none') : ''));
        for (const s of v.servers) row.append(stateCell(r.states[s.name]));
        const actions = el('td');
        if (i === 0) {
          const can = allows('operator');
          const why = can ? '' : 'operators and administrators only';
          actions.append(
            el('button', { type: 'button', class: 'small', 'data-action': 'in-service', disabled: !can, title: why,
              onclick: () => openAction(h, 'in-service') }, 'In Service…'), ' ',
            el('button', { type: 'button', class: 'small', 'data-action': 'out-of-service', disabled: !can || !h.owner, title: why,
              onclick: () => openAction(h, 'out-of-service') }, 'Out of Service…'), ' ',
            el('button', { type: 'button', class: 'small', 'data-action': 'maintenance', disabled: !can, title: why,
              onclick: () => openMaintenance(h) }, h.maintenance ? 'Maintenance off…' : 'Maintenance on…'));
        }
        row.append(actions);
        tbody.append(row);
      });
    }
    if (v.hierarchies.length === 0) {
      tbody.append(el('tr', {}, el('td', { colSpan: v.servers.length + 3 }, 'No hierarchies are configured.')));
    }
    table.replaceChildren(thead, tbody);
    for (const th of table.querySelectorAll('th.server')) th.addEventListener('click', () => openProps(th.dataset.server));
  }

  // ---- messages -------------------------------------------------------------------------------
  function note(text, kind) {
    notes.push({ time: new Date().toTimeString().slice(0, 8), text, kind });
    renderMessages();
  }

  function renderMessages() {
    const list = $('messages');
    const items = [];
    for (const n of notes.slice(-20).reverse()) items.push(el('li', { class: 'gui ' + (n.kind || '') }, n.time + '  ' + n.text));
    for (const e of events.slice(-100).reverse()) items.push(el('li', { class: e.level }, e.time + ' ' + e.server + ' ' + e.text));
    list.replaceChildren(...items);
  }

  // ---- in / out of service --------------------------------------------------------------------
  let pending = null;
  function openAction(h, verb) {
    pending = { tag: h.tag, verb };
    const inService = verb === 'in-service';
    $('action-title').textContent = (inService ? 'In Service: ' : 'Out of Service: ') + h.tag;
    $('action-text').textContent = inService
      ? (h.owner ? 'The hierarchy is in service on ' + h.owner + '. Choose the server to switch it over to.' : 'Choose the server to bring the hierarchy in service on.')
      : 'Choose the server to take the hierarchy out of service on.';
    const select = $('action-server');
    select.replaceChildren();
    for (const s of view.servers) {
      const st = h.states[s.name];
      if (!st) continue;
      const running = st.code === 'ISP' || st.code === 'ISU';
      if (inService ? running : !running) continue;
      select.append(el('option', { value: s.name, disabled: s.state === 'DEAD' }, s.name + ' (' + st.word + (s.state === 'DEAD' ? ', server Dead' : '') + ')'));
    }
    $('action-progress').textContent = select.options.length ? '' : 'No server can take this action now.';
    $('action-progress').className = 'progress';
    $('action-ok').disabled = select.options.length === 0;
    $('dlg-action').showModal();
  }

  $('action-cancel').addEventListener('click', () => $('dlg-action').close());
  $('action-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const server = $('action-server').value;
    const { tag, verb } = pending;
    const words = verb === 'in-service' ? 'in service on ' : 'out of service on ';
    $('action-ok').disabled = true;
    $('action-progress').className = 'progress';
    $('action-progress').textContent = 'Bringing "' + tag + '" ' + words + server + '… (the table shows each step)';
    note('"' + tag + '" ' + words + server + ' requested by ' + session.user, '');
    const r = await api('POST', '/hierarchies/' + encodeURIComponent(tag) + '/' + verb, { server });
    $('action-ok').disabled = false;
    const ok = r.status === 200 && r.json.succeeded;
    const message = r.status === 200 ? r.json.message : r.json.error;
    $('action-progress').className = 'progress ' + (ok ? 'ok' : 'fail');
    $('action-progress').textContent = message;
    note(message, ok ? 'ok' : 'fail');
    if (ok) setTimeout(() => { if ($('dlg-action').open) $('dlg-action').close(); }, 1200);
  });

  // ---- maintenance mode -----------------------------------------------------------------------
  let pendingMaintenance = null;
  function openMaintenance(h) {
    const on = !h.maintenance;
    pendingMaintenance = { tag: h.tag, on };
    $('maint-title').textContent = (on ? 'Maintenance on: ' : 'Maintenance off: ') + h.tag;
    $('maint-text').textContent = on
      ? 'On every server, Vigil stops checking this hierarchy: no local recovery, no failover, until maintenance mode '
        + 'is turned off. Its resources are left exactly as they are, running or not. Turn it on?'
      : 'Vigil checks every resource of this hierarchy again at once and protects it as before (a healthy resource is '
        + 'not touched). Turn maintenance mode off?';
    $('maint-progress').textContent = '';
    $('maint-progress').className = 'progress';
    $('maint-ok').disabled = false;
    $('dlg-maint').showModal();
  }

  $('maint-cancel').addEventListener('click', () => $('dlg-maint').close());
  $('maint-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const { tag, on } = pendingMaintenance;
    $('maint-ok').disabled = true;
    $('maint-progress').className = 'progress';
    $('maint-progress').textContent = 'Maintenance ' + (on ? 'on' : 'off') + ' for "' + tag + '"…';
    note('maintenance ' + (on ? 'on' : 'off') + ' for "' + tag + '" requested by ' + session.user, '');
    const r = await api('POST', '/hierarchies/' + encodeURIComponent(tag) + '/maintenance', { maintenance: on ? 'on' : 'off' });
    $('maint-ok').disabled = false;
    const ok = r.status === 200;
    const message = ok ? r.json.message : r.json.error;
    $('maint-progress').className = 'progress ' + (ok ? 'ok' : 'fail');
    $('maint-progress').textContent = message;
    note(message, ok ? 'ok' : 'fail');
    if (ok) setTimeout(() => { if ($('dlg-maint').open) $('dlg-maint').close(); }, 1200);
  });

  // ---- properties -----------------------------------------------------------------------------
  let propsServer = null;
  function openProps(name) {
    propsServer = name;
    const s = view.servers.find((x) => x.name === name);
    $('props-title').textContent = 'Server Properties: ' + name;
    $('props-name').textContent = name;
    $('props-state').replaceChildren(el('span', { class: 'srv srv-' + s.health }, el('i', { class: 'ic' }), s.health,
      s.warning ? el('small', {}, ' — ' + s.warning) : null));
    $('props-address').textContent = s.address;
    $('props-strategy').value = s.shutdownStrategy === 'SWITCHOVER' ? 'switchover' : 'do-not-switchover';
    const admin = allows('administrator');
    $('props-strategy').disabled = !admin || s.state === 'DEAD';
    $('props-apply').disabled = !admin || s.state === 'DEAD';
    $('props-note').textContent = admin ? 'What an orderly stop of Vigil on this server does with the hierarchies in service there.'
      : 'Only administrators can change properties.';
    $('props-message').textContent = '';
    const paths = $('props-paths');
    paths.replaceChildren(el('tr', {}, ...['To', 'Type', 'Local address', 'Remote address', 'Priority', 'State', 'Downs'].map((t) => el('th', {}, t))));
    for (const p of s.commPaths) {
      paths.append(el('tr', {}, el('td', {}, p.to), el('td', {}, p.type), el('td', {}, p.localAddress), el('td', {}, p.remoteAddress),
        el('td', {}, String(p.priority)), el('td', { class: p.state === 'ALIVE' ? '' : 'error' }, p.state), el('td', {}, String(p.commDowns))));
    }
    if (!s.commPaths.length) paths.append(el('tr', {}, el('td', { colSpan: 7 }, 'No comm path reported by this server.')));
    showTab('general');
    $('dlg-props').showModal();
  }

  function showTab(which) {
    $('tab-general').classList.toggle('active', which === 'general');
    $('tab-commpaths').classList.toggle('active', which === 'commpaths');
    $('pane-general').hidden = which !== 'general';
    $('pane-commpaths').hidden = which !== 'commpaths';
  }
  $('tab-general').addEventListener('click', () => showTab('general'));
  $('tab-commpaths').addEventListener('click', () => showTab('commpaths'));
  $('props-close').addEventListener('click', () => $('dlg-props').close());
  $('props-apply').addEventListener('click', async () => {
    const strategy = $('props-strategy').value;
    $('props-message').className = 'progress';
    $('props-message').textContent = 'Saving…';
    const r = await api('PUT', '/servers/' + encodeURIComponent(propsServer) + '/shutdown-strategy', { strategy });
    const ok = r.status === 200;
    $('props-message').className = 'progress ' + (ok ? 'ok' : 'fail');
    $('props-message').textContent = ok ? 'Shutdown strategy of ' + propsServer + ' saved: ' + strategy : r.json.error;
    note(ok ? 'shutdown strategy of ' + propsServer + ' set to ' + strategy : r.json.error, ok ? 'ok' : 'fail');
  });

  // ---- logs -----------------------------------------------------------------------------------
  $('btn-logs').addEventListener('click', () => {
    const select = $('logs-server');
    select.replaceChildren(...view.servers.map((s) => el('option', { value: s.name, disabled: s.state === 'DEAD' }, s.name)));
    select.value = view.local;
    $('logs-text').textContent = '';
    $('dlg-logs').showModal();
  });
  $('logs-close').addEventListener('click', () => $('dlg-logs').close());
  $('logs-show').addEventListener('click', async () => {
    const q = new URLSearchParams({ server: $('logs-server').value, type: $('logs-type').value, lines: $('logs-lines').value });
    $('logs-text').textContent = 'Reading…';
    const r = await api('GET', '/logs?' + q);
    $('logs-text').textContent = r.status === 200 ? (r.json.lines.join('\n') || '(the log is empty)') : r.json.error;
    $('logs-text').scrollTop = $('logs-text').scrollHeight;
  });

  // ---- start ----------------------------------------------------------------------------------
  api('GET', '/session').then((r) => { if (r.status === 200) start(r.json); else showLogin(''); });
})();
