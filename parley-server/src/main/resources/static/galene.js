// The group page: login, participants, chat, videos.  All protocol work
// goes through protocol.js; all user-visible text comes from strings.js.
//
// Modules import downwards only (StaticModuleGraphTest checks it):
//   galene.js                     wires the page, owns the connection's life
//   commands.js                   slash commands
//   ui.js                         header, participants, menus, settings dialog
//   invite.js  chat.js  media.js  layout.js
//   widgets.js  events.js         toasts, menus, dialogs; the event bus
//   state.js  protocol.js  strings.js  icons.js
// A lower module tells an upper one through events.js or a callback given
// at setup (chat.setup(runCommand)).

import {ServerConnection} from './protocol.js';
import {t, translatePage} from './strings.js';
import * as media from './media.js';
import * as chat from './chat.js';
import * as ui from './ui.js';
import * as layout from './layout.js';
import * as widgets from './widgets.js';
import {runCommand} from './commands.js';
import {app, groupURL, leave} from './state.js';

/**
 * What Galène and Parley say when they kick everyone out because they are
 * shutting down (spec J25: no kicker id or username).
 */
const SHUTDOWN_MESSAGE = 'server is shutting down';

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
        // Once joined, a lost connection is announced by the reconnection instead.
        if (app.sc === sc && !socketError && !app.pendingNotice && !app.reconnecting && !app.joined)
            widgets.toast(t('connectionError', e && e.message ? e.message : e), 'error');
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
        if (app.reconnecting)
            scheduleReconnect();
        else
            showLogin(t('connectionError', e.message || e));
    }
}

/** @param {string|null} username */
async function join(username) {
    const sc = app.sc;
    if (app.reconnecting && app.session) {
        try {
            await sc.join(app.group, app.session.username, app.session.credentials);
        } catch (e) {
            endSession(t('rejoinFailed', e.message || e));
        }
        return;
    }
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
    const name = username || (app.token ? null : '');
    app.session = {username: name, credentials};
    try {
        await sc.join(app.group, name, credentials);
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
        if (app.reconnecting) {
            // The old server may still be refusing joins while it shuts down.
            if (app.serverGone && String(message || '').includes(app.serverGone))
                sc.close();
            else
                endSession(t('rejoinFailed', message || error || ''));
            return;
        }
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
        // with the socket closing, onClose decides between reconnecting and ending
        if (!sc.socket || sc.socket.readyState !== WebSocket.OPEN)
            return;
        app.joined = false;
        app.session = null;
        media.closeAll();
        media.discardLost();
        showLogin(app.pendingNotice);
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
            const rejoined = app.reconnecting;
            reconnected();
            showApp();
            chat.systemMessage(t(rejoined ? 'rejoinedGroup' : 'joinedGroup', app.status.displayName || group));
            media.sendRequest();
            media.announceMute();
            if (rejoined && app.handRaised)
                ui.setHand(true);
            if (rejoined && perms.includes('present'))
                media.republishLost();
            else
                media.discardLost();
            if (app.presentOnJoin && perms.includes('present'))
                media.enableCamera(app.presentOnJoin === 'both').catch(e => widgets.toast(t('cannotGetMedia', e.message || e), 'error'));
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
        widgets.toast(id ? t('warningFrom', from, message) : String(message), kind);
        chat.systemMessage(id ? t('warningFrom', from, message) : String(message));
        return;
    case 'mute':
        if (!privileged)
            return;
        media.setMute(true);
        widgets.toast(t('mutedByOp', from), 'warning');
        return;
    case 'kicked': {
        if (!username && message === SHUTDOWN_MESSAGE) {
            // Not a kick: the server is going away (J25); come back once it is up again.
            app.serverGone = message;
            return;
        }
        if (!privileged)
            return;
        // shown once, on the login form, when the socket closes
        app.pendingNotice = username ? t('kickedOut', username, message) : t('kickedOutNoName', message);
        return;
    }
    case 'caption':
    case 'captions':
        chat.showCaption(String(message));
        return;
    case 'clearchat':
        if (privileged)
            chat.clear(message);
        return;
    case 'token':
        if (!privileged)
            return;
        if (error) {
            widgets.toast(String(message), 'error');
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
            widgets.toast(String(message), 'error');
        } else if (Array.isArray(message)) {
            const lines = message.map(tk => `${groupURL()}?token=${encodeURIComponent(tk.token)}` +
                (tk.username ? ` (${tk.username})` : '') +
                (tk['not-before'] ? ` — ${t('tokenValidFrom', new Date(tk['not-before']).toLocaleString())}` : '') +
                (tk.expires ? ` — ${t('tokenExpires', new Date(tk.expires).toLocaleString())}` : ''));
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
    if (app.sc !== sc) {
        // a connection we had already given up on
        return;
    }
    media.closeAll();
    ui.clearUsers();
    app.sc = null;
    const notice = app.pendingNotice;
    if (app.leaving) {
        endSession(null, t('leftGroup'));
    } else if (notice) {
        endSession(notice);
    } else if (app.session && (app.reconnecting || app.joined)) {
        scheduleReconnect();
    } else {
        endSession(code !== 1000 || (reason && reason !== 'Close requested by client')
            ? t('disconnected', reason || code) : null);
    }
}

/* --------------------------------------------------------- reconnection */

/** Delays between reconnection attempts: doubling from 1 s, at most 30 s. */
const RECONNECT_FIRST_MS = 1000;
const RECONNECT_MAX_MS = 30000;
/** About ten minutes of attempts before giving up. */
const RECONNECT_ATTEMPTS = 25;

let reconnectTimer = 0;
let reconnectAttempt = 0;

function scheduleReconnect() {
    if (!app.reconnecting) {
        app.reconnecting = true;
        reconnectAttempt = 0;
        chat.systemMessage(t('connectionLost'));
    }
    if (reconnectAttempt >= RECONNECT_ATTEMPTS) {
        endSession(t('reconnectGaveUp'));
        return;
    }
    const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_FIRST_MS * 2 ** reconnectAttempt);
    reconnectAttempt++;
    ui.setReconnecting(true);
    ui.refreshControls();
    reconnectTimer = setTimeout(async () => {
        reconnectTimer = 0;
        // In a cluster the group may have moved to another server: ask again where it is.
        try {
            const status = await fetchStatus(STATUS_TIMEOUT_MS);
            if (status.endpoint)
                app.status.endpoint = status.endpoint;
        } catch (e) {
            // the page's server is away or silent too: try the last known endpoint
        }
        if (!app.reconnecting)
            return;                     // ended while we asked
        connect(app.session ? app.session.username : null);
    }, delay);
}

/** We are back in the group. */
function reconnected() {
    app.reconnecting = false;
    app.joined = true;
    app.serverGone = null;
    reconnectAttempt = 0;
    ui.setReconnecting(false);
}

/**
 * Ends the session: back to the login form with one message.
 *
 * @param {string|null} error - shown as an error, or null.
 * @param {string} [notice] - shown as a plain notice.
 */
function endSession(error, notice) {
    if (reconnectTimer) {
        clearTimeout(reconnectTimer);
        reconnectTimer = 0;
    }
    const sc = app.sc;
    app.sc = null;
    app.session = null;
    app.joined = false;
    app.reconnecting = false;
    app.leaving = false;
    app.serverGone = null;
    app.pendingNotice = null;
    app.handRaised = false;
    if (sc)
        sc.close();
    media.closeAll();
    media.discardLost();
    ui.clearUsers();
    ui.setReconnecting(false);
    if (notice) {
        // the password was for this session only
        /** @type {HTMLInputElement} */ (document.getElementById('password')).value = '';
        app.password = '';
    }
    loginNotice(notice || '');
    showLogin(error);
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

/**
 * How long a reconnection attempt waits for the group's status.  A server that
 * accepts the connection but never answers (one being replaced by a restart)
 * must not hold the page in "Reconnecting…" for good.
 */
const STATUS_TIMEOUT_MS = 5000;

/**
 * @param {number} [timeoutMs] - gives up after this long; none when omitted.
 */
async function fetchStatus(timeoutMs) {
    /** @type {RequestInit} */
    const options = {cache: 'no-cache'};
    if (timeoutMs)
        options.signal = AbortSignal.timeout(timeoutMs);
    const r = await fetch(statusURL(), options);
    if (r.status === 404)
        throw new Error(t('groupNotFound'));
    if (!r.ok)
        throw new Error(`${r.status} ${r.statusText}`);
    return await r.json();
}

async function start() {
    translatePage(document);
    widgets.setup();
    ui.setup();
    media.setup();
    chat.setup(runCommand);
    layout.setup();
    document.getElementById('loginform').addEventListener('submit', submitLogin);
    document.getElementById('disconnectbutton').addEventListener('click', () => {
        if (app.sc)
            leave();
        else
            endSession(null, t('leftGroup'));
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
