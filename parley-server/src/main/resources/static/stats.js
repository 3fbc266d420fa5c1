// The statistics page: what the administrative API's .stats says (spec
// H48), one table per group, refreshed every few seconds.

import {t, translatePage} from './strings.js';
import {basicAuth} from './api.js';

const REFRESH_MS = 5000;

/** @type {string|null} the Authorization header once the administrator has logged in. */
let auth = null;
let timer = 0;

/** @param {string} id @returns {any} */
function $(id) {
    return document.getElementById(id);
}

/** @param {string|null} text */
function showError(text) {
    $('stats-error').textContent = text || '';
    $('stats-error').classList.toggle('hidden', !text);
}

/**
 * @param {number|undefined} bps
 * @returns {string}
 */
function kbps(bps) {
    return typeof bps === 'number' ? String(Math.round(bps / 1000)) : '';
}

/** Ids are 32 hex digits: their first 8 tell them apart, the whole one is in the tooltip. */
const SHORT_ID = 8;

/**
 * A table row of text cells; the first ones may be row headers, and the
 * first two (client and stream ids) are shortened.
 *
 * @param {Array<string>} cells
 * @param {number} [headers]
 * @returns {HTMLTableRowElement}
 */
function row(cells, headers = 0) {
    const tr = document.createElement('tr');
    cells.forEach((text, i) => {
        const c = document.createElement(i < headers ? 'th' : 'td');
        if (i < headers)
            c.scope = 'row';
        if (i < 2 && text.length > SHORT_ID + 4) {
            c.textContent = text.slice(0, SHORT_ID) + '…';
            c.title = text;
        } else {
            c.textContent = text;
        }
        tr.append(c);
    });
    return tr;
}

/**
 * The rows of one connection: one per track.
 *
 * @param {string} client
 * @param {string} direction
 * @param {any} conn
 * @returns {Array<HTMLTableRowElement>}
 */
function connectionRows(client, direction, conn) {
    const tracks = conn.tracks && conn.tracks.length ? conn.tracks : [{}];
    return tracks.map((tr, i) => {
        const layers = 'maxTid' in tr ? `t${tr.tid}/${tr.maxTid}` : '';
        const rate = kbps(tr.bitrate) + (tr.maxBitrate ? ` / ${kbps(tr.maxBitrate)}` : '');
        const loss = typeof tr.loss === 'number' ? `${Math.round(tr.loss * 100)} %` : '';
        const delay = (tr.rtt ? `${Math.round(tr.rtt)} ms` : '') + (tr.jitter ? ` ±${Math.round(tr.jitter)} ms` : '');
        return row([client, conn.id, direction, String(i + 1), layers, rate, loss, delay.trim()], 1);
    });
}

/**
 * @param {any} g - one entry of .stats.
 * @returns {HTMLElement}
 */
function groupSection(g) {
    const section = document.createElement('section');
    section.className = 'card stats-group';
    const h = document.createElement('h3');
    h.textContent = g.name === '.turn' ? t('statsTurn') : g.name;
    section.append(h);
    if (g.turn) {
        const dl = document.createElement('dl');
        for (const [k, v] of Object.entries(g.turn)) {
            const dt = document.createElement('dt');
            dt.textContent = k;
            const dd = document.createElement('dd');
            dd.textContent = String(v);
            dl.append(dt, dd);
        }
        section.append(dl);
        return section;
    }
    const clients = g.clients || [];
    if (!clients.length) {
        const p = document.createElement('p');
        p.className = 'muted-text';
        p.textContent = t('statsNoClients');
        section.append(p);
        return section;
    }
    const table = document.createElement('table');
    const caption = document.createElement('caption');
    caption.className = 'visually-hidden';
    caption.textContent = t('statsTableCaption', g.name);
    const head = document.createElement('thead');
    const hr = document.createElement('tr');
    for (const key of ['statsClient', 'statsStream', 'statsDirection', 'statsTrack', 'statsLayers', 'statsRate', 'statsLoss', 'statsDelay']) {
        const th = document.createElement('th');
        th.scope = 'col';
        th.textContent = t(key);
        hr.append(th);
    }
    head.append(hr);
    const body = document.createElement('tbody');
    for (const c of clients) {
        const rows = [
            ...(c.up || []).flatMap(conn => connectionRows(c.id, t('statsUp'), conn)),
            ...(c.down || []).flatMap(conn => connectionRows(c.id, t('statsDown'), conn)),
        ];
        body.append(...(rows.length ? rows : [row([c.id, t('statsNoStreams'), '', '', '', '', '', ''], 1)]));
    }
    table.append(caption, head, body);
    const scroll = document.createElement('div');
    scroll.className = 'table-scroll';
    // a table wider than a phone scrolls: keyboard users must be able to reach it
    scroll.tabIndex = 0;
    scroll.setAttribute('role', 'region');
    scroll.setAttribute('aria-label', t('statsTableCaption', g.name));
    scroll.append(table);
    section.append(scroll);
    return section;
}

async function refresh() {
    clearTimeout(timer);
    timer = 0;
    let r;
    try {
        r = await fetch('/galene-api/v0/.stats', {credentials: 'omit', cache: 'no-cache', headers: {'Authorization': auth || ''}});
    } catch (e) {
        showError(t('statsFailed', e.message || e));
        return;
    }
    if (r.status === 401 || r.status === 403) {
        auth = null;
        $('stats-view').classList.add('hidden');
        $('stats-login').classList.remove('hidden');
        showError(t('statsNotAdmin'));
        $('stats-username').focus();
        return;
    }
    if (!r.ok) {
        showError(t('statsFailed', `${r.status} ${r.statusText}`));
        return;
    }
    const groups = await r.json();
    showError(null);
    $('stats-login').classList.add('hidden');
    $('stats-view').classList.remove('hidden');
    const list = Array.isArray(groups) && groups.length ? groups.map(groupSection) : [];
    if (!list.length) {
        const p = document.createElement('p');
        p.textContent = t('statsNoGroups');
        list.push(p);
    }
    $('stats-groups').replaceChildren(...list);
    $('stats-updated').textContent = t('statsUpdated', new Date().toLocaleTimeString());
    if ($('stats-auto').checked)
        timer = setTimeout(refresh, REFRESH_MS);
}

function start() {
    translatePage(document);
    document.title = `${t('statsHeading')} — ${t('appName')}`;
    $('stats-login').addEventListener('submit', e => {
        e.preventDefault();
        auth = basicAuth($('stats-username').value.trim(), $('stats-password').value);
        $('stats-password').value = '';
        refresh();
    });
    $('stats-refresh').addEventListener('click', refresh);
    $('stats-auto').addEventListener('change', () => {
        if ($('stats-auto').checked)
            refresh();
        else
            clearTimeout(timer);
    });
    $('stats-username').focus();
}

start();
