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
};

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

