// Page-wide state of the group page, shared by its modules.

/**
 * Page-wide state.  There is at most one connection at a time.
 */
export const app = {
    /** @type {ServerConnection|null} */
    sc: null,
    /** the group name, from the URL */
    group: groupFromPath(location.pathname),
    /** the group's .status, fetched at start-up */
    status: /** @type {Object<string, any>} */ ({}),
    /** token from ?token=, used once */
    token: /** @type {string|null} */ (null),
    /** what to enable once joined: '', 'mike' or 'both' */
    presentOnJoin: '',
    /** the last password, kept for reconnecting after a failed join */
    password: '',
    /** message to show on the login form after a disconnection */
    pendingNotice: /** @type {string|null} */ (null),
    /** whether the user has the hand raised */
    handRaised: false,
    /**
     * The join that succeeded, kept so that a lost connection can rejoin
     * by itself with the same name and credentials (a token too).
     * @type {{username: string|null, credentials: Object<string, any>}|null}
     */
    session: null,
    /** true from the user's Leave until the socket has closed */
    leaving: false,
    /** true while the connection is lost and being re-established */
    reconnecting: false,
    /** whether we are (or were, before the connection was lost) in the group */
    joined: false,
    /** the server's reason when it kicked us out itself (J25 shutdown) */
    serverGone: /** @type {string|null} */ (null),
};

/**
 * Leaves the group at the user's request: the closing socket then ends
 * the session instead of reconnecting.
 */
export function leave() {
    app.leaving = true;
    if (app.sc)
        app.sc.close();
}

/**
 * Whether a stream's connection went away by itself (server restart,
 * network drop), as opposed to the user leaving or being kicked out.
 *
 * @param {any} sc - the ServerConnection the stream belonged to.
 * @returns {boolean}
 */
export function connectionLost(sc) {
    return !!sc && !!sc.socket && sc.socket.readyState !== WebSocket.OPEN
        && !app.leaving && !app.pendingNotice;
}

/**
 * The group name is the path after /group/, without slashes at the ends.
 *
 * @param {string} path
 * @returns {string}
 */
function groupFromPath(path) {
    const m = /^\/group\/(.*)$/.exec(path);
    if (!m)
        return '';
    return m[1].replace(/^\/+|\/+$/g, '').split('/').map(decodeURIComponent).join('/');
}

/** @returns {string} the URL of this group's page, without query. */
export function groupURL() {
    let p = location.pathname;
    if (!p.endsWith('/'))
        p += '/';
    return location.origin + p;
}

