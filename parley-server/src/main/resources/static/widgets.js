// Page-wide widgets shared by every view: toasts, toolbar button labels,
// popup menus and modal dialogs.  Depends only on strings.js.

import {t} from './strings.js';

/** @param {string} id @returns {HTMLElement} */
export function $(id) {
    return /** @type {HTMLElement} */ (document.getElementById(id));
}

/**
 * Shows a transient notification.  Errors stay longer; all are dismissible.
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

/* ------------------------------------------------------------------ menus */

/** @type {HTMLElement|null} */
let menuOpener = null;

/**
 * Opens the popup menu next to an element; the first item gets the focus.
 *
 * @param {HTMLElement} opener
 * @param {string} label
 * @param {Array<[string, () => void]>} items
 */
export function openMenu(opener, label, items) {
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

export function closeMenu() {
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

/** @param {KeyboardEvent} e */
function menuKeys(e) {
    const items = /** @type {Array<HTMLElement>} */ ([...$('menu').querySelectorAll('button')]);
    const i = items.indexOf(/** @type {HTMLElement} */ (document.activeElement));
    const go = n => {
        e.preventDefault();
        items[(n + items.length) % items.length].focus();
    };
    switch (e.key) {
    case 'Escape':
        e.preventDefault();
        closeMenu();
        break;
    case 'ArrowDown':
        go(i + 1);
        break;
    case 'ArrowUp':
        go(i - 1);
        break;
    case 'Home':
        go(0);
        break;
    case 'End':
        go(items.length - 1);
        break;
    case 'Tab':
        closeMenu();
        break;
    }
}

/* ---------------------------------------------------------------- dialogs */

/**
 * Opens a modal <dialog>.  The browser keeps the focus inside it and makes
 * the rest of the page inert; when it closes, the focus goes back to what
 * had it before (the menu's opener, a button).
 *
 * @param {HTMLDialogElement} dialog
 * @param {HTMLElement|null} [focus] - the control to focus first.
 * @returns {Promise<string>} the dialog's returnValue when it closes.
 */
export function showDialog(dialog, focus) {
    const back = /** @type {HTMLElement|null} */ (document.activeElement);
    dialog.returnValue = '';
    dialog.showModal();
    if (focus)
        focus.focus();
    return new Promise(resolve => {
        dialog.addEventListener('close', () => {
            if (back && back.isConnected)
                back.focus();
            resolve(dialog.returnValue);
        }, {once: true});
    });
}

/**
 * Asks for a line of text in the page's own dialog (never prompt()).
 *
 * @param {Object} o
 * @param {string} o.title - the dialog's heading.
 * @param {string} o.label - the text field's label.
 * @param {string} o.confirm - the confirming button's text.
 * @param {boolean} [o.required] - whether an empty answer is refused.
 * @param {boolean} [o.danger] - whether the confirming button is red.
 * @returns {Promise<string|null>} the text, or null if cancelled.
 */
export async function askText(o) {
    const dialog = /** @type {HTMLDialogElement} */ ($('text-dialog'));
    const input = /** @type {HTMLInputElement} */ ($('text-dialog-input'));
    const ok = /** @type {HTMLButtonElement} */ ($('text-dialog-ok'));
    $('text-dialog-heading').textContent = o.title;
    $('text-dialog-label').textContent = o.label;
    ok.textContent = o.confirm;
    ok.classList.toggle('btn-danger', !!o.danger);
    ok.classList.toggle('btn-primary', !o.danger);
    input.value = '';
    input.required = !!o.required;
    const answer = await showDialog(dialog, input);
    return answer === 'ok' ? input.value.trim() : null;
}

export function setup() {
    const menu = $('menu');
    menu.addEventListener('keydown', menuKeys);
    document.addEventListener('pointerdown', e => {
        if (!menu.contains(/** @type {Node} */ (e.target)))
            closeMenu();
    });
    // Cancel buttons of forms in dialogs close without validating.
    for (const b of document.querySelectorAll('dialog button[value=cancel]'))
        b.setAttribute('formnovalidate', '');
    // Enter in a field confirms (the browser would press the first button: Cancel).
    for (const dialog of document.querySelectorAll('dialog')) {
        const form = dialog.querySelector('form');
        if (!form || !form.querySelector('button[value=ok]'))
            continue;
        form.addEventListener('keydown', e => {
            const target = /** @type {HTMLElement} */ (e.target);
            if (e.key !== 'Enter' || target.tagName !== 'INPUT' || e.isComposing)
                return;
            e.preventDefault();
            if (form.reportValidity())
                /** @type {HTMLDialogElement} */ (dialog).close('ok');
        });
    }
}
