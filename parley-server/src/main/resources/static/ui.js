// Group page chrome: title, panels, participants list and its menus,
// toasts, settings dialog, permission-dependent controls.

import {t} from './strings.js';
import {app} from './state.js';
import * as chat from './chat.js';
import * as media from './media.js';
import * as events from './events.js';
import {openInviteDialog} from './invite.js';
import {icon} from './icons.js';
import {$, toast, setButtonLabel, openMenu, askText, showDialog} from './widgets.js';

const NARROW = '(max-width: 900px)';

/**
 * Shows or hides the "Reconnecting…" banner over the videos.
 *
 * @param {boolean} on
 */
export function setReconnecting(on) {
    $('reconnect-banner').classList.toggle('hidden', !on);
    $('app').classList.toggle('is-reconnecting', on);
}

/** @param {string} title */
export function setTitle(title) {
    $('title').textContent = title;
    $('login-title').textContent = t('loginHeading', title);
    document.title = `${title} — ${t('appName')}`;
}

/**
 * @param {boolean} locked
 * @param {any} message
 */
export function setLocked(locked, message) {
    const e = $('locked-indicator');
    e.classList.toggle('hidden', !locked);
    e.title = typeof message === 'string' && message ? t('groupLocked', message) : t('groupLockedShort');
}

/** @param {Array<string>} perms */
export function updatePermissions(perms) {
    // operators get a menu on each chat message (chat.js)
    $('app').classList.toggle('is-op', perms.includes('op'));
    const present = perms.includes('present');
    const up = media.hasCamera();
    $('presentbutton').classList.toggle('hidden', !present || up);
    $('unpresentbutton').classList.toggle('hidden', !present || !up);
    $('camerabutton').classList.toggle('hidden', !present || !media.hasCameraVideo());
    $('sharebutton').classList.toggle('hidden', !present || media.hasScreenShare() || !media.canShareScreen());
    $('unsharebutton').classList.toggle('hidden', !present || !media.hasScreenShare());
    $('input').toggleAttribute('disabled', !perms.includes('message'));
}

/** Re-evaluates permission-dependent controls with the current permissions. */
export function refreshControls() {
    updatePermissions(app.sc ? app.sc.permissions : []);
}

/* ---------------------------------------------------------- participants */

/**
 * @param {string} id
 * @param {string} kind - 'add', 'change' or 'delete'.
 */
export function userChanged(id, kind) {
    const list = $('users');
    let li = /** @type {HTMLLIElement|null} */ (list.querySelector(`li[data-id="${CSS.escape(id)}"]`));
    updateRecording();
    if (kind === 'delete') {
        handsUp.delete(id);
        if (li)
            li.remove();
        media.userGone(id);
        return;
    }
    const sc = app.sc;
    const u = sc && sc.users[id];
    if (!u)
        return;
    if (!li) {
        li = document.createElement('li');
        li.dataset.id = id;
        const b = document.createElement('button');
        b.type = 'button';
        b.className = 'user-entry';
        b.setAttribute('aria-haspopup', 'menu');
        b.addEventListener('click', () => openUserMenu(id, b));
        li.append(b);
        insertSorted(list, li, u.username || '', id === sc.id);
    }
    li.classList.toggle('user-self', id === sc.id);
    const b = /** @type {HTMLButtonElement} */ (li.firstElementChild);
    const name = document.createElement('span');
    name.className = 'user-name';
    name.textContent = (u.username || t('anonymous')) + (id === sc.id ? ' ' + t('you') : '');
    const badges = document.createElement('span');
    badges.className = 'user-badges';
    const labels = [];
    if (u.data && u.data.raisehand) {
        badges.append(iconBadge('hand', 'user-hand', t('handRaisedBadge')));
        labels.push(t('handRaisedBadge'));
        if (!handsUp.has(id) && id !== sc.id && sc.permissions.includes('op'))
            toast(t('handRaisedBy', u.username || t('anonymous')), 'info');
        handsUp.add(id);
    } else {
        handsUp.delete(id);
    }
    if (u.data && u.data.muted) {
        badges.append(iconBadge('micOff', 'user-muted', t('muted')));
        labels.push(t('muted'));
    }
    if (u.permissions.includes('op')) {
        badges.append(badge(t('operatorBadge')));
        labels.push(t('operatorBadge'));
    }
    const hasMedia = u.streams && Object.keys(u.streams).length > 0;
    const dot = document.createElement('span');
    dot.className = hasMedia ? 'user-media' : '';
    if (hasMedia) {
        dot.title = t('sendingMedia');
        labels.push(t('sendingMedia'));
    }
    b.replaceChildren(name, badges, dot);
    b.setAttribute('aria-label', [u.username || '', ...labels].join(', ') + '. ' +
        (id === sc.id ? t('groupMenuLabel') : t('userMenuLabel', u.username || '')));
    li.dataset.username = u.username || '';
    media.userChanged(id, u.username || '');
}

/** Users whose raised hand we have already announced. */
const handsUp = new Set();

/**
 * @param {'hand'|'micOff'} name
 * @param {string} className
 * @param {string} title
 */
function iconBadge(name, className, title) {
    const s = document.createElement('span');
    s.className = 'icon-badge ' + className;
    s.title = title;
    s.append(icon(name));
    return s;
}

/** @param {string} text */
function badge(text) {
    const s = document.createElement('span');
    s.className = 'badge';
    s.textContent = text;
    return s;
}

/**
 * Keeps ourself first, then others by name.
 */
function insertSorted(list, li, username, self) {
    if (self) {
        list.prepend(li);
        return;
    }
    for (const other of list.children) {
        const o = /** @type {HTMLElement} */ (other);
        if (o.classList.contains('user-self'))
            continue;
        if ((o.dataset.username || '').localeCompare(username) > 0) {
            list.insertBefore(li, o);
            return;
        }
    }
    list.append(li);
}

export function clearUsers() {
    $('users').replaceChildren();
    updateRecording();
}

/** The server's recorder is a member like any other (U3): username RECORDING, permission "system". */
function updateRecording() {
    const users = app.sc ? Object.values(app.sc.users) : [];
    const recording = users.some(u => u.username === 'RECORDING' && (u.permissions || []).includes('system'));
    $('recording-indicator').classList.toggle('hidden', !recording);
}

/* ------------------------------------------------------------------ menus */

/**
 * @param {string} id
 * @param {HTMLElement} opener
 */
function openUserMenu(id, opener) {
    const sc = app.sc;
    if (!sc || !sc.users[id])
        return;
    if (id === sc.id) {
        openMenu(opener, t('groupMenuLabel'), groupMenuItems());
        return;
    }
    const u = sc.users[id];
    const name = u.username || '';
    const op = sc.permissions.includes('op');
    /** @type {Array<[string, () => void]>} */
    const items = [
        [t('privateMessage'), () => chat.setPrivateTarget(id)],
        [t('sendFile'), () => chat.pickFile(id)],
    ];
    if (op) {
        items.push(u.permissions.includes('op')
            ? [t('removeOp'), () => sc.userAction('unop', id)]
            : [t('makeOp'), () => sc.userAction('op', id)]);
        items.push(u.permissions.includes('present')
            ? [t('disallowPresent'), () => sc.userAction('unpresent', id)]
            : [t('allowPresent'), () => sc.userAction('present', id)]);
        items.push(u.permissions.includes('message')
            ? [t('disallowChat'), () => sc.userAction('shutup', id)]
            : [t('allowChat'), () => sc.userAction('unshutup', id)]);
        items.push([t('muteUser'), () => sc.userMessage('mute', id, null)]);
        items.push([t('warnUser'), () => warnUser(id, name)]);
        items.push([t('kickUser'), () => kickUser(id, name)]);
        items.push([t('identifyUser'), () => sc.userAction('identify', id)]);
    }
    openMenu(opener, t('userMenuLabel', name), items);
}

/**
 * Asks for a warning's text, then sends it (the user sees it as a toast).
 *
 * @param {string} id
 * @param {string} name
 */
async function warnUser(id, name) {
    const text = await askText({title: t('warnTitle', name), label: t('warnPrompt'), confirm: t('warnUser'), required: true});
    if (text && app.sc)
        app.sc.userMessage('warning', id, text);
}

/**
 * Asks for an optional reason, then kicks the user out.
 *
 * @param {string} id
 * @param {string} name
 */
async function kickUser(id, name) {
    const text = await askText({title: t('kickTitle', name), label: t('kickPrompt'), confirm: t('kickUser'), danger: true});
    if (text !== null && app.sc)
        app.sc.userAction('kick', id, text || undefined);
}

/** Asks for an optional message shown to those refused, then locks the group. */
async function lockGroup() {
    const text = await askText({title: t('lockGroup'), label: t('lockPrompt'), confirm: t('lockGroup')});
    if (text !== null && app.sc)
        app.sc.groupAction('lock', text || undefined);
}

/** @returns {Array<[string, () => void]>} */
function groupMenuItems() {
    const sc = app.sc;
    const perms = sc ? sc.permissions : [];
    /** @type {Array<[string, () => void]>} */
    const items = [
        [app.handRaised ? t('lowerHand') : t('raiseHand'), () => setHand(!app.handRaised)],
        [t('restartMedia'), () => media.renegotiateAll()],
    ];
    if (perms.includes('op')) {
        items.push(app.status.locked
            ? [t('unlockGroup'), () => sc.groupAction('unlock')]
            : [t('lockGroup'), lockGroup]);
        items.push([t('clearChat'), () => sc.groupAction('clearchat')]);
        items.push([t('muteAll'), () => sc.userMessage('mute', '', null, true)]);
    }
    if (perms.includes('token'))
        items.push([t('inviteUser'), openInviteDialog]);
    const session = app.session;
    if (session && session.username && session.credentials.type === 'password') {
        // Galène's client offers the same page, in a new tab so the call goes on
        const q = new URLSearchParams({group: app.group, username: session.username});
        items.push([t('changePassword'), () => window.open('/change-password.html?' + q, '_blank', 'noopener')]);
    }
    return items;
}

/* ------------------------------------------------------------- controls */

/** @param {boolean} raised */
export function setHand(raised) {
    const sc = app.sc;
    if (!sc)
        return;
    app.handRaised = raised;
    sc.userAction('setdata', sc.id, {raisehand: raised ? true : null});
    const b = $('handbutton');
    b.setAttribute('aria-pressed', raised ? 'true' : 'false');
    setButtonLabel(b, raised ? t('lowerHand') : t('raiseHand'));
}

/**
 * Shows or hides a side panel.
 *
 * @param {string} which - 'users' or 'chat'.
 * @param {boolean} [show]
 */
function togglePanel(which, show) {
    const layout = /** @type {HTMLElement} */ (document.querySelector('.layout'));
    const cls = which === 'users' ? 'no-users' : 'no-chat';
    const visible = show === undefined ? layout.classList.contains(cls) : show;
    layout.classList.toggle(cls, !visible);
    $(which === 'users' ? 'toggle-users' : 'toggle-chat').setAttribute('aria-expanded', visible ? 'true' : 'false');
    // on a phone the two panels overlay the videos: show one at a time
    if (visible && window.matchMedia(NARROW).matches)
        togglePanel(which === 'users' ? 'chat' : 'users', false);
}

async function toggleFullscreen() {
    const b = $('fullscreenbutton');
    try {
        if (document.fullscreenElement)
            await document.exitFullscreen();
        else
            await $('videos').requestFullscreen();
    } catch (e) {
        toast(String(e.message || e), 'error');
    }
    b.setAttribute('aria-pressed', document.fullscreenElement ? 'true' : 'false');
}

/** Toolbar buttons that move into the "More" menu on phones. */
function openMoreMenu() {
    const items = /** @type {Array<[string, () => void]>} */ ([]);
    for (const e of document.querySelectorAll('.toolbar .overflowable:not(.hidden)')) {
        const b = /** @type {HTMLButtonElement} */ (e);
        const pressed = b.getAttribute('aria-pressed') === 'true';
        items.push([(b.getAttribute('aria-label') || b.textContent || '').trim() + (pressed ? ' ✓' : ''), () => b.click()]);
    }
    openMenu($('morebutton'), t('moreControls'), items);
}

export function setup() {
    events.on('controls', refreshControls);
    $('toggle-users').addEventListener('click', () => togglePanel('users'));
    $('toggle-chat').addEventListener('click', () => togglePanel('chat'));
    $('users-close').addEventListener('click', () => {
        togglePanel('users', false);
        $('toggle-users').focus();
    });
    $('chat-close').addEventListener('click', () => {
        togglePanel('chat', false);
        $('toggle-chat').focus();
    });
    $('morebutton').addEventListener('click', openMoreMenu);
    // on a phone (or a window made narrow) the panels would share the lower half: start with both closed
    const narrow = window.matchMedia(NARROW);
    const closePanels = () => {
        if (narrow.matches) {
            togglePanel('users', false);
            togglePanel('chat', false);
        }
    };
    closePanels();
    narrow.addEventListener('change', () => {
        closePanels();
        // back to a wide window: both panels fit again
        if (!narrow.matches) {
            togglePanel('users', true);
            togglePanel('chat', true);
        }
    });
    $('handbutton').addEventListener('click', () => setHand(!app.handRaised));
    $('fullscreenbutton').addEventListener('click', toggleFullscreen);
    document.addEventListener('fullscreenchange', () => {
        const on = !!document.fullscreenElement;
        const b = $('fullscreenbutton');
        b.setAttribute('aria-pressed', on ? 'true' : 'false');
        setButtonLabel(b, on ? t('exitFullscreen') : t('fullscreen'));
    });
    $('settingsbutton').addEventListener('click', () => {
        media.refreshDevices();
        showDialog(/** @type {HTMLDialogElement} */ ($('settings-dialog')));
    });
    // The text labels disappear on narrow screens; keep an accessible name.
    for (const id of ['presentbutton', 'unpresentbutton', 'camerabutton', 'mutebutton', 'sharebutton',
        'unsharebutton', 'handbutton', 'fullscreenbutton', 'settingsbutton', 'toggle-chat', 'morebutton', 'disconnectbutton']) {
        const b = $(id);
        const label = b.querySelector('.label');
        if (label)
            setButtonLabel(b, label.textContent || '');
    }
}

