// Slash commands typed in the chat input.

import {t} from './strings.js';
import {app, leave} from './state.js';
import * as chat from './chat.js';
import * as media from './media.js';
import * as ui from './ui.js';
import {toast} from './widgets.js';
import {makeInvite, parseDuration, DEFAULT_INVITE_MS} from './invite.js';

/**
 * @typedef {Object} Command
 * @property {string} help - key in strings.js.
 * @property {string} [args] - argument synopsis.
 * @property {string} [permission] - required permission, if any.
 * @property {(rest: string) => void} run
 */

/** @returns {import('./protocol.js').ServerConnection} */
function sc() {
    if (!app.sc)
        throw new Error(t('notConnected'));
    return app.sc;
}

/**
 * Splits "first rest of line" into its first word and the rest.
 *
 * @param {string} s
 * @returns {[string, string]}
 */
function firstWord(s) {
    const m = /^\s*(\S+)\s*([\s\S]*)$/.exec(s);
    return m ? [m[1], m[2]] : ['', ''];
}

/**
 * Finds a user id by username (or by id).
 *
 * @param {string} name
 * @returns {string}
 */
function findUser(name) {
    const s = sc();
    if (!name)
        throw new Error(t('needArgument'));
    if (s.users[name])
        return name;
    for (const id in s.users) {
        if (s.users[id].username === name)
            return id;
    }
    throw new Error(t('userNotFound', name));
}

/**
 * /invite [username] [duration]: asks the server for an invitation.
 *
 * @param {string} rest
 */
function inviteCommand(rest) {
    const [username, more] = firstWord(rest);
    makeInvite({username: username || undefined, expires: more ? parseDuration(more) : undefined});
}

/**
 * @param {string} kind
 * @returns {(rest: string) => void}
 */
function userActionCommand(kind) {
    return rest => {
        const [name, more] = firstWord(rest);
        sc().userAction(kind, findUser(name), more || undefined);
    };
}

/** @type {Object<string, Command>} */
const commands = {
    help: {help: 'cmdHelp', run: () => showHelp()},
    msg: {
        help: 'cmdMsg', args: 'user message',
        run: rest => {
            const [name, text] = firstWord(rest);
            if (!text)
                throw new Error(t('needArgument'));
            chat.sendPrivate(findUser(name), text, '');
        },
    },
    me: {
        help: 'cmdMe', args: 'message',
        run: rest => {
            if (!rest)
                throw new Error(t('needArgument'));
            sc().chat('me', '', rest);
        },
    },
    leave: {help: 'cmdLeave', run: () => { sc(); leave(); }},
    clear: {
        help: 'cmdClear',
        run: () => {
            const s = sc();
            if (s.permissions.includes('op'))
                s.groupAction('clearchat');
            else
                chat.clear(null);
        },
    },
    lock: {help: 'cmdLock', args: '[message]', permission: 'op', run: rest => sc().groupAction('lock', rest || undefined)},
    unlock: {help: 'cmdUnlock', permission: 'op', run: () => sc().groupAction('unlock')},
    record: {help: 'cmdRecord', permission: 'record', run: () => sc().groupAction('record')},
    unrecord: {help: 'cmdUnrecord', permission: 'record', run: () => sc().groupAction('unrecord')},
    subgroups: {help: 'cmdSubgroups', permission: 'op', run: () => sc().groupAction('subgroups')},
    setdata: {
        help: 'cmdSetdata', args: '{json}', permission: 'op',
        run: rest => sc().groupAction('setdata', JSON.parse(rest || '{}')),
    },
    op: {help: 'cmdOp', args: 'user', permission: 'op', run: userActionCommand('op')},
    unop: {help: 'cmdUnop', args: 'user', permission: 'op', run: userActionCommand('unop')},
    present: {help: 'cmdPresent', args: 'user', permission: 'op', run: userActionCommand('present')},
    unpresent: {help: 'cmdUnpresent', args: 'user', permission: 'op', run: userActionCommand('unpresent')},
    kick: {help: 'cmdKick', args: 'user [message]', permission: 'op', run: userActionCommand('kick')},
    identify: {help: 'cmdIdentify', args: 'user', permission: 'op', run: userActionCommand('identify')},
    mute: {
        help: 'cmdMute', args: 'user', permission: 'op',
        run: rest => sc().userMessage('mute', findUser(firstWord(rest)[0]), null),
    },
    warn: {
        help: 'cmdWarn', args: 'user message', permission: 'op',
        run: rest => {
            const [name, text] = firstWord(rest);
            if (!text)
                throw new Error(t('needArgument'));
            sc().userMessage('warning', findUser(name), text);
        },
    },
    wall: {
        help: 'cmdWall', args: 'message', permission: 'op',
        run: rest => {
            if (!rest)
                throw new Error(t('needArgument'));
            sc().userMessage('warning', '', rest);
        },
    },
    raise: {help: 'cmdRaise', run: () => ui.setHand(true)},
    unraise: {help: 'cmdUnraise', run: () => ui.setHand(false)},
    invite: {help: 'cmdInvite', args: '[username] [duration]', permission: 'token', run: inviteCommand},
    reinvite: {
        help: 'cmdReinvite', args: 'token [duration]', permission: 'token',
        run: rest => {
            const [token, more] = firstWord(rest);
            if (!token)
                throw new Error(t('needArgument'));
            sc().groupAction('edittoken', {token: tokenName(token), expires: more ? parseDuration(more) : DEFAULT_INVITE_MS});
        },
    },
    revoke: {
        help: 'cmdRevoke', args: 'token', permission: 'token',
        run: rest => {
            const [token] = firstWord(rest);
            if (!token)
                throw new Error(t('needArgument'));
            // an expiry one second in the past (spec T7)
            sc().groupAction('edittoken', {token: tokenName(token), expires: -1000});
        },
    },
    listtokens: {help: 'cmdListtokens', permission: 'token', run: () => sc().groupAction('listtokens')},
    renegotiate: {help: 'cmdRenegotiate', run: () => media.renegotiateAll()},
    sharescreen: {
        help: 'cmdSharescreen', permission: 'present',
        run: () => {
            media.shareScreen().catch(e => toast(t('cannotShare', e.message || e), 'error'));
        },
    },
    unsharescreen: {help: 'cmdUnsharescreen', run: () => media.unshareScreen()},
    shutup: {help: 'cmdShutup', args: 'user', permission: 'op', run: userActionCommand('shutup')},
    unshutup: {help: 'cmdUnshutup', args: 'user', permission: 'op', run: userActionCommand('unshutup')},
    muteall: {help: 'cmdMuteall', permission: 'op', run: () => sc().userMessage('mute', '', null, true)},
    sendfile: {
        help: 'cmdSendfile', args: 'user',
        run: rest => chat.pickFile(findUser(firstWord(rest)[0])),
    },
    presentfile: {help: 'cmdPresentfile', permission: 'present', run: () => media.pickFileToPresent()},
    replace: {help: 'cmdReplace', run: () => { sc(); media.replaceUp(); }},
    set: {
        help: 'cmdSet', args: '[name [json value]]',
        run: rest => {
            const [name, value] = firstWord(rest);
            if (!name) {
                const all = media.getSettings();
                chat.systemMessage([t('settingsList'), ...Object.keys(all).sort()
                    .map(k => `${k}: ${JSON.stringify(all[k])}`)].join('\n'));
                return;
            }
            let v = true;
            if (value) {
                try {
                    v = JSON.parse(value);
                } catch (e) {
                    throw new Error(t('badJson', value));
                }
            }
            media.setSetting(name, v);
        },
    },
    unset: {
        help: 'cmdUnset', args: 'name',
        run: rest => {
            const [name] = firstWord(rest);
            if (!name)
                throw new Error(t('needArgument'));
            media.setSetting(name, undefined);
        },
    },
};

/**
 * Accepts either a token name or a full invitation link.
 *
 * @param {string} s
 * @returns {string}
 */
function tokenName(s) {
    try {
        const u = new URL(s);
        return u.searchParams.get('token') || s;
    } catch (e) {
        return s;
    }
}

/**
 * The commands available with the given permissions, sorted by name.
 *
 * @param {Array<string>} perms
 * @returns {Array<[string, Command]>}
 */
export function commandList(perms) {
    return Object.entries(commands)
        .filter(([, c]) => !c.permission || perms.includes(c.permission))
        .sort(([a], [b]) => a.localeCompare(b));
}

function showHelp() {
    const perms = app.sc ? app.sc.permissions : [];
    const lines = commandList(perms).map(([name, c]) => `/${name}${c.args ? ' ' + c.args : ''}: ${t(c.help)}`);
    chat.systemMessage([t('helpHeader'), ...lines].join('\n'));
}

/**
 * Runs a chat line starting with '/'.  Errors are shown to the user.
 *
 * @param {string} line
 */
export function runCommand(line) {
    const [word, rest] = firstWord(line.slice(1));
    const name = word.toLowerCase();
    const c = commands[name];
    if (!c) {
        toast(t('unknownCommand', word), 'error');
        return;
    }
    try {
        c.run(rest.trim());
    } catch (e) {
        toast(String(e && e.message ? e.message : e), 'error');
    }
}
