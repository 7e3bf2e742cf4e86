// Offline GraphiQL for analysts: the token and the declared purpose go with every request.
(function () {
  'use strict';
  const token = document.getElementById('token');
  const purpose = document.getElementById('purpose');
  token.value = localStorage.getItem('pcmt.token') || '';
  purpose.value = localStorage.getItem('pcmt.purpose') || '';
  token.addEventListener('change', () => localStorage.setItem('pcmt.token', token.value.trim()));
  purpose.addEventListener('change', () => localStorage.setItem('pcmt.purpose', purpose.value.trim()));

  const fetcher = async (params) => {
    const headers = { 'content-type': 'application/json', authorization: 'Bearer ' + token.value.trim() };
    if (purpose.value.trim()) headers['x-pcmt-purpose'] = encodeURIComponent(purpose.value.trim());
    const res = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify(params) });
    return res.json();
  };

  fetch('/explorer/examples.graphql')
    .then((r) => r.text())
    .then((examples) => {
      // One tab per example operation in the file.
      const tabs = examples.split(/\n(?=# ---)/).map((block) => ({ query: block.trim() }));
      const root = ReactDOM.createRoot(document.getElementById('graphiql'));
      root.render(React.createElement(GraphiQL, { fetcher, defaultTabs: tabs, defaultEditorToolsVisibility: true }));
    });
})();
