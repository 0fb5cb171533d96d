// Portside's operator page: a project's networks, instances and ports, read from the public APIs
// (through the operator's /api/{service}/ pass-through) with the user's own token, and the ports'
// counters from /v1/port-counters. Plain DOM and SVG: one file, no build step, nothing fetched from
// elsewhere. The token lives in this tab's sessionStorage only.
'use strict';

const TOPOLOGY_EVERY_MS = 5000;
const COUNTERS_EVERY_MS = 2000;
const SPARK_SAMPLES = 30;
const SVG = 'http://www.w3.org/2000/svg';
const NETWORK_COLOURS = ['#2980b9', '#8e44ad', '#16a085', '#c0392b', '#d35400', '#2c3e50', '#7f8c8d', '#27ae60'];

const state = {
  session: null,     // {token, user, project, projectId, admin}
  viewProject: null, // the project shown: the token's, or one an admin picked
  topology: {networks: [], subnets: [], ports: [], servers: []},
  counters: {},      // port id -> latest counters
  history: {},       // port id -> [{t, packets}]
  selected: null,    // {kind: 'server'|'port', id}
  timers: [],
};

const $ = id => document.getElementById(id);

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

// One call to a public API through the pass-through; errors carry the API's own message.
async function api(service, path, options = {}) {
  const headers = {'Accept': 'application/json', ...(options.headers || {})};
  if (state.session && !headers['X-Auth-Token']) {
    headers['X-Auth-Token'] = state.session.token;
  }
  const response = await fetch(service ? `/api/${service}/${path}` : path, {...options, headers});
  const text = await response.text();
  const body = text ? JSON.parse(text) : {};
  if (!response.ok) {
    throw new ApiError(response.status, errorMessage(body) || `${response.status} ${response.statusText}`);
  }
  return {body, response};
}

// Keystone, Neutron and Nova each put the message somewhere else.
function errorMessage(body) {
  if (body.error && body.error.message) return body.error.message;
  if (body.NeutronError && body.NeutronError.message) return body.NeutronError.message;
  for (const value of Object.values(body)) {
    if (value && typeof value === 'object' && value.message) return value.message;
  }
  return null;
}

async function login(event) {
  event.preventDefault();
  const error = $('login-error');
  error.hidden = true;
  const domain = $('domain').value.trim() || 'Default';
  const request = {
    auth: {
      identity: {
        methods: ['password'],
        password: {user: {name: $('username').value.trim(), domain: {name: domain}, password: $('password').value}},
      },
      scope: {project: {name: $('project-name').value.trim(), domain: {name: domain}}},
    },
  };
  try {
    const {body, response} = await api('identity', 'v3/auth/tokens', {
      method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(request),
    });
    const token = body.token;
    const session = {
      token: response.headers.get('X-Subject-Token'),
      user: token.user.name,
      project: token.project.name,
      projectId: token.project.id,
      admin: token.roles.some(role => role.name === 'admin'),
    };
    sessionStorage.setItem('portside.session', JSON.stringify(session));
    $('password').value = '';
    await start(session);
  } catch (e) {
    error.textContent = `Login failed: ${e.message}`;
    error.hidden = false;
  }
}

async function logout() {
  const session = state.session;
  stop();
  sessionStorage.removeItem('portside.session');
  if (session) {
    try {
      await api('identity', 'v3/auth/tokens', {
        method: 'DELETE', headers: {'X-Auth-Token': session.token, 'X-Subject-Token': session.token},
      });
    } catch (e) {
      // The token may have expired already; the tab forgets it either way.
    }
  }
}

function stop() {
  state.timers.forEach(clearInterval);
  Object.assign(state, {session: null, viewProject: null, counters: {}, history: {}, selected: null, timers: []});
  state.topology = {networks: [], subnets: [], ports: [], servers: []};
  $('view').hidden = true;
  $('session').hidden = true;
  $('login').hidden = false;
}

async function start(session) {
  state.session = session;
  state.viewProject = {id: session.projectId, name: session.project};
  $('login').hidden = true;
  $('view').hidden = false;
  $('session').hidden = false;
  $('who').textContent = `${session.user} in ${session.project}${session.admin ? ' (admin)' : ''}`;
  await projectSwitch();
  await refresh();
  state.timers.push(setInterval(() => refresh(), TOPOLOGY_EVERY_MS));
  state.timers.push(setInterval(() => refreshCounters().then(renderPorts).catch(refreshFailed), COUNTERS_EVERY_MS));
}

// An admin sees every project's resources; the page shows one project at a time, picked here.
async function projectSwitch() {
  const select = $('project');
  select.replaceChildren();
  $('project-switch').hidden = !state.session.admin;
  if (!state.session.admin) return;
  const {body} = await api('identity', 'v3/projects');
  body.projects.sort((a, b) => a.name.localeCompare(b.name)).forEach(project => {
    const option = new Option(project.name, project.id, false, project.id === state.viewProject.id);
    select.add(option);
  });
}

function projectChanged() {
  const select = $('project');
  state.viewProject = {id: select.value, name: select.options[select.selectedIndex].text};
  state.counters = {};
  state.history = {};
  state.selected = null;
  refresh();
}

// What the lists are narrowed to: an admin's listings cover every project unless told one.
function scoped(path, compute) {
  if (!state.session.admin) return path;
  const separator = path.includes('?') ? '&' : '?';
  return `${path}${separator}${compute ? 'all_tenants=1&' : ''}project_id=${encodeURIComponent(state.viewProject.id)}`;
}

async function refresh() {
  try {
    const [networks, subnets, ports, servers] = await Promise.all([
      api('network', scoped('v2.0/networks')),
      api('network', scoped('v2.0/subnets')),
      api('network', scoped('v2.0/ports')),
      api('compute', scoped('v2.1/servers/detail', true)),
    ]);
    state.topology = {
      networks: networks.body.networks, subnets: subnets.body.subnets,
      ports: ports.body.ports, servers: servers.body.servers,
    };
    await refreshCounters();
    $('refresh-error').hidden = true;
    render();
  } catch (e) {
    refreshFailed(e);
  }
}

function refreshFailed(e) {
  if (e instanceof ApiError && e.status === 401) {
    stop();
    sessionStorage.removeItem('portside.session');
    $('login-error').textContent = 'Your session ended: log in again.';
    $('login-error').hidden = false;
    return;
  }
  $('refresh-error').textContent = `Could not refresh: ${e.message}`;
  $('refresh-error').hidden = false;
}

async function refreshCounters() {
  const path = state.session.admin
      ? `/v1/port-counters?project_id=${encodeURIComponent(state.viewProject.id)}` : '/v1/port-counters';
  const {body} = await api(null, path);
  const now = Date.parse(body.time);
  const seen = {};
  for (const counters of body.port_counters) {
    seen[counters.port_id] = counters;
    const history = state.history[counters.port_id] || (state.history[counters.port_id] = []);
    history.push({t: now, packets: counters.ingress.packets + counters.egress.packets});
    if (history.length > SPARK_SAMPLES + 1) history.shift();
  }
  state.counters = seen;
}

function render() {
  $('summary').textContent = `Project ${state.viewProject.name}: ${state.topology.networks.length} networks, `
      + `${state.topology.servers.length} instances, ${state.topology.ports.length} ports `
      + `(${state.topology.ports.filter(unaddressed).length} unaddressed).`;
  renderTopology();
  renderPorts();
  renderDetails();
}

function unaddressed(port) {
  return port.fixed_ips.length === 0;
}

// Port security as the dataplane applies it: off; addresses and MAC filtered; only the MAC (a port
// with no address: Portside's filtering for unaddressed ports); plus any ethertypes it may carry.
function security(port) {
  let text;
  if (port.port_security_enabled === false) text = 'off';
  else if (unaddressed(port)) text = 'MAC';
  else text = 'IP+MAC';
  const ethertypes = port.allowed_ethertypes || [];
  if (port.port_security_enabled !== false && ethertypes.length > 0) text += ` +${ethertypes.join(' +')}`;
  return text;
}

function securityLong(port) {
  if (port.port_security_enabled === false) return 'off: the port sends and receives anything';
  const groups = `security groups ${(port.security_groups || []).length}`;
  const base = unaddressed(port)
      ? `unaddressed MAC filtering (its own MAC only), ${groups}`
      : `addresses filtered (its MAC and fixed IPs), ${groups}`;
  const ethertypes = port.allowed_ethertypes || [];
  return ethertypes.length ? `${base}, allowed ethertypes ${ethertypes.join(', ')}` : base;
}

function svg(name, attributes = {}, text = null) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
  if (text !== null) element.textContent = text;
  return element;
}

// Horizon's picture turned on its side: instances in a row on top, each network a bar below them,
// each port a line from its instance down to its network's bar.
function renderTopology() {
  const {networks, subnets, ports, servers} = state.topology;
  const topology = $('topology');
  topology.replaceChildren();
  const sortedServers = [...servers].sort((a, b) => a.name.localeCompare(b.name));
  const sortedNetworks = [...networks].sort((a, b) => a.name.localeCompare(b.name));
  // Left to right from the lowest bar up: a port's label, right of its line, then crosses no other line.
  const portsOf = id => ports.filter(p => p.device_id === id)
      .sort((a, b) => sortedNetworks.findIndex(n => n.id === b.network_id)
          - sortedNetworks.findIndex(n => n.id === a.network_id));

  // The networks' names and subnets in a column on the left, clear of the ports' lines.
  const gutter = 190, instanceTop = 16, instanceHeight = 46, gap = 40, barTop = 140, barSpacing = 74, barHeight = 12;
  let x = gutter + 20;
  const boxes = new Map();
  for (const server of sortedServers) {
    const width = Math.max(170, 100 * portsOf(server.id).length);
    boxes.set(server.id, {x, width});
    x += width + gap;
  }
  const width = Math.max(x, 600);
  const height = barTop + Math.max(sortedNetworks.length, 1) * barSpacing;
  topology.setAttribute('width', width);
  topology.setAttribute('height', height);
  topology.setAttribute('viewBox', `0 0 ${width} ${height}`);

  if (sortedNetworks.length === 0 && sortedServers.length === 0) {
    topology.append(svg('text', {x: 20, y: 40, class: 'empty'}, 'No networks or instances in this project.'));
  }
  const bars = new Map();
  sortedNetworks.forEach((network, i) => {
    const y = barTop + i * barSpacing;
    bars.set(network.id, y);
    const cidrs = subnets.filter(s => s.network_id === network.id).map(s => s.cidr).join(', ');
    const group = svg('g', {class: 'network', 'data-network-id': network.id, 'data-name': network.name});
    group.append(svg('rect', {x: gutter, y, width: width - gutter - 10, height: barHeight,
      fill: NETWORK_COLOURS[i % NETWORK_COLOURS.length]}));
    group.append(svg('text', {x: 10, y: y + barHeight - 2},
        `${network.name}${network['router:external'] ? ' (external)' : ''}`));
    group.append(svg('text', {x: 10, y: y + barHeight + 12, class: 'cidrs'}, cidrs || 'no subnet'));
    topology.append(group);
  });

  for (const server of sortedServers) {
    const box = boxes.get(server.id);
    const attached = portsOf(server.id);
    attached.forEach((port, k) => {
      const y = bars.get(port.network_id);
      if (y === undefined) return; // a network of another project the listing does not show
      const px = box.x + (k + 1) * box.width / (attached.length + 1);
      const group = svg('g', {class: `port${unaddressed(port) ? ' unaddressed' : ''}${selectedIs('port', port.id)}`,
        'data-port-id': port.id});
      group.append(svg('line', {x1: px, y1: instanceTop + instanceHeight, x2: px, y2: y,
        class: `edge${unaddressed(port) ? ' unaddressed' : ''}`}));
      // A wider, invisible line to click: the drawn one is a few pixels wide.
      group.append(svg('line', {x1: px, y1: instanceTop + instanceHeight, x2: px, y2: y, class: 'hit'}));
      group.append(svg('circle', {cx: px, cy: y + barHeight / 2, r: 6, class: `status-${port.status}`}));
      group.append(svg('text', {x: px + 5, y: y - 18, class: unaddressed(port) ? 'unaddressed' : ''},
          unaddressed(port) ? 'unaddressed' : port.fixed_ips.map(ip => ip.ip_address).join(' ')));
      group.append(svg('text', {x: px + 5, y: y - 6, class: 'security'}, `psec ${security(port)}`));
      group.append(svg('title', {}, `${port.name || port.id}: ${port.status}, port security ${securityLong(port)}`));
      group.addEventListener('click', () => select('port', port.id));
      topology.append(group);
    });
    const group = svg('g', {class: `instance${selectedIs('server', server.id)}`, 'data-server-id': server.id,
      'data-name': server.name});
    group.append(svg('rect', {x: box.x, y: instanceTop, width: box.width, height: instanceHeight}));
    group.append(svg('text', {x: box.x + 10, y: instanceTop + 19}, server.name));
    group.append(svg('text', {x: box.x + 10, y: instanceTop + 36, class: 'state'}, server.status));
    group.addEventListener('click', () => select('server', server.id));
    topology.append(group);
  }
}

function selectedIs(kind, id) {
  return state.selected && state.selected.kind === kind && state.selected.id === id ? ' selected' : '';
}

function select(kind, id) {
  state.selected = {kind, id};
  render();
}

function renderPorts() {
  if (!state.session) return;
  const {networks, ports, servers} = state.topology;
  const body = $('ports').tBodies[0];
  body.replaceChildren();
  const name = (list, id) => (list.find(item => item.id === id) || {}).name || '';
  const sorted = [...ports].sort((a, b) => (name(servers, a.device_id) + a.name)
      .localeCompare(name(servers, b.device_id) + b.name));
  for (const port of sorted) {
    const counters = state.counters[port.id];
    const row = body.insertRow();
    row.dataset.portId = port.id;
    row.className = `${unaddressed(port) ? 'unaddressed' : 'addressed'}${selectedIs('port', port.id)}`;
    const cell = (text, className = '') => {
      const td = row.insertCell();
      td.textContent = text;
      td.className = className;
      return td;
    };
    cell(port.name || port.id.slice(0, 8), 'name');
    cell(name(servers, port.device_id), 'instance');
    cell(name(networks, port.network_id), 'network');
    cell(unaddressed(port) ? 'unaddressed (ip_allocation: none)'
        : port.fixed_ips.map(ip => ip.ip_address).join(', '), 'address');
    cell(securityLong(port), 'security');
    cell(port.status, 'status');
    const flow = (direction) => {
      const td = cell(counters ? `${counters[direction].packets} / ${bytes(counters[direction].bytes)}` : '–',
          `number ${direction === 'ingress' ? 'in' : 'out'}`);
      td.dataset.packets = counters ? counters[direction].packets : '';
    };
    flow('ingress');
    flow('egress');
    const dropped = counters ? Object.values(counters.dropped).reduce((a, b) => a + b, 0) : 0;
    const droppedCell = cell(counters ? String(dropped) : '–', `number dropped${dropped > 0 ? ' dropped-some' : ''}`);
    droppedCell.dataset.packets = counters ? dropped : '';
    droppedCell.title = counters ? Object.entries(counters.dropped).filter(([, n]) => n > 0)
        .map(([reason, n]) => `${reason.replace('_', ' ')}: ${n}`).join('\n') || 'nothing dropped' : '';
    row.insertCell().append(sparkline(state.history[port.id] || []));
    row.cells[row.cells.length - 1].className = 'spark';
    row.addEventListener('click', () => select('port', port.id));
  }
}

function bytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

// Packets per second between samples, scaled to the largest.
function sparkline(history) {
  const width = 100, height = 20;
  const line = svg('svg', {width, height, class: 'spark'});
  const rates = [];
  for (let i = 1; i < history.length; i++) {
    const seconds = Math.max((history[i].t - history[i - 1].t) / 1000, 0.001);
    rates.push(Math.max(history[i].packets - history[i - 1].packets, 0) / seconds);
  }
  if (rates.length < 2) return line;
  const top = Math.max(...rates, 1);
  const points = rates.map((rate, i) => `${(i * width / (SPARK_SAMPLES - 1)).toFixed(1)},`
      + `${(height - 1 - rate / top * (height - 2)).toFixed(1)}`);
  line.append(svg('polyline', {points: points.join(' ')}));
  line.append(svg('title', {}, `${rates[rates.length - 1].toFixed(1)} packets/s now, peak ${top.toFixed(1)}`));
  return line;
}

function renderDetails() {
  const panel = $('details');
  const selected = state.selected;
  const item = selected && (selected.kind === 'server' ? state.topology.servers : state.topology.ports)
      .find(candidate => candidate.id === selected.id);
  if (!item) {
    panel.hidden = true;
    return;
  }
  panel.hidden = false;
  const fields = $('details-fields');
  fields.replaceChildren();
  const field = (label, value) => {
    const dt = document.createElement('dt');
    dt.textContent = label;
    const dd = document.createElement('dd');
    dd.textContent = value;
    fields.append(dt, dd);
  };
  if (selected.kind === 'server') {
    $('details-title').textContent = `Instance ${item.name}`;
    $('details-command').textContent = `openstack server show ${item.id}`;
    field('id', item.id);
    field('status', item.status);
    field('host', item['OS-EXT-SRV-ATTR:host'] || '');
    field('ports', state.topology.ports.filter(p => p.device_id === item.id)
        .map(p => `${p.name || p.id} (${unaddressed(p) ? 'unaddressed' : p.fixed_ips.map(ip => ip.ip_address)})`)
        .join(', '));
  } else {
    $('details-title').textContent = `Port ${item.name || item.id}`;
    $('details-command').textContent = `openstack port show ${item.id}`;
    field('id', item.id);
    field('status', item.status);
    field('mac_address', item.mac_address);
    field('fixed_ips', unaddressed(item) ? 'none' : item.fixed_ips.map(ip => ip.ip_address).join(', '));
    field('ip_allocation', item.ip_allocation || '');
    field('port_security', securityLong(item));
    field('binding:vif_type', item['binding:vif_type'] || '');
    field('device_id', item.device_id || '');
    const counters = state.counters[item.id];
    if (counters) {
      for (const [reason, packets] of Object.entries(counters.dropped)) field(`dropped ${reason}`, String(packets));
    }
  }
}

$('login').addEventListener('submit', login);
$('logout').addEventListener('click', logout);
$('project').addEventListener('change', projectChanged);
$('details-close').addEventListener('click', () => {
  state.selected = null;
  render();
});

const saved = sessionStorage.getItem('portside.session');
if (saved) start(JSON.parse(saved)).catch(refreshFailed);
