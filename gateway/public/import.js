// The officer upload page: choose an importer this role may write, get its template, send a file,
// watch it go, read what was imported and refused. The gateway does the work (/import/api/*, upload.ts);
// the caller is the signed-in session, or a token kept in this page's memory only.
(() => {
  'use strict';
  const TEXT = {
    vi: {
      title: 'Nhập dữ liệu từ bảng tính',
      intro: 'Chọn loại dữ liệu, tải tệp mẫu nếu cần, rồi gửi tệp Excel (.xlsx) hoặc CSV. Mỗi dòng được ghi như khi bạn tự nhập: trong địa bàn của bạn, ghi nhật ký truy cập, và không ghi trùng khi gửi lại cùng tệp.',
      languageSwitch: 'English',
      signIn: 'Đăng nhập',
      signOut: 'Đăng xuất',
      tokenSummary: 'Hệ thống của cơ quan: dùng mã truy cập (token)',
      token: 'Mã truy cập (chỉ giữ trong trang này, không lưu)',
      useToken: 'Dùng mã này',
      importer: 'Loại dữ liệu',
      template: 'Tải tệp mẫu (.xlsx)',
      columns: 'Các cột',
      purpose: 'Mục đích nhập (ghi vào nhật ký truy cập)',
      purposeHint: 'ví dụ: nhập sổ tiếp nhận tháng 6',
      file: 'Tệp bảng tính',
      limits: (mb, rows) => `.xlsx hoặc .csv (UTF-8), tối đa ${mb} MB và ${rows.toLocaleString('vi-VN')} dòng`,
      send: 'Gửi tệp',
      progress: 'Đang nhập',
      progressLine: (done, total) => `${done.toLocaleString('vi-VN')} / ${total.toLocaleString('vi-VN')} dòng`,
      reading: 'Đang gửi và đọc tệp…',
      result: 'Kết quả',
      resultLine: (r) => `${r.file}: ${r.rows} dòng dữ liệu (tiêu đề cột ở dòng ${r.headerRow}); ${r.audited} dòng có tên người đã ghi nhật ký truy cập.`,
      imported: 'Đã nhập mới',
      already: 'Đã có từ trước',
      refused: 'Bị từ chối',
      skipped: 'Bỏ qua (tổng cộng, ký tên)',
      skippedRows: 'Dòng bỏ qua',
      skippedLine: (s) => `Dòng ${s.row}: ${s.reason}`,
      refusedRows: 'Dòng bị từ chối',
      downloadErrors: 'Tải danh sách dòng bị từ chối (.csv)',
      row: 'Dòng',
      column: 'Cột',
      value: 'Giá trị',
      reason: 'Lý do',
      who: (me) => `${me.name || me.sub}`,
      notSignedIn: 'Bạn chưa đăng nhập: hãy đăng nhập, hoặc dùng mã truy cập của hệ thống cơ quan.',
      noImporters: 'Vai trò của bạn không được nhập dữ liệu: trang này dành cho cán bộ các cơ quan (công an, y tế, giáo dục, hải quan, trợ giúp pháp lý, biên phòng).',
      unavailable: (a) => `Hệ thống của ${a} đang không trả lời; thử lại sau.`,
      allDone: 'Đã nhập xong, không có dòng nào bị từ chối.',
      nothingNew: 'Không có dòng mới: mọi dòng đã được nhập từ trước.',
      someRefused: 'Một số dòng bị từ chối; các dòng khác đã được nhập. Sửa các dòng bị từ chối rồi gửi lại cả tệp: dòng đã nhập không bị ghi trùng.',
      failed: 'Không nhập được',
      chooseFile: 'Hãy chọn tệp.',
    },
    en: {
      title: 'Import from a spreadsheet',
      intro: 'Choose the kind of data, download the template if you need it, then send an Excel (.xlsx) or CSV file. Each row is written as if you entered it yourself: within your area, recorded in the access log, and never twice when the same file is sent again.',
      languageSwitch: 'Tiếng Việt',
      signIn: 'Sign in',
      signOut: 'Sign out',
      tokenSummary: "Agency systems: use an access token",
      token: 'Access token (kept in this page only, never stored)',
      useToken: 'Use this token',
      importer: 'Kind of data',
      template: 'Download the template (.xlsx)',
      columns: 'Columns',
      purpose: 'Purpose of the import (written to the access log)',
      purposeHint: 'e.g. June intake register',
      file: 'Spreadsheet file',
      limits: (mb, rows) => `.xlsx or .csv (UTF-8), at most ${mb} MB and ${rows.toLocaleString('en-GB')} rows`,
      send: 'Send the file',
      progress: 'Importing',
      progressLine: (done, total) => `${done.toLocaleString('en-GB')} / ${total.toLocaleString('en-GB')} rows`,
      reading: 'Sending and reading the file…',
      result: 'Result',
      resultLine: (r) => `${r.file}: ${r.rows} data rows (column headers on row ${r.headerRow}); ${r.audited} rows naming a person recorded in the access log.`,
      imported: 'Newly imported',
      already: 'Imported before',
      refused: 'Refused',
      skipped: 'Left out (totals, signatures)',
      skippedRows: 'Rows left out',
      skippedLine: (s) => `Row ${s.row}: ${s.reason}`,
      refusedRows: 'Refused rows',
      downloadErrors: 'Download the refused rows (.csv)',
      row: 'Row',
      column: 'Column',
      value: 'Value',
      reason: 'Reason',
      who: (me) => `${me.name || me.sub}`,
      notSignedIn: "You are not signed in: sign in, or use your agency system's access token.",
      noImporters: "Your role may not import data: this page is for the agencies' officers (police, health, education, customs, legal aid, border guard).",
      unavailable: (a) => `${a} is not answering; try again later.`,
      allDone: 'Imported, no row refused.',
      nothingNew: 'Nothing new: every row had been imported before.',
      someRefused: 'Some rows were refused; the others are imported. Correct the refused rows and send the whole file again: rows already imported are not written twice.',
      failed: 'Import failed',
      chooseFile: 'Choose a file.',
    },
  };

  const params = new URLSearchParams(location.search);
  const state = { lang: params.get('lang') === 'en' ? 'en' : 'vi', token: null, me: null, catalogue: null, result: null };
  const $ = (s) => document.querySelector(s);
  const t = (key, ...args) => {
    const v = TEXT[state.lang][key];
    return typeof v === 'function' ? v(...args) : v;
  };
  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    node.append(...children.filter((c) => c != null));
    return node;
  };
  const authHeaders = () => (state.token ? { authorization: 'Bearer ' + state.token } : {});

  function notice(text, ok = false) {
    $('#notice').textContent = text || '';
    $('#notice').hidden = !text;
    $('#notice').classList.toggle('ok', ok);
  }

  function translate() {
    document.documentElement.lang = state.lang;
    document.title = 'PCMT — ' + t('title');
    for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
    for (const node of document.querySelectorAll('[data-i18n-placeholder]')) node.placeholder = t(node.dataset.i18nPlaceholder);
    $('#lang').textContent = t('languageSwitch');
    $('#lang').lang = state.lang === 'vi' ? 'en' : 'vi';
    if (state.me) $('#who').textContent = t('who', state.me);
    if (state.catalogue) showCatalogue();
    if (state.result) showResult(state.result);
  }

  /** The refusal in the page's language: the gateway answers both. */
  const errorText = (body, status) => {
    const e = body && body.error;
    if (!e) return `${t('failed')} (HTTP ${status})`;
    return state.lang === 'vi' ? e.messageVi || e.message : e.message;
  };

  const chosen = () => {
    const [subgraph, importer] = ($('#importer').value || '/').split('/');
    const sg = state.catalogue && state.catalogue.subgraphs.find((s) => s.name === subgraph);
    return { subgraph, importer, sg, info: sg && sg.importers.find((i) => i.name === importer) };
  };

  function showChoice() {
    const { info } = chosen();
    $('#importerDescription').textContent = info ? info.description : '';
    $('#columns').textContent = info ? `${t('columns')}: ${info.columns.join(', ')}` : '';
  }

  function showCatalogue() {
    const c = state.catalogue;
    const previous = $('#importer').value;
    const options = [];
    const down = [];
    for (const sg of c.subgraphs) {
      if (sg.unavailable) down.push(sg.agency[state.lang]);
      for (const i of sg.importers) options.push(el('option', { value: `${sg.name}/${i.name}` }, `${sg.agency[state.lang]} — ${i.name}`));
    }
    $('#importer').replaceChildren(...options);
    if (previous) $('#importer').value = previous;
    $('#limits').textContent = t('limits', Math.round(c.limits.maxBytes / 1048576), c.limits.maxRows);
    $('#upload').hidden = options.length === 0;
    if (!options.length) notice(down.length ? t('unavailable', down.join(', ')) : t('noImporters'));
    else notice(down.length ? t('unavailable', down.join(', ')) : '');
    showChoice();
  }

  async function load() {
    const me = await fetch('/auth/me', { headers: { accept: 'application/json' } }).then((r) => r.json()).catch(() => ({ signedIn: false }));
    state.me = me.signedIn ? me : null;
    $('#signIn').hidden = Boolean(state.me) || Boolean(state.token);
    $('#signOut').hidden = !state.me;
    $('#who').textContent = state.me ? t('who', state.me) : '';
    $('#tokenBox').hidden = Boolean(state.me);
    if (!state.me && !state.token) {
      notice(t('notSignedIn'));
      $('#upload').hidden = true;
      document.body.dataset.loaded = 'true';
      return;
    }
    const res = await fetch('/import/api/importers', { headers: { accept: 'application/json', ...authHeaders() } });
    const body = await res.json().catch(() => null);
    if (!res.ok) {
      notice(errorText(body, res.status));
      $('#upload').hidden = true;
    } else {
      state.catalogue = body;
      showCatalogue();
    }
    document.body.dataset.loaded = 'true';
  }

  function download(blob, name) {
    const a = el('a', { href: URL.createObjectURL(blob), download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  }

  async function template() {
    const { subgraph, importer } = chosen();
    const res = await fetch(`/import/api/template/${encodeURIComponent(subgraph)}/${encodeURIComponent(importer)}`, { headers: authHeaders() });
    if (!res.ok) return notice(errorText(await res.json().catch(() => null), res.status));
    download(await res.blob(), `mau-${subgraph}-${importer}.xlsx`);
  }

  function showProgress(done, total) {
    $('#progressBox').hidden = false;
    $('#progress').max = Math.max(total, 1);
    $('#progress').value = done;
    $('#progressText').textContent = total ? t('progressLine', done, total) : t('reading');
  }

  function showResult(r) {
    $('#result').hidden = false;
    $('#resultLine').textContent = t('resultLine', r);
    $('#countImported').textContent = r.imported;
    $('#countAlready').textContent = r.alreadyImported;
    $('#countRefused').textContent = r.refused;
    $('#countSkipped').textContent = r.skipped.length;
    $('#skippedBox').hidden = r.skipped.length === 0;
    $('#skippedList').replaceChildren(...r.skipped.map((s) => el('li', { lang: 'vi' }, t('skippedLine', s))));
    $('#errorsBox').hidden = r.errors.length === 0;
    $('#errorRows').replaceChildren(
      ...r.errors.map((e) =>
        el('tr', {}, el('td', { class: 'num' }, String(e.row)), el('td', { lang: 'vi' }, e.column), el('td', {}, e.value), state.lang === 'vi' ? el('td', { lang: 'vi' }, e.explanation) : el('td', { lang: 'en' }, e.reason)),
      ),
    );
    notice(r.refused ? t('someRefused') : r.imported ? t('allDone') : t('nothingNew'), !r.refused);
  }

  async function send(event) {
    event.preventDefault();
    const file = $('#file').files[0];
    if (!file) return notice(t('chooseFile'));
    const { subgraph, importer } = chosen();
    $('#send').disabled = true;
    $('#result').hidden = true;
    state.result = null;
    notice('');
    showProgress(0, 0);
    const purpose = $('#purpose').value.trim();
    const headers = { accept: 'application/x-ndjson', 'content-type': file.type || 'application/octet-stream', ...authHeaders() };
    if (purpose) headers['x-pcmt-purpose'] = encodeURIComponent(purpose);
    try {
      // XMLHttpRequest: the file's upload progress, then the server's lines as they come (one JSON
      // event a line: progress while the rows go, then the result, or the error that stopped it).
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `/import/api/upload/${encodeURIComponent(subgraph)}/${encodeURIComponent(importer)}?name=${encodeURIComponent(file.name)}`);
      for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
      let seen = 0;
      const readLines = () => {
        const text = xhr.responseText;
        let nl;
        while ((nl = text.indexOf('\n', seen)) >= 0) {
          const line = text.slice(seen, nl).trim();
          seen = nl + 1;
          if (!line || xhr.status !== 200) continue;
          const event = JSON.parse(line);
          if (event.type === 'progress') showProgress(event.done, event.total);
          else if (event.type === 'result') {
            state.result = event;
            showResult(event);
          } else if (event.type === 'error') notice(`${t('failed')}: ${errorText(event, 503)}`);
        }
      };
      xhr.upload.onprogress = (e) => e.lengthComputable && showProgress(0, 0);
      xhr.onprogress = readLines;
      await new Promise((resolve) => {
        xhr.onloadend = resolve;
        xhr.send(file);
      });
      if (xhr.status === 200) readLines();
      else {
        let body = null;
        try {
          body = JSON.parse(xhr.responseText);
        } catch {
          // not JSON: the status says it
        }
        notice(`${t('failed')}: ${errorText(body, xhr.status)}`);
      }
    } finally {
      $('#send').disabled = false;
      $('#progressBox').hidden = true;
    }
  }

  $('#lang').addEventListener('click', () => {
    state.lang = state.lang === 'vi' ? 'en' : 'vi';
    const url = new URL(location.href);
    url.searchParams.set('lang', state.lang);
    history.replaceState(null, '', url);
    translate();
  });
  $('#importer').addEventListener('change', showChoice);
  $('#template').addEventListener('click', template);
  $('#upload').addEventListener('submit', send);
  $('#errorsCsv').addEventListener('click', () => {
    // The gateway's own CSV: byte for byte the file `npm run import` writes beside the sheet.
    const r = state.result;
    if (r && r.errorsCsv) download(new Blob([r.errorsCsv], { type: 'text/csv;charset=utf-8' }), r.file.replace(/\.(xlsx|csv)$/i, '') + '.errors.csv');
  });
  $('#useToken').addEventListener('click', () => {
    state.token = $('#token').value.trim() || null;
    $('#token').value = '';
    load();
  });
  translate();
  load();
})();
