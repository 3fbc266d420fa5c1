// The change-password page: a user changes their own password in a group
// through the administrative API (spec H56), authenticated by the old one.

import {t, translatePage} from './strings.js';
import {apiGroupPath, basicAuth} from './api.js';

/** @param {string} id @returns {HTMLInputElement} */
function input(id) {
    return /** @type {HTMLInputElement} */ (document.getElementById(id));
}

/**
 * Shows one outcome: an error, or the success notice.
 *
 * @param {string|null} error
 * @param {string|null} done
 */
function show(error, done) {
    const e = document.getElementById('pw-error');
    e.textContent = error || '';
    e.classList.toggle('hidden', !error);
    const d = document.getElementById('pw-done');
    d.textContent = done || '';
    d.classList.toggle('hidden', !done);
}

/**
 * @param {Response} r
 * @returns {string} what went wrong, in the user's words.
 */
function failure(r) {
    switch (r.status) {
    case 401:
        return t('passwordWrong');
    case 403:
        return t('passwordChangeForbidden');
    case 404:
        return t('passwordNoSuchUser');
    default:
        return t('passwordChangeFailed', `${r.status} ${r.statusText}`);
    }
}

async function submit(e) {
    e.preventDefault();
    const group = input('pw-group').value.trim().replace(/^\/+|\/+$/g, '');
    const user = input('pw-username').value.trim();
    const old = input('pw-old').value;
    const pw = input('pw-new').value;
    if (pw !== input('pw-confirm').value) {
        show(t('passwordsDiffer'), null);
        input('pw-confirm').focus();
        return;
    }
    const button = /** @type {HTMLButtonElement} */ (document.getElementById('pw-submit'));
    button.disabled = true;
    try {
        const r = await fetch(`${apiGroupPath(group)}/.users/${encodeURIComponent(user)}/.password`, {
            method: 'POST',
            // the old password proves who we are; no stored credentials are sent
            credentials: 'omit',
            headers: {'Content-Type': 'text/plain', 'Authorization': basicAuth(user, old)},
            body: pw,
        });
        if (!r.ok) {
            show(failure(r), null);
            return;
        }
        for (const id of ['pw-old', 'pw-new', 'pw-confirm'])
            input(id).value = '';
        show(null, t('passwordChanged', user, group));
    } catch (err) {
        show(t('passwordChangeFailed', err.message || err), null);
    } finally {
        button.disabled = false;
    }
}

function start() {
    translatePage(document);
    document.title = `${t('changePasswordHeading')} — ${t('appName')}`;
    const q = new URLSearchParams(location.search);
    input('pw-group').value = q.get('group') || '';
    input('pw-username').value = q.get('username') || '';
    const first = ['pw-group', 'pw-username', 'pw-old'].find(id => !input(id).value);
    input(first || 'pw-old').focus();
    document.getElementById('passwordform').addEventListener('submit', submit);
}

start();
