// Steering-committee dashboard: every figure on this page comes from the registered operations of
// schema/operations/dashboard.graphql, sent to the gateway by document id (their ids, from the generated
// clients/dashboard/persisted-documents.json, at /dashboard/operations.json) with the viewer's token.
(function () {
  'use strict';

  const TEXT = {
    vi: {
      title: 'Chương trình phòng, chống ma túy — chỉ tiêu đến năm 2030', period: 'Kỳ báo cáo', show: 'Xem', save: 'Lưu',
      needToken: 'Dán mã truy cập (token) để xem số liệu:', province: 'Tỉnh', indicator: 'Chỉ tiêu', value: 'Kết quả',
      target: 'Mục tiêu', status: 'Đánh giá', deadline: 'Hạn', source: 'Nguồn', trend: 'Xu hướng', communes: 'Xã, phường, đặc khu',
      sortHint: 'Bấm vào tiêu đề cột để sắp xếp; bấm vào tên xã để xem chi tiết.', commune: 'Xã', loading: 'Đang tải…',
      MET: 'Đạt', ON_TRACK: 'Đúng lộ trình', OFF_TRACK: 'Chậm', NO_DATA: 'Chưa có số liệu', error: 'Lỗi',
      provinceOutsideArea: 'Số liệu toàn tỉnh chỉ hiển thị cho tài khoản được giao địa bàn cả tỉnh; dưới đây là các xã của bạn.',
      figures: {
        managedUsers: 'Người sử dụng có hồ sơ', managedAddicts: 'Người nghiện có hồ sơ', hotspotsDetected: 'Điểm, tụ điểm phát hiện',
        hotspotsDismantled: 'Điểm, tụ điểm triệt xóa', drugCasesReported: 'Vụ án ma túy', methadonePatientsInTreatment: 'Bệnh nhân methadone',
        personsCounselled: 'Người được tư vấn', schools: 'Trường học', schoolsReached: 'Trường được tuyên truyền',
        borderSeizures: 'Vụ bắt giữ tại biên giới', borderSeizedKg: 'Ma túy thu giữ tại biên giới (kg)',
        eligibleLegalAidRequests: 'Yêu cầu TGPL đủ điều kiện', servedLegalAidRequests: 'Yêu cầu TGPL được đáp ứng',
      },
    },
    en: {
      title: 'Drug prevention and control programme — 2030 indicators', period: 'Period', show: 'Show', save: 'Save',
      needToken: 'Paste an access token to see the figures:', province: 'Province', indicator: 'Indicator', value: 'Value',
      target: 'Target', status: 'Status', deadline: 'Deadline', source: 'Source', trend: 'Trend', communes: 'Communes and wards',
      sortHint: 'Click a column header to sort; click a commune to drill down.', commune: 'Commune', loading: 'Loading…',
      MET: 'Met', ON_TRACK: 'On track', OFF_TRACK: 'Off track', NO_DATA: 'No data', error: 'Error',
      provinceOutsideArea: 'Province-wide figures are shown to accounts whose area is the whole province; your communes are below.',
      figures: {
        managedUsers: 'Users with a file', managedAddicts: 'Addicts with a file', hotspotsDetected: 'Hotspots detected',
        hotspotsDismantled: 'Hotspots dismantled', drugCasesReported: 'Drug cases', methadonePatientsInTreatment: 'Methadone patients',
        personsCounselled: 'Persons counselled', schools: 'Schools', schoolsReached: 'Schools reached',
        borderSeizures: 'Border seizures', borderSeizedKg: 'Seized at the border (kg)',
        eligibleLegalAidRequests: 'Eligible legal-aid requests', servedLegalAidRequests: 'Legal-aid requests served',
      },
    },
  };

  const params = new URLSearchParams(location.search);
  const state = {
    lang: params.get('lang') === 'en' ? 'en' : 'vi',
    token: params.get('token') || localStorage.getItem('pcmt.token') || '',
    province: params.get('province') || '04',
    indicators: [],
    communes: [],
    sortBy: null,
    sortDesc: true,
    charts: {},
  };
  let documentIds = null;

  const $ = (sel) => document.querySelector(sel);
  const t = (key) => TEXT[state.lang][key] ?? key;
  const fmt = (v) => (v === null || v === undefined ? '—' : Number(v).toLocaleString(state.lang === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 1 }));
  const indicatorName = (id) => {
    const i = state.indicators.find((x) => x.id === id);
    return i ? (state.lang === 'vi' ? i.nameVi : i.nameEn) : id;
  };
  const unit = (i) => (i && i.unit === 'PERCENT_CHANGE' ? '% ±' : '%');

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') node.className = v;
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v);
    }
    for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return node;
  }

  async function run(operationName, variables) {
    // One request for the ids however many operations start at once; a failed one is retried next time.
    documentIds = documentIds || fetch('/dashboard/operations.json').then((r) => {
      if (!r.ok) throw new Error('operations.json: HTTP ' + r.status);
      return r.json();
    });
    const ids = await documentIds.catch((err) => {
      documentIds = null;
      throw err;
    });
    const documentId = ids[operationName];
    if (!documentId) throw new Error('no registered operation ' + operationName);
    const res = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer ' + state.token },
      body: JSON.stringify({ documentId, operationName, variables }),
    });
    const body = await res.json();
    if (res.status === 401) {
      showLogin();
      throw new Error(body.errors?.[0]?.message || 'Unauthenticated');
    }
    if (body.errors?.length && !body.data) throw new Error(body.errors.map((e) => e.message).join('; '));
    return body.data;
  }

  function periodSpan(period) {
    // Trends: the five periods up to the chosen one (years) or the last eight quarters/months.
    const year = Number(period.slice(0, 4));
    if (/^\d{4}$/.test(period)) return { from: String(year - 4), to: period };
    if (/Q/.test(period)) return { from: `${year - 1}-Q1`, to: period };
    return { from: `${year - 1}-01`, to: period };
  }

  function statusBadge(status) {
    return el('span', { class: `status ${status}`, 'data-status': status }, t(status));
  }

  function applyLanguage() {
    document.documentElement.lang = state.lang;
    for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
    $('#lang').textContent = state.lang === 'vi' ? 'EN' : 'VI';
  }

  function renderProvince(data, period) {
    state.indicators = data.indicators;
    $('#provinceName').textContent = data.province?.name ?? state.province;
    $('#periodLabel').textContent = period;
    const body = $('#indicator-table tbody');
    body.replaceChildren();
    // A commune-level account gets its communes but not the province's figures (FORBIDDEN).
    if (!data.province?.period) {
      body.append(el('tr', { id: 'province-outside-area' }, el('td', { colspan: '6' }, t('provinceOutsideArea'))));
      state.trend = [];
      state.charts.trendChart?.destroy();
      return;
    }
    for (const v of data.province.period.indicators) {
      const def = state.indicators.find((i) => i.id === v.indicator.id);
      body.append(
        el('tr', { 'data-indicator': v.indicator.id },
          el('td', {}, el('strong', {}, `${v.indicator.id}. `), indicatorName(v.indicator.id), el('br'), el('small', { class: 'source' }, def.definition)),
          el('td', { class: 'num value', 'data-value': v.value === null ? '' : String(v.value) }, `${fmt(v.value)} ${v.value === null ? '' : unit(def)}`),
          el('td', { class: 'num' }, `${def.comparator === 'AT_LEAST' ? '≥' : '≤'} ${fmt(v.target)} ${unit(def)}`),
          el('td', {}, statusBadge(v.status)),
          el('td', {}, def.deadline),
          el('td', {}, el('small', { class: 'source' }, def.source)),
        ),
      );
    }
    const select = $('#trendIndicator');
    const chosen = select.value;
    select.replaceChildren(...data.province.period.indicators.map((v) => el('option', { value: v.indicator.id }, `${v.indicator.id}. ${indicatorName(v.indicator.id)}`)));
    if (chosen) select.value = chosen;
    state.trend = data.province.periods;
    drawTrend('trendChart', state.trend, select.value);
  }

  function drawTrend(canvasId, periods, indicatorId) {
    if (!window.Chart) return;
    state.charts[canvasId]?.destroy();
    const values = periods.map((p) => p.indicators.find((i) => i.indicator.id === indicatorId)?.value ?? null);
    const def = state.indicators.find((i) => i.id === indicatorId);
    state.charts[canvasId] = new window.Chart(document.getElementById(canvasId), {
      type: 'line',
      data: {
        labels: periods.map((p) => p.period),
        datasets: [
          { label: indicatorName(indicatorId), data: values, borderColor: '#8b1e1e', spanGaps: true },
          { label: t('target'), data: periods.map(() => def?.target ?? null), borderColor: '#2d6a4f', borderDash: [6, 4], pointRadius: 0 },
        ],
      },
      options: { animation: false, responsive: true, plugins: { legend: { position: 'bottom' } } },
    });
  }

  function renderCommunes() {
    const ids = state.indicators.filter((i) => i.levels.includes('COMMUNE')).map((i) => i.id);
    const head = el('tr', {}, el('th', {}, t('commune')), ...ids.map((id) =>
      el('th', { class: 'sortable', 'data-sort': id, title: indicatorName(id), onclick: () => sortCommunes(id) }, id + (state.sortBy === id ? (state.sortDesc ? ' ▼' : ' ▲') : '')),
    ));
    $('#commune-table thead').replaceChildren(head);
    const valueOf = (c, id) => c.period.indicators.find((v) => v.indicator.id === id);
    const rows = [...state.communes];
    if (state.sortBy) {
      rows.sort((a, b) => {
        const x = valueOf(a, state.sortBy)?.value;
        const y = valueOf(b, state.sortBy)?.value;
        if (x === null || x === undefined) return 1;
        if (y === null || y === undefined) return -1;
        return state.sortDesc ? y - x : x - y;
      });
    }
    $('#commune-table tbody').replaceChildren(...rows.map((c) =>
      el('tr', { 'data-commune': c.code },
        el('td', {}, el('a', { class: 'commune', onclick: () => showCommune(c.code) }, `${c.name} (${c.code})`)),
        ...ids.map((id) => {
          const v = valueOf(c, id);
          return el('td', { class: `num ${v ? v.status : 'NO_DATA'}`, 'data-indicator': id, 'data-value': v && v.value !== null ? String(v.value) : '' }, fmt(v?.value));
        }),
      ),
    ));
  }

  function sortCommunes(id) {
    state.sortDesc = state.sortBy === id ? !state.sortDesc : true;
    state.sortBy = id;
    renderCommunes();
  }

  async function showCommune(code) {
    const period = $('#period').value.trim();
    const data = await run('DashboardCommune', { code, period, ...periodSpan(period) });
    const c = data.commune;
    $('#commune-detail').hidden = false;
    $('#communeName').textContent = `${c.name} (${c.code}) — ${c.province.name}`;
    $('#commune-indicators tbody').replaceChildren(...c.period.indicators.map((v) =>
      el('tr', { 'data-indicator': v.indicator.id }, el('td', {}, `${v.indicator.id}. ${indicatorName(v.indicator.id)}`), el('td', { class: 'num' }, fmt(v.value)), el('td', {}, statusBadge(v.status))),
    ));
    const figures = TEXT[state.lang].figures;
    $('#commune-figures tbody').replaceChildren(...Object.keys(figures).map((k) =>
      el('tr', { 'data-figure': k }, el('td', {}, figures[k]), el('td', { class: 'num' }, fmt(c.period[k]))),
    ));
    drawTrend('communeChart', c.periods, $('#trendIndicator').value);
    $('#commune-detail').scrollIntoView();
  }

  async function load() {
    if (!state.token) return showLogin();
    const period = $('#period').value.trim();
    $('#status').textContent = t('loading');
    try {
      const [province, communes] = await Promise.all([
        run('DashboardProvince', { province: state.province, period, ...periodSpan(period) }),
        run('DashboardCommunes', { province: state.province, period }),
      ]);
      renderProvince(province, period);
      state.communes = communes.communes.items;
      renderCommunes();
      $('#main').hidden = false;
      $('#status').textContent = '';
      document.body.dataset.loaded = 'true';
    } catch (err) {
      $('#status').textContent = `${t('error')}: ${err.message}`;
    }
  }

  function showLogin() {
    $('#login').hidden = false;
    $('#main').hidden = true;
  }

  $('#saveToken').addEventListener('click', () => {
    state.token = $('#token').value.trim();
    localStorage.setItem('pcmt.token', state.token);
    $('#login').hidden = true;
    load();
  });
  $('#reload').addEventListener('click', load);
  $('#lang').addEventListener('click', () => {
    state.lang = state.lang === 'vi' ? 'en' : 'vi';
    applyLanguage();
    load();
  });
  $('#trendIndicator').addEventListener('change', (e) => drawTrend('trendChart', state.trend, e.target.value));
  if (params.get('period')) $('#period').value = params.get('period');
  applyLanguage();
  load();
})();
