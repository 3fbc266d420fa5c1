// Group page chrome: title, panels, participants list and its menus,
// toasts, settings dialog, permission-dependent controls.

import {t} from './strings.js';
import {app} from './state.js';
import * as chat from './chat.js';
import * as media from './media.js';
import {inviteCommand} from './commands.js';
import {icon} from './icons.js';

const NARROW = '(max-width: 900px)';

/** @param {string} id @returns {HTMLElement} */
function $(id) {
    return /** @type {HTMLElement} */ (document.getElementById(id));
}

/**
 * Shows a transient notification.  Errors stay until dismissed.
 *
 * @param {string} text
 * @param {string} [kind] - 'info', 'warning' or 'error'.
 */
export function toast(text, kind) {
    if ($('app').classList.contains('hidden')) {
        // on the login form: its own error line says it
        if (kind === 'error') {
            $('login-error').textContent = text;
            $('login-error').classList.remove('hidden');
        }
        return;
    }
    const box = document.createElement('div');
    box.className = 'toast ' + (kind || 'info');
    box.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    const p = document.createElement('p');
    p.textContent = text;
    const close = document.createElement('button');
    close.type = 'button';
    close.className = 'btn btn-small';
    close.textContent = '×';
    close.setAttribute('aria-label', t('dismiss'));
    close.addEventListener('click', () => box.remove());
    box.append(p, close);
    $('toasts').append(box);
    setTimeout(() => box.remove(), kind === 'error' ? 15000 : 6000);
}

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

/** @type {HTMLElement|null} */
let menuOpener = null;

/**
 * Opens a popup menu next to an element.
 *
 * @param {HTMLElement} opener
 * @param {string} label
 * @param {Array<[string, () => void]>} items
 */
function openMenu(opener, label, items) {
    const menu = $('menu');
    menu.replaceChildren();
    menu.setAttribute('aria-label', label);
    for (const [text, action] of items) {
        const b = document.createElement('button');
        b.type = 'button';
        b.setAttribute('role', 'menuitem');
        b.textContent = text;
        b.addEventListener('click', () => {
            closeMenu();
            action();
        });
        menu.append(b);
    }
    const r = opener.getBoundingClientRect();
    menu.classList.remove('hidden');
    const top = Math.min(r.bottom + 4, window.innerHeight - menu.offsetHeight - 8);
    const left = Math.min(r.left, window.innerWidth - menu.offsetWidth - 8);
    menu.style.top = Math.max(8, top) + 'px';
    menu.style.left = Math.max(8, left) + 'px';
    menuOpener = opener;
    opener.setAttribute('aria-expanded', 'true');
    const first = /** @type {HTMLElement|null} */ (menu.firstElementChild);
    if (first)
        first.focus();
}

function closeMenu() {
    const menu = $('menu');
    if (menu.classList.contains('hidden'))
        return;
    menu.classList.add('hidden');
    if (menuOpener) {
        menuOpener.setAttribute('aria-expanded', 'false');
        menuOpener.focus();
        menuOpener = null;
    }
}

function menuKeys(e) {
    const items = /** @type {Array<HTMLElement>} */ ([...$('menu').querySelectorAll('button')]);
    const i = items.indexOf(/** @type {HTMLElement} */ (document.activeElement));
    switch (e.key) {
    case 'Escape':
        e.preventDefault();
        closeMenu();
        break;
    case 'ArrowDown':
        e.preventDefault();
        items[(i + 1) % items.length].focus();
        break;
    case 'ArrowUp':
        e.preventDefault();
        items[(i - 1 + items.length) % items.length].focus();
        break;
    case 'Home':
        e.preventDefault();
        items[0].focus();
        break;
    case 'End':
        e.preventDefault();
        items[items.length - 1].focus();
        break;
    case 'Tab':
        closeMenu();
        break;
    }
}

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
        [t('sendFile'), () => pickFile(id)],
    ];
    if (op) {
        items.push(u.permissions.includes('op')
            ? [t('removeOp'), () => sc.userAction('unop', id)]
            : [t('makeOp'), () => sc.userAction('op', id)]);
        items.push(u.permissions.includes('present')
            ? [t('disallowPresent'), () => sc.userAction('unpresent', id)]
            : [t('allowPresent'), () => sc.userAction('present', id)]);
        items.push([t('muteUser'), () => sc.userMessage('mute', id, null)]);
        items.push([t('warnUser'), () => {
            const text = prompt(t('warnPrompt', name));
            if (text)
                sc.userMessage('warning', id, text);
        }]);
        items.push([t('kickUser'), () => {
            const text = prompt(t('kickPrompt', name));
            if (text !== null)
                sc.userAction('kick', id, text || undefined);
        }]);
        items.push([t('identifyUser'), () => sc.userAction('identify', id)]);
    }
    openMenu(opener, t('userMenuLabel', name), items);
}

/** @returns {Array<[string, () => void]>} */
function groupMenuItems() {
    const sc = app.sc;
    const perms = sc ? sc.permissions : [];
    /** @type {Array<[string, () => void]>} */
    const items = [
        [app.handRaised ? t('lowerHand') : t('raiseHand'), () => setHand(!app.handRaised)],
    ];
    if (perms.includes('op')) {
        items.push(app.status.locked
            ? [t('unlockGroup'), () => sc.groupAction('unlock')]
            : [t('lockGroup'), () => {
                const text = prompt(t('lockPrompt'));
                if (text !== null)
                    sc.groupAction('lock', text || undefined);
            }]);
        items.push([t('clearChat'), () => sc.groupAction('clearchat')]);
        items.push([t('muteAll'), () => sc.userMessage('mute', '', null, true)]);
    }
    if (perms.includes('token'))
        items.push([t('inviteUser'), () => inviteCommand('')]);
    return items;
}

/** @param {string} id */
function pickFile(id) {
    const input = /** @type {HTMLInputElement} */ ($('fileinput'));
    input.value = '';
    input.onchange = () => {
        const f = input.files && input.files[0];
        if (f && app.sc)
            app.sc.sendFile(id, f);
    };
    input.click();
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
    if (window.matchMedia(NARROW).matches) {
        togglePanel('users', false);
        togglePanel('chat', false);
    }
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
        /** @type {HTMLDialogElement} */ ($('settings-dialog')).showModal();
    });
    const menu = $('menu');
    menu.addEventListener('keydown', menuKeys);
    document.addEventListener('pointerdown', e => {
        if (!menu.contains(/** @type {Node} */ (e.target)))
            closeMenu();
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

/**
 * Sets the visible label, tooltip and accessible name of a toolbar button.
 *
 * @param {HTMLElement} b
 * @param {string} text
 */
export function setButtonLabel(b, text) {
    const label = b.querySelector('.label');
    if (label)
        label.textContent = text;
    b.title = text;
    b.setAttribute('aria-label', text);
}
