// Steering-committee dashboard: every figure on this page comes from the registered operations of
// schema/operations/dashboard.graphql, sent to the gateway by document id (their ids, from the generated
// clients/dashboard/persisted-documents.json, at /dashboard/operations.json) with the viewer's token.
// Words and formats come from dashboard.i18n.js; the Excel export is built from the same state as the screen.
(function () {
  'use strict';

  // The dashboard's own key: a token saved in the explorer must not open the dashboard.
  const TOKEN_KEY = 'pcmt.dashboard.token';
  const params = new URLSearchParams(location.search);
  const state = {
    lang: params.get('lang') === 'en' ? 'en' : 'vi',
    token: params.get('token') || localStorage.getItem(TOKEN_KEY) || '',
    // Null until the caller's provinces are known: several open the national view, one its province.
    province: params.get('province') || null,
    view: params.get('province') ? 'province' : params.get('view') === 'national' ? 'national' : null,
    provinceList: null,
    national: null,
    rankBy: params.get('indicator') || null,
    rankOrder: null,
    indicators: [],
    provinceData: null,
    communes: [],
    detail: null,
    sortBy: 'value',
    sortDesc: true,
    loadedAt: null,
    period: null,
    charts: {},
  };
  let L = window.PCMT_I18N.make(state.lang);
  let documentIds = null;

  const $ = (sel) => document.querySelector(sel);
  const t = (key) => L.t(key);
  const isChange = (def) => def && def.unit === 'PERCENT_CHANGE';
  const def = (id) => state.indicators.find((i) => i.id === id);
  const indicatorName = (id) => {
    const i = def(id);
    return i ? (state.lang === 'vi' ? i.nameVi : i.nameEn) : id;
  };
  // Text quoted from Vietnamese documents keeps lang="vi" in the English view (names of places and documents).
  const VIETNAMESE = /[ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ]/i;
  const langOf = (text) => (VIETNAMESE.test(text || '') ? 'vi' : 'en');
  // Search ignores case and Vietnamese marks: "cao bang" finds "Cao Bằng".
  const fold = (s) => String(s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase().trim();

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') node.className = v;
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v);
    }
    for (const c of children) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return node;
  }

  // ---- data -------------------------------------------------------------------------------------

  class LoadError extends Error {
    constructor(key, detail) {
      super(detail || key);
      this.key = key;
    }
  }

  async function run(operationName, variables) {
    // One request for the ids however many operations start at once; a failed one is retried next time.
    documentIds = documentIds || fetch('/dashboard/operations.json').then((r) => {
      if (!r.ok) throw new LoadError('error', 'operations.json: HTTP ' + r.status);
      return r.json();
    });
    const ids = await documentIds.catch((err) => {
      documentIds = null;
      throw err;
    });
    const documentId = ids[operationName];
    if (!documentId) throw new LoadError('error', 'no registered operation ' + operationName);
    let res;
    try {
      res = await fetch('/graphql', {
        method: 'POST',
        // Without a token the request goes on the sign-in session's cookie, if there is one.
        headers: state.token ? { 'content-type': 'application/json', authorization: 'Bearer ' + state.token } : { 'content-type': 'application/json' },
        body: JSON.stringify({ documentId, operationName, variables }),
      });
    } catch (err) {
      throw new LoadError('errNetwork', err.message);
    }
    const body = await res.json().catch(() => ({}));
    const code = body.errors?.[0]?.extensions?.code;
    if (res.status === 401 || code === 'UNAUTHENTICATED') {
      showLogin();
      throw new LoadError('errUnauthenticated', body.errors?.[0]?.message);
    }
    if (res.status === 429) throw new LoadError('errBusy');
    if (body.errors?.length && !body.data) throw new LoadError(code === 'FORBIDDEN' ? 'errForbidden' : 'error', body.errors.map((e) => e.message).join('; '));
    return body.data;
  }

  // ---- periods ----------------------------------------------------------------------------------

  function chosenPeriod() {
    const year = $('#year').value;
    const quarter = $('#quarter').value;
    const month = $('#month').value;
    if (month) return `${year}-${month.padStart(2, '0')}`;
    if (quarter) return `${year}-Q${quarter}`;
    return year;
  }

  function periodSpan(period) {
    // Trends: the five years up to the chosen one, or the quarters/months since January of the year before.
    const year = Number(period.slice(0, 4));
    if (/^\d{4}$/.test(period)) return { from: String(year - 4), to: period };
    if (/Q/.test(period)) return { from: `${year - 1}-Q1`, to: period };
    return { from: `${year - 1}-01`, to: period };
  }

  /** Last day of a period, YYYY-MM-DD. */
  function periodEnd(period) {
    const year = Number(period.slice(0, 4));
    let month = 12;
    const q = /-Q([1-4])$/.exec(period);
    const m = /-(\d{2})$/.exec(period);
    if (q) month = Number(q[1]) * 3;
    else if (m) month = Number(m[1]);
    const last = new Date(Date.UTC(year, month, 0));
    return last.toISOString().slice(0, 10);
  }

  function fillPeriodPicker(initial) {
    const now = new Date();
    const thisYear = now.getFullYear();
    const m = /^(\d{4})(?:-Q([1-4])|-(\d{2}))?$/.exec(initial || '') || [];
    const year = m[1] || String(thisYear - 1);
    const years = [];
    for (let y = Math.max(thisYear, Number(year)); y >= 2020; y--) years.push(String(y));
    $('#year').replaceChildren(...years.map((y) => el('option', { value: y }, y)));
    $('#year').value = year;
    renderPeriodOptions();
    $('#quarter').value = m[2] || (m[3] ? String(Math.ceil(Number(m[3]) / 3)) : '');
    renderMonthOptions();
    $('#month').value = m[3] ? String(Number(m[3])) : '';
  }

  function renderPeriodOptions() {
    const q = $('#quarter').value;
    $('#quarter').replaceChildren(el('option', { value: '' }, t('wholeYear')), ...[1, 2, 3, 4].map((n) => el('option', { value: String(n) }, L.quarterName(n))));
    $('#quarter').value = q;
    renderMonthOptions();
  }

  function renderMonthOptions() {
    // Months of the chosen quarter only, so the picker never names a month outside it.
    const q = Number($('#quarter').value);
    const chosen = $('#month').value;
    const months = q ? [q * 3 - 2, q * 3 - 1, q * 3] : [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    $('#month').replaceChildren(el('option', { value: '' }, q ? t('wholeQuarter') : t('wholeYear')), ...months.map((n) => el('option', { value: String(n) }, L.monthName(n))));
    $('#month').value = months.includes(Number(chosen)) ? chosen : '';
  }

  // ---- formatting of one value ------------------------------------------------------------------

  function valueText(v, d) {
    if (!v) return t('noValue');
    if (v.suppressed) return t('withheld');
    if (v.status === 'NOT_APPLICABLE') return t('NOT_APPLICABLE');
    if (v.value === null || v.value === undefined) return t('noValue');
    return L.percent(v.value, isChange(d));
  }

  /** "≥ 80 %", "trên 80 %", "giảm" (a change below 0), or no target for a context figure; the province's own plan's comparator first. */
  function targetText(d, target, v) {
    if (!d) return '—';
    const comparator = v?.targetSource?.comparator ?? d.comparator;
    const value = target ?? d.target;
    if (comparator === 'NONE') return t('contextTarget');
    if (isChange(d) && value === 0 && (comparator === 'BELOW' || comparator === 'ABOVE')) return t(comparator === 'BELOW' ? 'fall' : 'rise');
    return `${t(comparator)} ${L.percent(value, isChange(d))}`;
  }

  /** The province's own plan by its document's name, number, issuer and date; else the catalogue's source. */
  function sourceText(v, d) {
    const plan = v?.targetSource?.plan;
    if (!plan) return citeSource(v?.targetSource?.citation ?? d?.source);
    const number = plan.documentNumber ? `${t('documentNo')} ${plan.documentNumber}` : null;
    return `${plan.title} (${[number, plan.issuer, plan.documentDate ? L.date(plan.documentDate) : null].filter(Boolean).join(', ')})`;
  }

  /**
   * A definition reads "How it is computed. Seed: «the plan's words» (document)": the Vietnamese
   * view quotes the plan's own words, the English view says how it is computed.
   */
  function definitionText(d) {
    const m = /^([\s\S]*?)\.?\s*Seed:\s*«([\s\S]*)»\s*(?:\(([\s\S]*)\))?\s*$/.exec(d?.definition || '');
    if (!m) return d?.definition ? el('small', { class: 'definition', lang: langOf(d.definition) }, d.definition) : null;
    return state.lang === 'vi'
      ? el('small', { class: 'definition', lang: 'vi' }, `${t('seedLine')}: «${m[2]}»`)
      : el('small', { class: 'definition', lang: 'en' }, m[1]);
  }

  /** Sources name documents, not the project's internal numbers of the seed files ("004 — …"). */
  const citeSource = (source) => String(source || '').replace(/(^|;\s*)\d{3}\s+—\s+/g, '$1');

  function statusBadge(status) {
    return el('span', { class: `status ${status}`, 'data-status': status }, L.status(status));
  }

  // ---- reporting completeness (IndicatorValue.reporting) ------------------------------------------

  /** Each agency once, from the values of one place and period: the same closures stand behind every indicator it feeds. */
  function agencyReporting(values) {
    const out = new Map();
    for (const v of values || []) for (const r of v.reporting || []) if (!out.has(r.agency)) out.set(r.agency, r);
    return [...out.values()].sort((a, b) => a.completeness - b.completeness || a.agency.localeCompare(b.agency));
  }

  const reportedText = (r) => L.fill('reported', { agency: L.agency(r.agency), reported: r.reportedCommunes, communes: r.communes, percent: L.percent(r.completeness) });

  /** A value that rests on unreported data: some agency it reads has not closed the period everywhere. */
  const unreported = (v) => !!v && v.value !== null && v.value !== undefined && !v.suppressed && (v.reporting || []).some((r) => r.completeness < 100);

  function unreportedMark(v) {
    if (!unreported(v)) return null;
    const which = v.reporting.filter((r) => r.completeness < 100).map((r) => `${L.agency(r.agency)} ${r.reportedCommunes}/${r.communes}`).join(', ');
    return el('small', { class: 'unreported', 'data-unreported': 'true', title: t('unreportedCell') }, `⚠ ${t('unreportedMark')}: ${which}`);
  }

  /** Figures beside a value ("Còn hoạt động: 3"); only those the dictionary names, so no untranslated words. */
  function detailNotes(v) {
    return (v?.details || []).filter((x) => L.details[x.name] && x.value !== null && x.value !== undefined).map((x) =>
      el('small', { class: 'change-note', 'data-detail': x.name }, `${L.details[x.name]}: ${/Percent$/.test(x.name) ? L.percent(x.value) : L.number(x.value)}`));
  }

  /** The value as shown, rounded as on screen: what the export writes and the test compares. */
  const shownNumber = (v) => (v && !v.suppressed && v.value !== null && v.value !== undefined ? Math.round(v.value * 10) / 10 : null);

  function indicatorMatches(id) {
    const q = fold($('#indicatorSearch').value);
    if (!q) return true;
    const d = def(id);
    return [id, d?.nameVi, d?.nameEn].some((s) => fold(s).includes(q));
  }

  function communeMatches(c) {
    const q = fold($('#communeSearch').value);
    return !q || fold(c.name).includes(q) || c.code.includes(q) || fold(`${c.name} (${c.code})`) === q;
  }

  // ---- rendering --------------------------------------------------------------------------------

  function applyLanguage() {
    L = window.PCMT_I18N.make(state.lang);
    document.documentElement.lang = state.lang;
    for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
    for (const node of document.querySelectorAll('[data-i18n-placeholder]')) node.placeholder = t(node.dataset.i18nPlaceholder);
    const other = state.lang === 'vi' ? 'en' : 'vi';
    // Named in the language it switches to.
    $('#lang').textContent = t('languageSwitch');
    $('#lang').setAttribute('lang', other);
    renderPeriodOptions();
  }

  function renderAll() {
    $('#national').hidden = state.view !== 'national';
    $('#provinceView').hidden = state.view === 'national';
    // The national table has no communes to search.
    $('#communeSearch').closest('label').style.display = state.view === 'national' ? 'none' : '';
    if (state.view === 'national') return renderNational();
    renderProvince();
    renderTrendSelect();
    drawTrend('trendChart', state.provinceData?.periods || [], $('#trendIndicator').value);
    renderCommunes();
    if (state.detail) renderDetail();
  }

  function renderProvince() {
    const data = state.provinceData;
    $('#provinceName').replaceChildren(el('span', { lang: 'vi' }, data?.name ?? state.province));
    $('#periodLabel').textContent = L.period(state.period);
    $('#asOf').textContent = asOfText();
    const body = $('#indicator-table tbody');
    body.replaceChildren();
    // A commune-level account gets its communes but not the province's figures (FORBIDDEN).
    $('#backToNational').hidden = !((state.provinceList?.length ?? 0) > 1);
    const agencies = agencyReporting(data?.period?.indicators);
    $('#reporting').hidden = agencies.length === 0;
    $('#reportingList').replaceChildren(...agencies.map((r) =>
      el('li', { 'data-agency': r.agency, 'data-reported': String(r.reportedCommunes), 'data-communes': String(r.communes), class: r.completeness < 100 ? 'incomplete' : null }, reportedText(r))));
    $('#unreportedNote').hidden = true;
    if (!data?.period) {
      body.append(el('tr', { id: 'province-outside-area' }, el('td', { colspan: '6' }, t('provinceOutsideArea'))));
      return;
    }
    let withheld = false;
    const rows = data.period.indicators.filter((v) => indicatorMatches(v.indicator.id));
    for (const v of rows) {
      const d = def(v.indicator.id);
      withheld ||= v.suppressed;
      body.append(
        el('tr', { 'data-indicator': v.indicator.id },
          el('td', { 'data-label': t('indicator'), class: 'name' },
            el('strong', {}, indicatorName(v.indicator.id)), ' ', el('small', { class: 'code' }, v.indicator.id),
            definitionText(d)),
          el('td', { 'data-label': t('value'), class: 'num value', 'data-value': shownNumber(v) === null ? '' : String(shownNumber(v)) },
            valueText(v, d), isChange(d) && shownNumber(v) !== null ? el('small', { class: 'change-note' }, t('changeNote')) : null, ...detailNotes(v), unreportedMark(v)),
          el('td', { 'data-label': t('target'), class: 'num' }, targetText(d, v.target, v)),
          el('td', { 'data-label': t('status') }, statusBadge(v.status)),
          el('td', { 'data-label': t('deadline') }, L.date(v.targetSource?.deadline ?? d?.deadline)),
          el('td', { 'data-label': t('source') }, el('small', { class: 'source', lang: langOf(sourceText(v, d)) }, sourceText(v, d))),
        ),
      );
    }
    if (!rows.length) body.append(el('tr', {}, el('td', { colspan: '6' }, t('noMatch'))));
    $('#withheldNote').hidden = !withheld;
    $('#withheldNote').textContent = t('withheldNote');
    $('#unreportedNote').hidden = !rows.some(unreported);
    $('#unreportedNote').textContent = t('unreportedNote');
  }

  // ---- national view: provinces × indicators, ranked on one ----------------------------------------

  const provinceIndicatorIds = () => state.indicators.filter((i) => i.levels.includes('PROVINCE')).map((i) => i.id);
  // Better first: high values for "at least/above" targets, low ones for "at most/below" (falls).
  const defaultOrder = (d) => (d && (d.comparator === 'BELOW' || d.comparator === 'AT_MOST') ? 'asc' : 'desc');

  /**
   * Provinces ranked on one indicator by the value as shown: no data and withheld last (by name),
   * equal values share a rank (1, 2, 2, 4). The graph cannot sort them: see README "National view".
   */
  function rankedProvinces(id, order) {
    const rows = (state.national || []).map((p) => ({ p, v: p.period?.indicators.find((x) => x.indicator.id === id) ?? null }));
    const n = (row) => shownNumber(row.v);
    rows.sort((a, b) => {
      const x = n(a);
      const y = n(b);
      if (x === null || y === null) return x === null && y === null ? a.p.name.localeCompare(b.p.name, 'vi') : x === null ? 1 : -1;
      return (order === 'asc' ? x - y : y - x) || a.p.name.localeCompare(b.p.name, 'vi');
    });
    rows.forEach((row, i) => {
      const prev = rows[i - 1];
      row.rank = n(row) === null ? null : prev && n(prev) === n(row) ? prev.rank : i + 1;
    });
    return rows;
  }

  function nationalCell(v, id) {
    const d = def(id);
    return el('td', { class: 'num cell', 'data-indicator': id, 'data-value': shownNumber(v) === null ? '' : String(shownNumber(v)) },
      el('span', { class: 'value' }, valueText(v, d)), unreported(v) ? el('span', { class: 'mark', title: t('unreportedCell'), 'aria-label': t('unreportedCell') }, ' ⚠') : null,
      ' ', statusBadge(v ? v.status : 'NO_DATA'));
  }

  function renderNational() {
    const ids = provinceIndicatorIds();
    const shown = ids.filter(indicatorMatches);
    const rankSelect = $('#rankIndicator');
    if (!ids.includes(state.rankBy)) state.rankBy = ids[0] ?? null;
    rankSelect.replaceChildren(...ids.map((id) => el('option', { value: id }, `${indicatorName(id)} (${id})`)));
    rankSelect.value = state.rankBy ?? '';
    const order = state.rankOrder || defaultOrder(def(state.rankBy));
    $('#rankOrder').replaceChildren(el('option', { value: 'desc' }, t('rankDesc')), el('option', { value: 'asc' }, t('rankAsc')));
    $('#rankOrder').value = order;
    $('#indicatorList').replaceChildren(...state.indicators.map((i) => el('option', { value: indicatorName(i.id) })));
    $('#nationalPeriodLabel').textContent = L.period(state.period);
    $('#nationalAsOf').textContent = asOfText();
    $('#rankTitle').textContent = state.rankBy ? `${t('rankedOn')}: ${indicatorName(state.rankBy)} (${t(order === 'asc' ? 'rankAsc' : 'rankDesc').toLowerCase()})` : '';
    // The ranked indicator first, then the others the indicator search leaves.
    const columns = [state.rankBy, ...shown.filter((id) => id !== state.rankBy)].filter(Boolean);
    $('#national-table thead').replaceChildren(el('tr', {},
      el('th', { class: 'num' }, t('rank')), el('th', {}, t('province')),
      ...columns.map((id, k) => el('th', { class: `num${k === 0 ? ' ranked' : ' other'}`, 'data-indicator': id, title: id }, indicatorName(id))),
      el('th', { class: 'reporting-col' }, t('reportingLowest'))));
    let incomplete = false;
    $('#national-table tbody').replaceChildren(...rankedProvinces(state.rankBy, order).map(({ p, rank }) => {
      const values = p.period?.indicators || [];
      const lowest = agencyReporting(values)[0];
      incomplete ||= columns.some((id) => unreported(values.find((x) => x.indicator.id === id)));
      return el('tr', { 'data-province': p.code, 'data-rank': rank === null ? '' : String(rank) },
        el('td', { class: 'num rank' }, rank === null ? '—' : String(rank)),
        el('td', { class: 'name' }, el('a', { class: 'province', href: `?province=${p.code}`, lang: 'vi', onclick: (e) => { e.preventDefault(); openProvince(p.code); } }, p.name), ' ', el('small', { class: 'code' }, p.code),
          // On a phone the reporting column folds under the name.
          lowest ? el('small', { class: 'reporting-low' }, reportedText(lowest)) : null),
        ...columns.map((id, k) => {
          const cell = nationalCell(values.find((x) => x.indicator.id === id), id);
          cell.classList.add(k === 0 ? 'ranked' : 'other');
          return cell;
        }),
        el('td', { class: 'reporting-col', title: agencyReporting(values).map(reportedText).join('\n') }, lowest ? reportedText(lowest) : '—'));
    }));
    $('#nationalUnreportedNote').hidden = !incomplete;
    $('#nationalUnreportedNote').textContent = t('unreportedNote');
  }

  function asOfText() {
    const today = new Date().toISOString().slice(0, 10);
    const end = periodEnd(state.period);
    return `${t('dataAsOf')} ${L.date(end < today ? end : today)} (${t('computedAt')} ${L.dateTime(state.loadedAt)})`;
  }

  /** From the national table to today's province view, the ranked indicator chosen in it. */
  function openProvince(code) {
    state.province = code;
    state.view = 'province';
    state.detail = null;
    if (state.rankBy) params.set('indicator', state.rankBy);
    $('#trendIndicator').replaceChildren();
    $('#commune-detail').hidden = true;
    load();
  }

  function openNational() {
    state.province = null;
    state.view = 'national';
    state.detail = null;
    const chosen = $('#trendIndicator').value;
    if (chosen && provinceIndicatorIds().includes(chosen)) state.rankBy = chosen;
    load();
  }

  function renderTrendSelect() {
    const select = $('#trendIndicator');
    const chosen = select.value || params.get('indicator') || '';
    const ids = state.indicators.map((i) => i.id).filter(indicatorMatches);
    select.replaceChildren(...ids.map((id) => el('option', { value: id }, `${indicatorName(id)} (${id})`)));
    if (ids.includes(chosen)) select.value = chosen;
    $('#indicatorList').replaceChildren(...state.indicators.map((i) => el('option', { value: indicatorName(i.id) })));
    $('#trendTitle').textContent = select.value ? indicatorName(select.value) : '';
  }

  function drawTrend(canvasId, periods, indicatorId) {
    state.charts[canvasId]?.destroy();
    delete state.charts[canvasId];
    if (!window.Chart || !indicatorId || !periods.length) return;
    const d = def(indicatorId);
    const values = periods.map((p) => shownNumber(p.indicators.find((i) => i.indicator.id === indicatorId)));
    const current = state.provinceData?.period?.indicators.find((v) => v.indicator.id === indicatorId);
    state.charts[canvasId] = new window.Chart(document.getElementById(canvasId), {
      type: 'line',
      data: {
        labels: periods.map((p) => L.period(p.period)),
        datasets: [
          { label: t('value'), data: values, borderColor: '#8b1e1e', backgroundColor: '#8b1e1e', spanGaps: true, borderWidth: 2 },
          { label: `${t('target')} ${targetText(d, current?.target, current)}`, data: periods.map(() => (d && d.comparator !== 'NONE' ? current?.target ?? d.target : null)), borderColor: '#2d6a4f', backgroundColor: '#2d6a4f', borderDash: [6, 4], pointRadius: 0, borderWidth: 2 },
        ],
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        locale: state.lang === 'vi' ? 'vi-VN' : 'en-GB',
        scales: { y: { ticks: { callback: (v) => L.percent(v, isChange(d)) } } },
        plugins: {
          legend: { position: 'bottom' },
          tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label}: ${ctx.parsed.y === null ? t('noValue') : L.percent(ctx.parsed.y, isChange(d))}` } },
        },
      },
    });
  }

  function renderCommunes() {
    const id = $('#trendIndicator').value;
    const d = def(id);
    $('#communeIndicatorName').textContent = id ? indicatorName(id) : '';
    $('#communeTarget').textContent = d ? `${t('target')}: ${targetText(d)}` : '';
    const arrow = (key) => (state.sortBy === key ? (state.sortDesc ? ' ▼' : ' ▲') : '');
    $('#commune-table thead').replaceChildren(el('tr', {},
      el('th', { class: 'sortable', 'data-sort': 'name', onclick: () => sortCommunes('name') }, t('commune') + arrow('name')),
      el('th', { class: 'sortable num', 'data-sort': 'value', onclick: () => sortCommunes('value') }, t('value') + arrow('value')),
      el('th', { class: 'num target' }, t('target')),
      el('th', { class: 'sortable', 'data-sort': 'status', onclick: () => sortCommunes('status') }, t('status') + arrow('status')),
    ));
    const valueOf = (c) => c.period.indicators.find((v) => v.indicator.id === id);
    const rows = state.communes.filter(communeMatches);
    const order = { MET: 0, ON_TRACK: 1, OFF_TRACK: 2, CONTEXT: 3, NO_DATA: 4, NOT_APPLICABLE: 5 };
    rows.sort((a, b) => {
      if (state.sortBy === 'name') return (state.sortDesc ? -1 : 1) * a.name.localeCompare(b.name, 'vi');
      if (state.sortBy === 'status') return (state.sortDesc ? -1 : 1) * ((order[valueOf(a)?.status] ?? 9) - (order[valueOf(b)?.status] ?? 9));
      const x = shownNumber(valueOf(a));
      const y = shownNumber(valueOf(b));
      if (x === null) return y === null ? 0 : 1;
      if (y === null) return -1;
      return state.sortDesc ? y - x : x - y;
    });
    $('#communeList').replaceChildren(...state.communes.map((c) => el('option', { value: c.name })));
    $('#commune-table tbody').replaceChildren(...rows.map((c) => {
      const v = valueOf(c);
      return el('tr', { 'data-commune': c.code },
        el('td', {}, el('a', { class: 'commune', href: '#commune-detail', lang: 'vi', onclick: (e) => { e.preventDefault(); showCommune(c.code); } }, c.name), ' ', el('small', { class: 'code' }, c.code)),
        el('td', { class: 'num', 'data-indicator': id, 'data-value': shownNumber(v) === null ? '' : String(shownNumber(v)) }, valueText(v, d)),
        el('td', { class: 'num target' }, v ? targetText(d, v.target, v) : '—'),
        el('td', {}, statusBadge(v ? v.status : 'NO_DATA')),
      );
    }));
    if (!rows.length) $('#commune-table tbody').append(el('tr', {}, el('td', { colspan: '4' }, t('noMatch'))));
    renderMap(id, d);
  }

  // ---- map --------------------------------------------------------------------------------------

  /** The choropleth of dashboard.map.js: each commune's shape filled by the chosen indicator's value. */
  function renderMap(id, d) {
    window.PCMT_MAP.draw({
      svg: $('#communeMap'),
      legend: $('#mapLegend'),
      note: $('#mapNote'),
      boundaries: state.boundaries,
      title: `${t('mapTitle')}: ${id ? indicatorName(id) : ''}`,
      communes: state.communes.map((c) => {
        const v = c.period.indicators.find((x) => x.indicator.id === id);
        const status = v ? v.status : 'NO_DATA';
        return { code: c.code, name: c.name, value: shownNumber(v), withheld: !!v?.suppressed, status, dimmed: !communeMatches(c), text: `${c.name} (${c.code}): ${valueText(v, d)} — ${L.status(status)}` };
      }),
      format: (x) => L.percent(x, isChange(d)),
      t,
      onOpen: showCommune,
    });
  }

  function sortCommunes(key) {
    state.sortDesc = state.sortBy === key ? !state.sortDesc : key !== 'name';
    state.sortBy = key;
    renderCommunes();
  }

  async function showCommune(code) {
    $('#status').textContent = t('loading');
    try {
      const data = await run('DashboardCommune', { code, period: state.period, ...periodSpan(state.period) });
      state.detail = data.commune;
      $('#status').textContent = '';
      renderDetail();
      $('#commune-detail').scrollIntoView();
    } catch (err) {
      showError(err);
    }
  }

  function renderDetail() {
    const c = state.detail;
    $('#commune-detail').hidden = false;
    $('#communeName').replaceChildren(el('span', { lang: 'vi' }, `${c.name} — ${c.province.name}`), ' ', el('small', { class: 'code' }, c.code),
      el('button', { type: 'button', class: 'close no-print', onclick: () => { state.detail = null; $('#commune-detail').hidden = true; } }, t('close')));
    $('#commune-indicators thead').replaceChildren(el('tr', {}, el('th', {}, t('indicator')), el('th', { class: 'num' }, t('value')), el('th', { class: 'num' }, t('target')), el('th', {}, t('status'))));
    $('#commune-indicators tbody').replaceChildren(...c.period.indicators.filter((v) => indicatorMatches(v.indicator.id)).map((v) => {
      const d = def(v.indicator.id);
      return el('tr', { 'data-indicator': v.indicator.id },
        el('td', { 'data-label': t('indicator'), class: 'name' }, indicatorName(v.indicator.id), ' ', el('small', { class: 'code' }, v.indicator.id)),
        el('td', { 'data-label': t('value'), class: 'num', 'data-value': shownNumber(v) === null ? '' : String(shownNumber(v)) }, valueText(v, d), unreportedMark(v)),
        el('td', { 'data-label': t('target'), class: 'num' }, targetText(d, v.target, v)),
        el('td', { 'data-label': t('status') }, statusBadge(v.status)));
    }));
    $('#commune-figures tbody').replaceChildren(...Object.keys(L.figures).map((k) =>
      el('tr', { 'data-figure': k }, el('td', {}, L.figures[k]), el('td', { class: 'num' }, c.period[k] === null || c.period[k] === undefined ? '—' : L.number(c.period[k]))),
    ));
    drawTrend('communeChart', c.periods, $('#trendIndicator').value);
  }

  // ---- loading ----------------------------------------------------------------------------------

  async function load() {
    const period = chosenPeriod();
    $('#status').textContent = t('loading');
    delete document.body.dataset.loaded;
    try {
      // The provinces the caller sees: asked once, beside the province's figures when one is named.
      const list = state.provinceList ? Promise.resolve(state.provinceList) : run('DashboardProvinces', {}).then((d) => (state.provinceList = d.provinces));
      if (!state.province) {
        const provinces = await list;
        if (provinces.length > 1) state.view = 'national';
        // One province (or a commune-level account, which lists none): that province's view, as before.
        else state.province = provinces[0]?.code ?? '04';
      }
      if (state.view !== 'national') state.view = 'province';
      if (state.view === 'national') {
        const national = await run('DashboardNational', { period });
        state.indicators = national.indicators;
        state.national = national.provinces;
        state.provinceData = null;
        state.communes = [];
      } else {
        const [province, communes] = await Promise.all([
          run('DashboardProvince', { province: state.province, period, ...periodSpan(period) }),
          run('DashboardCommunes', { province: state.province, period }),
          list,
        ]);
        state.indicators = province.indicators;
        state.provinceData = province.province;
        state.communes = communes.communes.items;
        // The map's shapes before the page says it is loaded; without them the table still shows.
        state.boundaries = await window.PCMT_MAP.load(state.province, state.communes.map((c) => c.code)).catch(() => null);
        if (state.detail) {
          const detail = await run('DashboardCommune', { code: state.detail.code, period, ...periodSpan(period) });
          state.detail = detail.commune;
        }
      }
      state.period = period;
      state.loadedAt = new Date();
      renderAll();
      $('#main').hidden = false;
      $('#status').textContent = '';
      const url = new URL(location.href);
      url.searchParams.set('period', period);
      url.searchParams.set('lang', state.lang);
      if (state.view === 'national') {
        url.searchParams.delete('province');
        url.searchParams.set('view', 'national');
        if (state.rankBy) url.searchParams.set('indicator', state.rankBy);
      } else {
        url.searchParams.set('province', state.province);
        url.searchParams.delete('view');
      }
      history.replaceState(null, '', url);
      document.body.dataset.loaded = 'true';
    } catch (err) {
      showError(err);
    }
  }

  function showError(err) {
    // No token and no session yet: the sign-in box is the whole answer.
    if (err.key === 'errUnauthenticated' && !state.token) return void $('#status').replaceChildren();
    $('#status').replaceChildren(el('strong', {}, t(err.key || 'error')), ' ', err.key === 'error' || !err.key ? t('retry') : '');
    if (err.message) $('#status').title = err.message;
  }

  function showLogin() {
    $('#login').hidden = false;
    $('#main').hidden = true;
  }

  // Who is signed in (the session cookie is httpOnly: the page asks the gateway), with a sign-out link.
  fetch('/auth/me')
    .then((r) => (r.ok ? r.json() : null))
    .then((me) => {
      if (!me || !me.signedIn) return;
      $('#signedInName').textContent = me.name || me.sub;
      $('#signedIn').hidden = false;
    })
    .catch(() => {});

  // ---- export -----------------------------------------------------------------------------------

  let excelLoading = null;
  function loadExcel() {
    // 860 kB: fetched only when someone exports.
    excelLoading = excelLoading || new Promise((resolve, reject) => {
      const script = el('script', { src: '/vendor/exceljs.min.js' });
      script.onload = () => resolve(window.ExcelJS);
      script.onerror = () => {
        excelLoading = null;
        reject(new LoadError('error', 'exceljs'));
      };
      document.head.append(script);
    });
    return excelLoading;
  }

  /** The current view as a workbook: the same rows, filters, words and rounding as the screen. */
  async function exportExcel() {
    const ExcelJS = await loadExcel();
    const book = new ExcelJS.Workbook();
    book.creator = 'PCMT';
    const heading = (sheet, title, columns) => {
      sheet.addRow([title]).font = { bold: true, size: 13 };
      sheet.addRow([`${t('province')} ${state.provinceData?.name ?? state.province} — ${L.period(state.period)}`]);
      sheet.addRow([$('#asOf').textContent]);
      sheet.addRow([]);
      const head = sheet.addRow(columns);
      head.font = { bold: true };
      head.eachCell((cell) => { cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEEF1F6' } }; });
      sheet.views = [{ state: 'frozen', ySplit: 5 }];
    };
    // Excel number formats: the sign and unit as on screen; literal text is quoted.
    const numFormat = (d) => (isChange(d) ? '"+"0.0" %";"−"0.0" %";0" %"' : '0.0" %"');
    const valueCell = (row, col, v, d) => {
      const n = shownNumber(v);
      const cell = row.getCell(col);
      cell.value = n === null ? valueText(v, d) : n;
      if (n !== null) cell.numFmt = numFormat(d);
    };

    if (state.view === 'national') {
      const order = state.rankOrder || defaultOrder(def(state.rankBy));
      const ids = [state.rankBy, ...provinceIndicatorIds().filter((id) => id !== state.rankBy && indicatorMatches(id))].filter(Boolean);
      const sheet = book.addWorksheet(t('sheetNational'));
      sheet.addRow([t('title')]).font = { bold: true, size: 13 };
      sheet.addRow([`${t('nationalTitle')} — ${L.period(state.period)} — ${t('rankedOn')}: ${indicatorName(state.rankBy)}`]);
      sheet.addRow([$('#nationalAsOf').textContent]);
      sheet.addRow([]);
      const head = sheet.addRow([t('rank'), t('province'), t('code'), ...ids.flatMap((id) => [`${indicatorName(id)} (${id})`, `${t('status')} (${id})`]), t('reportingLowest')]);
      head.font = { bold: true };
      sheet.views = [{ state: 'frozen', ySplit: 5 }];
      for (const { p, rank } of rankedProvinces(state.rankBy, order)) {
        const values = p.period?.indicators || [];
        const row = sheet.addRow([rank ?? '—', p.name, p.code]);
        ids.forEach((id, k) => {
          const v = values.find((x) => x.indicator.id === id);
          valueCell(row, 4 + 2 * k, v, def(id));
          row.getCell(5 + 2 * k).value = L.status(v ? v.status : 'NO_DATA');
        });
        const lowest = agencyReporting(values)[0];
        row.getCell(4 + 2 * ids.length).value = lowest ? reportedText(lowest) : '—';
      }
      sheet.columns.forEach((col, i) => { col.width = i === 0 ? 8 : i === 1 ? 22 : i === 2 ? 8 : 18; });
      return download(book, `PCMT-national-${state.period}-${state.lang}.xlsx`);
    }

    const ind = book.addWorksheet(t('sheetIndicators'));
    heading(ind, t('title'), [t('indicator'), t('code'), t('value'), t('target'), t('status'), t('deadline'), t('source'), t('definition')]);
    for (const v of (state.provinceData?.period?.indicators || []).filter((x) => indicatorMatches(x.indicator.id))) {
      const d = def(v.indicator.id);
      const row = ind.addRow([indicatorName(v.indicator.id), v.indicator.id, null, targetText(d, v.target, v), L.status(v.status), L.date(v.targetSource?.deadline ?? d?.deadline), sourceText(v, d), definitionText(d)?.textContent ?? '']);
      valueCell(row, 3, v, d);
    }
    ind.columns.forEach((col, i) => { col.width = [48, 8, 14, 14, 26, 12, 60, 60][i]; });

    const com = book.addWorksheet(t('sheetCommunes'));
    const ids = state.indicators.filter((i) => i.levels.includes('COMMUNE') && indicatorMatches(i.id)).map((i) => i.id);
    heading(com, `${t('communes')}`, [t('commune'), t('communeCode'), ...ids.flatMap((id) => [`${indicatorName(id)} (${id})`, `${t('status')} (${id})`])]);
    for (const c of state.communes.filter(communeMatches)) {
      const row = com.addRow([c.name, c.code]);
      ids.forEach((id, k) => {
        const v = c.period.indicators.find((x) => x.indicator.id === id);
        valueCell(row, 3 + 2 * k, v, def(id));
        row.getCell(4 + 2 * k).value = L.status(v ? v.status : 'NO_DATA');
      });
    }
    com.columns.forEach((col, i) => { col.width = i === 0 ? 24 : i === 1 ? 10 : i % 2 === 0 ? 16 : 22; });

    if (state.detail) {
      const c = state.detail;
      const det = book.addWorksheet(t('sheetCommune'));
      heading(det, `${c.name} (${c.code})`, [t('indicator'), t('code'), t('value'), t('target'), t('status')]);
      for (const v of c.period.indicators.filter((x) => indicatorMatches(x.indicator.id))) {
        const d = def(v.indicator.id);
        const row = det.addRow([indicatorName(v.indicator.id), v.indicator.id, null, targetText(d, v.target, v), L.status(v.status)]);
        valueCell(row, 3, v, d);
      }
      det.addRow([]);
      for (const k of Object.keys(L.figures)) det.addRow([L.figures[k], null, c.period[k] ?? '—']);
      det.columns.forEach((col, i) => { col.width = [48, 8, 14, 14, 26][i] || 12; });
    }

    return download(book, `PCMT-${state.province}-${state.period}-${state.lang}.xlsx`);
  }

  async function download(book, name) {
    const buffer = await book.xlsx.writeBuffer();
    const blob = new Blob([buffer], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
    const link = el('a', { href: URL.createObjectURL(blob), download: name });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  }

  // ---- events -----------------------------------------------------------------------------------

  $('#saveToken').addEventListener('click', () => {
    state.token = $('#token').value.trim();
    localStorage.setItem(TOKEN_KEY, state.token);
    $('#login').hidden = true;
    load();
  });
  $('#filters').addEventListener('submit', (e) => {
    e.preventDefault();
    load();
  });
  $('#quarter').addEventListener('change', renderMonthOptions);
  $('#lang').addEventListener('click', () => {
    state.lang = state.lang === 'vi' ? 'en' : 'vi';
    applyLanguage();
    if (!state.period) return load();
    renderAll();
    const url = new URL(location.href);
    url.searchParams.set('lang', state.lang);
    history.replaceState(null, '', url);
  });
  $('#indicatorSearch').addEventListener('input', () => state.period && renderAll());
  $('#rankIndicator').addEventListener('change', (e) => {
    state.rankBy = e.target.value;
    state.rankOrder = null;
    renderNational();
    const url = new URL(location.href);
    url.searchParams.set('indicator', state.rankBy);
    history.replaceState(null, '', url);
  });
  $('#rankOrder').addEventListener('change', (e) => {
    state.rankOrder = e.target.value;
    renderNational();
  });
  $('#backToNational a').addEventListener('click', (e) => {
    e.preventDefault();
    openNational();
  });
  $('#communeSearch').addEventListener('input', () => state.period && state.view !== 'national' && renderCommunes());
  $('#trendIndicator').addEventListener('change', (e) => {
    $('#trendTitle').textContent = indicatorName(e.target.value);
    drawTrend('trendChart', state.provinceData?.periods || [], e.target.value);
    renderCommunes();
    if (state.detail) drawTrend('communeChart', state.detail.periods, e.target.value);
  });
  $('#print').addEventListener('click', () => window.print());
  $('#export').addEventListener('click', () => exportExcel().catch(showError));
  // Charts redraw at the printed width, then back.
  window.addEventListener('beforeprint', () => Object.values(state.charts).forEach((c) => c.resize()));
  window.addEventListener('afterprint', () => Object.values(state.charts).forEach((c) => c.resize()));

  applyLanguage();
  fillPeriodPicker(params.get('period'));
  load();
})();
