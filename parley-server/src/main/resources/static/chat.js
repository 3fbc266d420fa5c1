// The chat panel: displaying messages, sending them, private messages,
// clearing, and file transfers (which are announced in the chat).

import {t} from './strings.js';
import {app} from './state.js';
import {toast, openMenu} from './widgets.js';

/**
 * Runs a chat line that starts with '/'; set by the page (commands.js sits
 * above this module and imports it).
 * @type {(line: string) => void}
 */
let commandRunner = () => toast(t('notConnected'), 'error');

/** Private-message recipient, or null for broadcast. */
let privateTarget = /** @type {string|null} */ (null);

/** Keep the page from growing without bound in long meetings. */
const MAX_MESSAGES = 500;

/** @returns {HTMLElement} */
function box() {
    return /** @type {HTMLElement} */ (document.getElementById('box'));
}

/**
 * Appends a child to the chat, keeping the view at the bottom if it was.
 *
 * @param {HTMLElement} e
 */
function append(e) {
    const b = box();
    const atBottom = b.scrollHeight - b.scrollTop - b.clientHeight < 40;
    b.append(e);
    while (b.childElementCount > MAX_MESSAGES)
        b.firstElementChild.remove();
    if (atBottom)
        b.scrollTop = b.scrollHeight;
}

/**
 * Appends text to an element, turning http(s) URLs into links.
 *
 * @param {HTMLElement} e
 * @param {string} text
 */
function appendLinkified(e, text) {
    const re = /\bhttps?:\/\/[^\s<>"]+/g;
    let last = 0;
    for (const m of text.matchAll(re)) {
        e.append(text.slice(last, m.index));
        const a = document.createElement('a');
        a.href = m[0];
        a.textContent = m[0];
        a.target = '_blank';
        a.rel = 'noreferrer noopener';
        e.append(a);
        last = m.index + m[0].length;
    }
    e.append(text.slice(last));
}

/**
 * @param {Date|null} time
 * @returns {string}
 */
function formatTime(time) {
    const d = time || new Date();
    return d.toLocaleTimeString(undefined, {hour: '2-digit', minute: '2-digit'});
}

/**
 * Displays one chat message.
 *
 * @param {Object} m
 * @param {string} [m.id]
 * @param {string} [m.source]
 * @param {string} [m.username]
 * @param {Date|null} [m.time]
 * @param {boolean} [m.privileged]
 * @param {boolean} [m.history]
 * @param {string} [m.kind]
 * @param {string} m.text
 * @param {string} [m.privateNote]
 */
function display(m) {
    const e = document.createElement('div');
    e.className = 'message';
    if (m.id)
        e.dataset.id = m.id;
    if (m.source)
        e.dataset.source = m.source;
    e.classList.toggle('privileged', !!m.privileged);
    e.classList.toggle('history', !!m.history);
    e.classList.toggle('me', m.kind === 'me');
    e.classList.toggle('private', !!m.privateNote);
    const header = document.createElement('div');
    header.className = 'message-header';
    const user = document.createElement('span');
    user.className = 'message-user';
    user.textContent = m.username || t('anonymous');
    const time = document.createElement('time');
    time.className = 'message-time';
    time.textContent = formatTime(m.time || null);
    if (m.time)
        time.dateTime = m.time.toISOString();
    header.append(user, time);
    if (m.privateNote) {
        const p = document.createElement('span');
        p.className = 'message-private';
        p.textContent = m.privateNote;
        header.append(p);
    }
    if (m.source && !m.privateNote)
        header.append(messageMenuButton(m.source, m.id || '', m.username || t('anonymous')));
    const body = document.createElement('div');
    body.className = 'message-body';
    appendLinkified(body, m.kind === 'me' ? `* ${m.username || ''} ${m.text}` : m.text);
    e.append(header, body);
    append(e);
}

/**
 * The operators' menu of a message (hidden by CSS from others): delete it,
 * or everything its author wrote (spec GA2).
 *
 * @param {string} source
 * @param {string} id
 * @param {string} name
 * @returns {HTMLButtonElement}
 */
function messageMenuButton(source, id, name) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'message-menu';
    b.textContent = '⋯';
    b.setAttribute('aria-label', t('messageMenu', name));
    b.setAttribute('aria-haspopup', 'menu');
    b.addEventListener('click', () => {
        const sc = app.sc;
        if (!sc)
            return;
        /** @type {Array<[string, () => void]>} */
        const items = [];
        if (id)
            items.push([t('deleteMessage'), () => sc.groupAction('clearchat', {id, userId: source})]);
        items.push([t('deleteAllFrom', name), () => sc.groupAction('clearchat', {userId: source})]);
        openMenu(b, t('messageMenu', name), items);
    });
    return b;
}

/** How long a caption stays when no new one replaces it. */
const CAPTION_MS = 4000;
let captionTimer = 0;

/**
 * Shows a caption over the videos (galene-stt sends them as chat
 * messages of kind 'caption'); it fades after a few seconds.
 *
 * @param {string} text
 */
export function showCaption(text) {
    const c = document.getElementById('captions');
    c.textContent = text;
    c.classList.toggle('hidden', !text);
    clearTimeout(captionTimer);
    captionTimer = setTimeout(() => c.classList.add('hidden'), CAPTION_MS);
}

/**
 * ServerConnection.onchat.
 *
 * @this {import('./protocol.js').ServerConnection}
 */
export function onChat(id, source, dest, username, time, privileged, history, kind, message) {
    if (kind === 'caption' || kind === 'captions') {
        if (!history)
            showCaption(String(message));
        return;
    }
    if (kind && kind !== 'me') {
        // application-specific kinds (e.g. 'caption') are not chat text
        console.info('chat of kind', kind, message);
        return;
    }
    // after a reconnection the server sends its history again: show each message once
    if (history && id && box().querySelector(`.message[data-id="${CSS.escape(id)}"]`))
        return;
    const privateNote = dest ? t('privateFrom', username || '') : undefined;
    display({id, source, username, time, privileged, history, kind, text: message, privateNote});
}

/**
 * Displays a local notice in the chat.
 *
 * @param {string} text
 */
export function systemMessage(text) {
    const e = document.createElement('div');
    e.className = 'message system';
    const body = document.createElement('div');
    body.className = 'message-body';
    appendLinkified(body, text);
    e.append(body);
    append(e);
}

/**
 * Applies a clearchat (spec GA2): everything, a user's messages, or one.
 *
 * @param {any} value
 */
export function clear(value) {
    const b = box();
    if (!value || typeof value !== 'object' || (!value.userId && !value.id)) {
        b.replaceChildren();
        return;
    }
    for (const e of [...b.querySelectorAll('.message')]) {
        const el = /** @type {HTMLElement} */ (e);
        if (el.dataset.source !== value.userId)
            continue;
        if (!value.id || el.dataset.id === value.id)
            el.remove();
    }
}

/**
 * Sends a chat line, or runs it as a command.
 *
 * @param {string} text
 */
export function sendLine(text) {
    if (!text.trim())
        return;
    const sc = app.sc;
    if (text.startsWith('/') && !text.startsWith('//')) {
        commandRunner(text);
        return;
    }
    if (text.startsWith('//'))
        text = text.slice(1);
    if (!sc) {
        toast(t('notConnected'), 'error');
        return;
    }
    if (privateTarget) {
        sendPrivate(privateTarget, text, '');
        return;
    }
    sc.chat('', '', text);
}

/**
 * Sends a private message and shows it locally (the server does not echo
 * private messages).
 *
 * @param {string} id
 * @param {string} text
 * @param {string} kind
 */
export function sendPrivate(id, text, kind) {
    const sc = app.sc;
    if (!sc)
        return;
    const u = sc.users[id];
    if (!u) {
        toast(t('userNotFound', id), 'error');
        return;
    }
    sc.chat(kind, id, text);
    display({
        source: sc.id, username: sc.username || '', time: new Date(),
        kind, text, privateNote: t('privateTo', u.username || ''),
    });
}

/**
 * Directs the next messages to one user.
 *
 * @param {string|null} id
 */
export function setPrivateTarget(id) {
    privateTarget = id;
    const bar = document.getElementById('private-target');
    const u = id && app.sc && app.sc.users[id];
    bar.classList.toggle('hidden', !u);
    document.getElementById('private-target-text').textContent = u ? t('privateTo', u.username || '') : '';
    document.getElementById('input').focus();
}

/**
 * @param {(line: string) => void} runCommand - runs a chat line starting with '/'.
 */
export function setup(runCommand) {
    commandRunner = runCommand;
    const input = /** @type {HTMLTextAreaElement} */ (document.getElementById('input'));
    const send = () => {
        const text = input.value;
        input.value = '';
        try {
            sendLine(text);
        } catch (e) {
            toast(String(e.message || e), 'error');
        }
    };
    document.getElementById('inputform').addEventListener('submit', e => {
        e.preventDefault();
        send();
    });
    input.addEventListener('keydown', e => {
        if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            send();
        } else if (e.key === 'Escape' && privateTarget) {
            setPrivateTarget(null);
        }
    });
    document.getElementById('private-cancel').addEventListener('click', () => setPrivateTarget(null));
}

/* -------------------------------------------------------- file transfer */

/**
 * Lets the user choose a file, then offers it to a user (spec F1).
 *
 * @param {string} id
 */
export function pickFile(id) {
    const input = /** @type {HTMLInputElement} */ (document.getElementById('fileinput'));
    input.value = '';
    input.onchange = () => {
        const f = input.files && input.files[0];
        if (f && app.sc)
            app.sc.sendFile(id, f);
    };
    input.click();
}

/**
 * @param {number} n
 * @returns {string}
 */
function humanSize(n) {
    if (n < 1024)
        return `${n} B`;
    if (n < 1024 * 1024)
        return `${(n / 1024).toFixed(1)} kB`;
    if (n < 1024 * 1024 * 1024)
        return `${(n / 1024 / 1024).toFixed(1)} MB`;
    return `${(n / 1024 / 1024 / 1024).toFixed(1)} GB`;
}

/**
 * @param {string} text
 * @param {string} [cls]
 * @param {() => void} [action]
 */
function button(text, cls, action) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'btn btn-small ' + (cls || '');
    b.textContent = text;
    if (action)
        b.addEventListener('click', action);
    return b;
}

/**
 * ServerConnection.onfiletransfer: shows a card in the chat that follows
 * the transfer.
 *
 * @param {import('./protocol.js').TransferredFile} f
 */
export function onFileTransfer(f) {
    const card = document.createElement('div');
    card.className = 'file-transfer';
    card.dataset.fileid = f.id;
    const text = document.createElement('div');
    const progress = document.createElement('progress');
    progress.max = f.size || 1;
    progress.value = 0;
    progress.classList.add('hidden');
    const buttons = document.createElement('div');
    buttons.className = 'buttons';
    card.append(text, progress, buttons);
    append(card);

    if (f.up) {
        text.textContent = t('fileWaiting', f.username || '', f.name);
        buttons.append(button(t('fileCancel'), '', () => f.cancel()));
    } else {
        text.textContent = t('fileOffer', f.username || '', f.name, humanSize(f.size));
        buttons.append(
            button(t('fileAccept'), 'btn-primary', () => {
                buttons.replaceChildren(button(t('fileCancel'), '', () => f.cancel()));
                f.receive().catch(e => f.cancel(e));
            }),
            button(t('fileReject'), '', () => f.cancel()));
    }

    f.onevent = (state, data) => {
        switch (state) {
        case 'connecting':
        case 'connected':
            progress.classList.remove('hidden');
            progress.value = f.datalen;
            text.textContent = f.up ? t('fileSending', f.name, f.username || '')
                : t('fileProgress', f.name, f.size ? Math.floor(100 * f.datalen / f.size) : 100);
            break;
        case 'done':
            progress.value = f.size;
            text.textContent = t('fileDone', f.name);
            buttons.replaceChildren();
            if (!f.up && data instanceof Blob) {
                const a = document.createElement('a');
                a.href = URL.createObjectURL(data);
                a.download = f.name;
                a.className = 'btn btn-small btn-primary';
                a.textContent = t('fileDownload', f.name);
                buttons.append(a);
            }
            break;
        case 'cancelled':
            progress.classList.add('hidden');
            text.textContent = t('fileCancelled', f.name,
                data ? ': ' + (data instanceof Error ? data.message : String(data)) : '');
            buttons.replaceChildren();
            break;
        }
    };
}
