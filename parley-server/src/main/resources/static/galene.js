// The group page: login, participants, chat, videos.  All protocol work
// goes through protocol.js; all user-visible text comes from strings.js.

import {ServerConnection} from './protocol.js';
import {t, translatePage} from './strings.js';
import * as media from './media.js';
import * as chat from './chat.js';
import * as ui from './ui.js';
import {app, groupURL} from './state.js';

/**
 * The URL of this group's status: the page URL with '.status' appended.
 * @returns {string}
 */
function statusURL() {
    let p = location.pathname;
    if (!p.endsWith('/'))
        p += '/';
    return p + '.status';
}

/** @returns {string} the WebSocket endpoint. */
function endpoint() {
    if (app.status.endpoint)
        return app.status.endpoint;
    return (location.protocol === 'https:' ? 'wss:' : 'ws:') + '//' + location.host + '/ws';
}

/* ---------------------------------------------------------------- login */

function showLogin(errorText) {
    document.getElementById('app').classList.add('hidden');
    document.getElementById('login-view').classList.remove('hidden');
    const err = document.getElementById('login-error');
    if (errorText) {
        err.textContent = errorText;
        err.classList.remove('hidden');
    } else {
        err.textContent = '';
        err.classList.add('hidden');
    }
    setConnecting(false);
}

function showApp() {
    document.getElementById('login-view').classList.add('hidden');
    document.getElementById('app').classList.remove('hidden');
    document.getElementById('input').focus();
}

function setConnecting(busy) {
    const b = /** @type {HTMLButtonElement} */ (document.getElementById('connectbutton'));
    b.disabled = busy;
    b.textContent = busy ? t('connecting') : t('connectButton');
}

function loginNotice(text) {
    const n = document.getElementById('login-notice');
    n.textContent = text || '';
    n.classList.toggle('hidden', !text);
}

async function submitLogin(e) {
    e.preventDefault();
    const username = /** @type {HTMLInputElement} */ (document.getElementById('username')).value.trim();
    app.password = /** @type {HTMLInputElement} */ (document.getElementById('password')).value;
    const checked = /** @type {HTMLInputElement|null} */ (document.querySelector('input[name=present]:checked'));
    app.presentOnJoin = checked ? checked.value : '';
    try {
        localStorage.setItem('parley-username', username);
    } catch (err) {
        // storage may be disabled; remembering the name is only a convenience
    }
    loginNotice('');
    await connect(username);
}

/**
 * Connects if needed, then joins.  After a failed join the socket stays
 * open, so a retry only sends a new join.
 *
 * @param {string} username
 */
async function connect(username) {
    setConnecting(true);
    document.getElementById('login-error').classList.add('hidden');
    if (app.sc && app.sc.socket && app.sc.version) {
        await join(username);
        return;
    }
    if (app.sc)
        app.sc.close();
    const sc = new ServerConnection();
    app.sc = sc;
    sc.onconnected = () => join(username);
    sc.onclose = (code, reason) => onClose(sc, code, reason);
    sc.onerror = e => {
        console.warn(e);
        // A socket error is followed by onclose, which reports it better.
        const socketError = e instanceof Error && e.message === 'Socket error';
        if (app.sc === sc && !socketError && !app.pendingNotice)
            ui.toast(t('connectionError', e && e.message ? e.message : e), 'error');
    };
    sc.onjoined = onJoined;
    sc.onuser = (id, kind) => ui.userChanged(id, kind);
    sc.onchat = chat.onChat;
    sc.onusermessage = onUserMessage;
    sc.ondownstream = media.onDownStream;
    sc.onfiletransfer = chat.onFileTransfer;
    try {
        sc.connect(endpoint());
    } catch (e) {
        showLogin(t('connectionError', e.message || e));
    }
}

/** @param {string} username */
async function join(username) {
    const sc = app.sc;
    let credentials;
    if (app.token) {
        credentials = {type: 'token', token: app.token};
    } else if (app.status.authServer) {
        credentials = {
            type: 'authServer', authServer: app.status.authServer,
            location: app.status.location || groupURL(), password: app.password,
        };
    } else {
        credentials = {type: 'password', password: app.password};
    }
    try {
        await sc.join(app.group, username || (app.token ? null : ''), credentials);
    } catch (e) {
        showLogin(t('joinFailed', e.message || e));
    }
}

/* ------------------------------------------------------------- callbacks */

/**
 * @this {ServerConnection}
 * @param {string} kind
 * @param {string} group
 * @param {Array<string>} perms
 * @param {Object<string, any>} status
 * @param {Object<string, any>} data
 * @param {string|null} error
 * @param {string|null} message
 */
function onJoined(kind, group, perms, status, data, error, message) {
    const sc = this;
    switch (kind) {
    case 'fail':
        if (app.token && error === 'need-username') {
            // The invitation names no user: ask for a name, keep the token.
            showLoginFields(true, true);
            loginNotice('');
            showLogin(t('joinFailed', message || error));
            /** @type {HTMLInputElement} */ (document.getElementById('username')).focus();
            return;
        }
        // Once a token has failed, fall back to the ordinary login form.
        if (app.token) {
            app.token = null;
            showLoginFields(true, false);
            loginNotice('');
        }
        showLogin(t('joinFailed', message || error || ''));
        return;
    case 'redirect':
        sc.close();
        location.href = message;
        return;
    case 'leave':
        media.closeAll();
        showLogin(null);
        return;
    case 'join':
    case 'change':
        if (status && Object.keys(status).length > 0) {
            // 'locked' is omitted when false, so it must not survive from an older status
            app.status = {...app.status, ...status};
            if (!status.locked)
                delete app.status.locked;
        }
        ui.setTitle(app.status.displayName || group);
        ui.setLocked(!!(status && status.locked), status && status.locked);
        ui.updatePermissions(perms);
        if (kind === 'join') {
            showApp();
            chat.systemMessage(t('joinedGroup', app.status.displayName || group));
            media.sendRequest();
            if (app.presentOnJoin && perms.includes('present'))
                media.enableCamera(app.presentOnJoin === 'both').catch(e => ui.toast(t('cannotGetMedia', e.message || e), 'error'));
            app.presentOnJoin = '';
            app.token = null;
        } else if (!perms.includes('present')) {
            media.closeAllUp();
        }
        return;
    }
}

/**
 * @this {ServerConnection}
 */
function onUserMessage(id, dest, username, time, privileged, kind, error, message) {
    const from = id ? (username || '?') : t('serverName');
    switch (kind) {
    case 'error':
    case 'warning':
    case 'info':
        if (id && !privileged)
            return;
        ui.toast(id ? t('warningFrom', from, message) : String(message), kind);
        chat.systemMessage(id ? t('warningFrom', from, message) : String(message));
        return;
    case 'mute':
        if (!privileged)
            return;
        media.setMute(true);
        ui.toast(t('mutedByOp', from), 'warning');
        return;
    case 'kicked': {
        if (!privileged)
            return;
        const text = username ? t('kickedOut', username, message) : t('kickedOutNoName', message);
        app.pendingNotice = text;
        ui.toast(text, 'error');
        return;
    }
    case 'clearchat':
        if (privileged)
            chat.clear(message);
        return;
    case 'token':
        if (!privileged)
            return;
        if (error) {
            ui.toast(String(message), 'error');
        } else if (message && message.token) {
            const link = groupURL() + '?token=' + encodeURIComponent(message.token);
            chat.systemMessage(message.expires && new Date(message.expires) < new Date()
                ? t('inviteUpdated', message.token)
                : t('inviteCreated', link));
        }
        return;
    case 'tokenlist':
        if (!privileged)
            return;
        if (error) {
            ui.toast(String(message), 'error');
        } else if (Array.isArray(message)) {
            const lines = message.map(tk => `${groupURL()}?token=${encodeURIComponent(tk.token)}` +
                (tk.username ? ` (${tk.username})` : '') +
                (tk.expires ? ` — ${new Date(tk.expires).toLocaleString()}` : ''));
            chat.systemMessage([t('tokenList'), ...lines].join('\n'));
        }
        return;
    case 'userinfo':
        if (privileged && message)
            chat.systemMessage(t('userInfo', message.username || '', message.id, message.address || '?'));
        return;
    default:
        console.info('unhandled user message', kind, message);
    }
}

/**
 * @param {ServerConnection} sc
 * @param {number} code
 * @param {string} reason
 */
function onClose(sc, code, reason) {
    media.closeAll();
    ui.clearUsers();
    if (app.sc !== sc)
        return;
    app.sc = null;
    app.handRaised = false;
    const notice = app.pendingNotice;
    app.pendingNotice = null;
    if (notice)
        showLogin(notice);
    else if (code !== 1000 || (reason && reason !== 'Close requested by client'))
        showLogin(t('disconnected', reason || code));
    else
        showLogin(null);
}

/* ---------------------------------------------------------------- setup */

/**
 * @param {boolean} show - whether to show the login fields at all.
 * @param {boolean} [usernameOnly] - hide the password and media choices
 *   (joining with a token that needs a username).
 */
function showLoginFields(show, usernameOnly) {
    document.getElementById('login-fields').classList.toggle('hidden', !show);
    for (const e of document.querySelectorAll('#password, label[for=password]'))
        e.closest('.field').classList.toggle('hidden', !!usernameOnly);
}

async function fetchStatus() {
    const r = await fetch(statusURL(), {cache: 'no-cache'});
    if (r.status === 404)
        throw new Error(t('groupNotFound'));
    if (!r.ok)
        throw new Error(`${r.status} ${r.statusText}`);
    return await r.json();
}

async function start() {
    translatePage(document);
    ui.setup();
    media.setup();
    chat.setup();
    document.getElementById('loginform').addEventListener('submit', submitLogin);
    document.getElementById('disconnectbutton').addEventListener('click', () => {
        if (app.sc)
            app.sc.close();
    });
    try {
        const saved = localStorage.getItem('parley-username');
        if (saved)
            /** @type {HTMLInputElement} */ (document.getElementById('username')).value = saved;
    } catch (e) {
        // no storage: nothing to restore
    }

    ui.setTitle(app.group);
    try {
        app.status = await fetchStatus();
    } catch (e) {
        showLoginFields(false);
        showLogin(e.message || String(e));
        return;
    }
    if (app.status.redirect) {
        loginNotice(t('groupRedirected', app.status.redirect));
        location.href = app.status.redirect;
        return;
    }
    ui.setTitle(app.status.displayName || app.status.name || app.group);
    if (app.status.description) {
        const d = document.getElementById('group-description');
        d.textContent = app.status.description;
        d.classList.remove('hidden');
    }

    const params = new URLSearchParams(location.search);
    app.token = params.get('token');
    if (app.token) {
        showLoginFields(false);
        loginNotice(t('tokenLogin'));
        // Don't leave the token in the address bar or the history.
        history.replaceState(null, '', location.pathname);
        await connect(params.get('username'));
        return;
    }
    if (app.status.authPortal) {
        loginNotice(t('redirectingPortal'));
        showLoginFields(false);
        location.href = app.status.authPortal;
        return;
    }
    /** @type {HTMLInputElement} */ (document.getElementById('username')).focus();
}

start();
