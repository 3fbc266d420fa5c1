// Landing page: lists the public groups and lets the user go to any group.

import {t, translatePage} from './strings.js';

/**
 * Returns the URL path of a group page.
 *
 * @param {string} name
 * @returns {string}
 */
function groupPath(name) {
    return '/group/' + name.split('/').map(encodeURIComponent).join('/') + '/';
}

/**
 * @param {Object<string, any>} g - a public group status entry (spec H26).
 * @returns {HTMLLIElement}
 */
function groupItem(g) {
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = g.redirect || groupPath(g.name);
    const name = document.createElement('span');
    name.className = 'group-name';
    name.textContent = g.displayName || g.name;
    a.append(name);
    if (g.description) {
        const d = document.createElement('span');
        d.className = 'group-description';
        d.textContent = g.description;
        a.append(d);
    }
    if (typeof g.clientCount === 'number') {
        const c = document.createElement('span');
        c.className = 'group-count';
        c.textContent = g.clientCount === 1 ? t('clientCountOne') : t('clientCountMany', g.clientCount);
        a.append(c);
    }
    if (g.locked) {
        const l = document.createElement('span');
        l.className = 'group-locked';
        l.textContent = t('lockedGroup');
        a.append(l);
    }
    li.append(a);
    return li;
}

async function listPublicGroups() {
    const status = document.getElementById('public-status');
    const list = document.getElementById('public-groups');
    let groups;
    try {
        const r = await fetch('/public-groups.json', {cache: 'no-cache'});
        if (!r.ok)
            throw new Error(`${r.status} ${r.statusText}`);
        groups = await r.json();
        if (!Array.isArray(groups))
            throw new Error('not a list');
    } catch (e) {
        console.warn(e);
        status.textContent = t('cannotLoadGroups');
        status.classList.add('error-text');
        return;
    }
    list.replaceChildren(...groups.filter(g => g && typeof g.name === 'string').map(groupItem));
    if (list.children.length === 0) {
        status.textContent = t('noPublicGroups');
    } else {
        status.textContent = '';
        status.classList.add('hidden');
    }
}

function setup() {
    translatePage(document);
    document.title = t('appName');
    document.getElementById('groupform').addEventListener('submit', e => {
        e.preventDefault();
        const name = document.getElementById('group').value.trim().replace(/^\/+|\/+$/g, '');
        if (name)
            location.href = groupPath(name);
    });
    listPublicGroups();
}

setup();
