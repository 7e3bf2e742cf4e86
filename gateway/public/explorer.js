// Offline GraphiQL for analysts. Who is asking: the signed-in session (cookie), or a token pasted here
// (kept under the explorer's own key, never the dashboard's). The schema is fetched again whenever
// that changes, so a first visit without a token works once one is given. Export turns the last
// answer's list into CSV or Excel.
(function () {
  'use strict';
  const TOKEN_KEY = 'pcmt.explorer.token';
  const PURPOSE_KEY = 'pcmt.explorer.purpose';
  const $ = (id) => document.getElementById(id);
  const token = $('token');
  const purpose = $('purpose');
  const who = $('who');
  const status = $('export-status');
  token.value = localStorage.getItem(TOKEN_KEY) || '';
  purpose.value = localStorage.getItem(PURPOSE_KEY) || '';

  let last = null; // the last operation run: what Export exports
  let session = null;

  const headers = () => {
    const h = { 'content-type': 'application/json' };
    if (token.value.trim()) h.authorization = 'Bearer ' + token.value.trim();
    if (purpose.value.trim()) h['x-pcmt-purpose'] = encodeURIComponent(purpose.value.trim());
    return h;
  };

  const fetcher = async (params) => {
    if (params.operationName !== 'IntrospectionQuery') last = params;
    const res = await fetch('/graphql', { method: 'POST', headers: headers(), body: JSON.stringify(params) });
    return res.json();
  };

  let root = null;
  let tabs = [];
  let generation = 0;
  const render = () => {
    generation += 1;
    // A new key mounts GraphiQL afresh, which fetches the schema again with the current credentials.
    root.render(React.createElement(GraphiQL, { key: 'g' + generation, fetcher, defaultTabs: tabs, defaultEditorToolsVisibility: true }));
  };

  const showWho = () => {
    who.textContent = '';
    if (session) {
      who.append(document.createTextNode(`${session.name || session.sub} (${session.roles.join(', ')}) `));
      const out = document.createElement('a');
      out.href = '/auth/logout';
      out.textContent = 'Đăng xuất / Sign out';
      who.append(out);
    } else if (!token.value.trim()) {
      const login = document.createElement('a');
      login.href = '/auth/login?return=/explorer';
      login.textContent = 'Đăng nhập / Sign in';
      who.append(login, document.createTextNode(' hoặc dán token / or paste a token'));
    }
  };

  token.addEventListener('change', () => {
    localStorage.setItem(TOKEN_KEY, token.value.trim());
    showWho();
    render();
  });
  purpose.addEventListener('change', () => localStorage.setItem(PURPOSE_KEY, purpose.value.trim()));

  async function exportAs(format) {
    if (!last) {
      status.textContent = 'Chạy một truy vấn trước / run a query first';
      return;
    }
    status.textContent = '…';
    const language = $('vi-headers').checked ? 'vi' : 'en';
    const res = await fetch('/export.' + format, { method: 'POST', headers: headers(), body: JSON.stringify({ ...last, language }) });
    if (!res.ok) {
      const body = await res.json().catch(() => ({}));
      status.textContent = (body.errors && body.errors[0] && body.errors[0].message) || 'HTTP ' + res.status;
      return;
    }
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = 'pcmt-export.' + format;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    status.textContent = '';
  }
  $('export-csv').addEventListener('click', () => exportAs('csv'));
  $('export-xlsx').addEventListener('click', () => exportAs('xlsx'));

  Promise.all([
    fetch('/explorer/examples.graphql').then((r) => r.text()),
    fetch('/auth/me').then((r) => (r.ok ? r.json() : null)).catch(() => null),
  ]).then(([examples, me]) => {
    session = me && me.signedIn ? me : null;
    showWho();
    // One tab per example operation in the file.
    tabs = examples.split(/\n(?=# ---)/).map((block) => ({ query: block.trim() }));
    root = ReactDOM.createRoot($('graphiql'));
    render();
  });
})();
