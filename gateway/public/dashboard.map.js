// The dashboard's choropleth of communes: each commune's shape (the province's imported boundaries,
// or shapes the gateway generates for a synthetic province) filled by the chosen indicator's value.
// Drawn with d3-geo into the page's SVG; words come from dashboard.i18n.js through the caller's `t`.
(function () {
  'use strict';

  const SVG = 'http://www.w3.org/2000/svg';
  // ColorBrewer "Blues", five classes: readable in grey print, distinct from the grey of no data.
  const PALETTE = ['#c6dbef', '#9ecae1', '#6baed6', '#3182bd', '#08519c'];
  const NO_DATA = '#eceff3';
  const HATCH = 'url(#mapHatch)';

  const cache = new Map();

  /**
   * The province's boundaries: the imported file, else shapes generated from the codes listed (the
   * gateway ignores them when a file is imported). One request per province and list.
   */
  function load(province, codes) {
    if (!codes.length) return Promise.resolve(null);
    const sorted = [...codes].sort();
    const url = `/dashboard/boundaries/${encodeURIComponent(province)}.geojson?communes=${sorted.join(',')}`;
    if (!cache.has(url)) {
      cache.set(url, fetch(url).then((r) => {
        if (!r.ok) throw new Error(`boundaries: HTTP ${r.status}`);
        return r.json();
      }).catch((err) => {
        cache.delete(url);
        throw err;
      }));
    }
    return cache.get(url);
  }

  /** d3-geo fills the right of a ring (clockwise); RFC 7946 files wind the other way round. */
  function forD3(feature) {
    if (window.d3.geoArea(feature) <= 2 * Math.PI) return feature;
    const flip = (rings) => rings.map((r) => [...r].reverse());
    const g = feature.geometry;
    return { ...feature, geometry: { ...g, coordinates: g.type === 'Polygon' ? flip(g.coordinates) : g.coordinates.map(flip) } };
  }

  /** Equal-interval classes over the values shown (at most five, fewer when fewer values differ). */
  function classesOf(values) {
    if (!values.length) return [];
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    const k = Math.min(PALETTE.length, new Set(values).size);
    const step = (hi - lo) / k;
    const colours = k === 1 ? [PALETTE[2]] : Array.from({ length: k }, (_, i) => PALETTE[Math.round((i * (PALETTE.length - 1)) / (k - 1))]);
    return colours.map((colour, i) => ({ from: lo + i * step, to: i === k - 1 ? hi : lo + (i + 1) * step, colour, count: 0 }));
  }

  function classOf(classes, v) {
    if (!classes.length) return null;
    const lo = classes[0].from;
    const hi = classes[classes.length - 1].to;
    if (hi === lo) return classes[0];
    return classes[Math.min(classes.length - 1, Math.floor(((v - lo) / (hi - lo)) * classes.length))];
  }

  const node = (tag, attrs, ...children) => {
    const el = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null) continue;
      if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v);
    }
    for (const c of children) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return el;
  };
  const html = (tag, attrs, ...children) => {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, v);
    el.append(...children);
    return el;
  };

  /**
   * Draws the map and its legend.
   * communes: [{ code, name, value (number shown, or null), withheld, status, text (hover words), dimmed }]
   * format(value) → the value as the page writes it; t(key) → words; onOpen(code) opens a commune.
   */
  function draw({ svg, legend, note, boundaries, communes, title, format, t, onOpen }) {
    const byCode = new Map(communes.map((c) => [c.code, c]));
    const values = communes.filter((c) => !c.withheld && c.value !== null).map((c) => c.value);
    const classes = classesOf(values);
    let withheld = 0;
    let empty = 0;
    for (const c of communes) {
      if (c.withheld) withheld++;
      else if (c.value === null) empty++;
      else classOf(classes, c.value).count++;
    }
    const fillOf = (c) => (c.withheld ? HATCH : c.value === null ? NO_DATA : classOf(classes, c.value).colour);

    svg.setAttribute('aria-label', title);
    const features = (boundaries?.features || []).filter((f) => byCode.has(f.properties?.code)).map(forD3);
    const hover = readout(svg);
    if (!features.length || !window.d3) {
      svg.replaceChildren();
      svg.removeAttribute('viewBox');
      note.textContent = t('mapUnavailable');
    } else {
      const collection = { type: 'FeatureCollection', features };
      const width = 600;
      const projection = window.d3.geoMercator().fitWidth(width, collection);
      const path = window.d3.geoPath(projection);
      const [[x0, y0], [x1, y1]] = path.bounds(collection);
      svg.setAttribute('viewBox', `${(x0 - 4).toFixed(1)} ${(y0 - 4).toFixed(1)} ${(x1 - x0 + 8).toFixed(1)} ${(y1 - y0 + 8).toFixed(1)}`);
      svg.setAttribute('preserveAspectRatio', 'xMidYMid meet');
      const defs = node('defs', {},
        node('pattern', { id: 'mapHatch', patternUnits: 'userSpaceOnUse', width: '6', height: '6', patternTransform: 'rotate(45)' },
          node('rect', { width: '6', height: '6', fill: '#ffffff' }), node('line', { x1: '0', y1: '0', x2: '0', y2: '6', stroke: '#6c757d', 'stroke-width': '2.5' })));
      svg.replaceChildren(defs, ...features.map((f) => {
        const c = byCode.get(f.properties.code);
        const open = () => onOpen(c.code);
        const show = () => { hover.textContent = c.text; };
        return node('g', {
          class: `area${c.dimmed ? ' dimmed' : ''}${c.withheld ? ' withheld' : c.value === null ? ' no-data' : ''}`,
          'data-commune': c.code, 'data-status': c.status, 'data-value': c.value === null || c.withheld ? '' : String(c.value),
          tabindex: '0', role: 'button', 'aria-label': c.text,
          onclick: open, onfocus: show, onmouseenter: show,
          onkeydown: (e) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), open()),
        }, node('title', {}, c.text), node('path', { d: path(f), fill: fillOf(c) }));
      }));
      const missing = communes.length - features.length;
      note.textContent = [boundaries.generated ? t('mapGenerated') : t('mapImported'), missing ? `${t('mapNoShape')}: ${missing}.` : '', t('mapHint')].filter(Boolean).join(' ');
    }

    // Every commune counted once: in its class, as withheld, or as without data.
    const item = (swatch, text, kind) => html('li', { 'data-legend': kind }, swatch, ` ${text}`);
    const swatch = (colour, kind) => html('span', { class: `swatch ${kind || ''}`, style: colour ? `background:${colour}` : '' });
    legend.replaceChildren(
      ...classes.map((k, i) => item(swatch(k.colour), `${k.from === k.to ? format(k.from) : `${format(k.from)} – ${format(k.to)}`}: ${k.count}`, `class-${i}`)),
      ...(withheld ? [item(swatch(null, 'hatched'), `${t('withheld')}: ${withheld}`, 'withheld')] : []),
      ...(empty ? [item(swatch(NO_DATA), `${t('noValue')}: ${empty}`, 'no-data')] : []),
    );
  }

  /** One line under the map that names the commune under the pointer or the keyboard focus. */
  function readout(svg) {
    const figure = svg.closest('figure') || svg.parentNode;
    let line = figure.querySelector('.map-readout');
    if (!line) {
      line = html('p', { class: 'map-readout no-print', 'aria-live': 'polite' });
      svg.after(line);
    }
    return line;
  }

  window.PCMT_MAP = { load, draw, classesOf };
})();
