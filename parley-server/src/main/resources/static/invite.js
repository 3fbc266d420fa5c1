// Invitations (tokens, spec T1-T8): the invitation dialog and the
// maketoken request behind both it and the /invite command.

import {t} from './strings.js';
import {app} from './state.js';
import {$, showDialog, toast} from './widgets.js';

/** One day, the default lifetime of an invitation (spec T4). */
export const DEFAULT_INVITE_MS = 24 * 60 * 60 * 1000;

/**
 * Parses a duration such as 90s, 30m, 2h, 3d or 1w into milliseconds.
 *
 * @param {string} s
 * @returns {number}
 */
export function parseDuration(s) {
    const m = /^(\d+)\s*([smhdw]?)$/.exec(s.trim());
    if (!m)
        throw new Error(t('badDuration', s));
    const unit = {'': 1000, s: 1000, m: 60000, h: 3600000, d: 86400000, w: 604800000}[m[2]];
    return parseInt(m[1], 10) * unit;
}

/**
 * Asks the server for an invitation to the current group, with the
 * permissions an invited guest needs (never more than ours).
 *
 * @param {Object} o
 * @param {string} [o.username] - the only username the invitation admits.
 * @param {number|Date} [o.expires] - a lifetime in ms, or a date.
 * @param {Date} [o.notBefore] - the invitation is refused before this date.
 */
export function makeInvite(o) {
    const sc = app.sc;
    if (!sc)
        throw new Error(t('notConnected'));
    /** @type {Object<string, any>} */
    const v = {
        group: sc.group,
        expires: o.expires instanceof Date ? o.expires.toISOString() : (o.expires ?? DEFAULT_INVITE_MS),
        permissions: sc.permissions.filter(p => p === 'present' || p === 'message'),
    };
    if (o.username)
        v.username = o.username;
    if (o.notBefore)
        v['not-before'] = o.notBefore.toISOString();
    sc.groupAction('maketoken', v);
}

/**
 * The value of a datetime-local input for a date, in local time.
 *
 * @param {Date} d
 * @returns {string}
 */
function inputValue(d) {
    const pad = n => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Opens the invitation dialog: optional username, "not before" and expiry. */
export async function openInviteDialog() {
    const dialog = /** @type {HTMLDialogElement} */ ($('invite-dialog'));
    const user = /** @type {HTMLInputElement} */ ($('invite-username'));
    const notBefore = /** @type {HTMLInputElement} */ ($('invite-not-before'));
    const expires = /** @type {HTMLInputElement} */ ($('invite-expires'));
    const now = new Date();
    now.setSeconds(0, 0);
    user.value = '';
    notBefore.value = '';
    notBefore.min = inputValue(now);
    expires.min = inputValue(now);
    expires.value = inputValue(new Date(now.getTime() + DEFAULT_INVITE_MS));
    // an invitation valid from later keeps its default lifetime from then on
    notBefore.onchange = () => {
        const nb = notBefore.value ? new Date(notBefore.value) : null;
        if (nb && (!expires.value || new Date(expires.value) <= nb))
            expires.value = inputValue(new Date(nb.getTime() + DEFAULT_INVITE_MS));
        expires.min = notBefore.value || inputValue(now);
    };
    if (await showDialog(dialog, user) !== 'ok')
        return;
    // datetime-local values are local times, which is how Date parses them
    const nb = notBefore.value ? new Date(notBefore.value) : undefined;
    const ex = expires.value ? new Date(expires.value) : undefined;
    if (nb && ex && ex <= nb) {
        toast(t('inviteExpiresBeforeStart'), 'error');
        return;
    }
    try {
        makeInvite({username: user.value.trim() || undefined, notBefore: nb, expires: ex});
    } catch (e) {
        toast(String(e.message || e), 'error');
    }
}
