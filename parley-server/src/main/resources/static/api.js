// Helpers for the pages that use the administrative API (/galene-api/v0).

/**
 * The API path of a group; a group name may contain slashes (subgroups).
 *
 * @param {string} group
 * @returns {string}
 */
export function apiGroupPath(group) {
    return '/galene-api/v0/.groups/' + group.split('/').map(encodeURIComponent).join('/');
}

/**
 * An HTTP Basic Authorization header value; UTF-8, unlike btoa alone.
 *
 * @param {string} user
 * @param {string} password
 * @returns {string}
 */
export function basicAuth(user, password) {
    const bytes = new TextEncoder().encode(`${user}:${password}`);
    let s = '';
    for (const b of bytes)
        s += String.fromCharCode(b);
    return 'Basic ' + btoa(s);
}
