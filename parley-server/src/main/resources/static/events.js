// A very small event bus: how a lower module (media, chat) tells the views
// above it that something changed, without importing them (which would
// make the imports circular).  Events used:
//   'controls'       - what we send changed; re-evaluate the toolbar.
//   'hand' (raised)  - our raised hand was set or lowered.

/** @type {Map<string, Array<(...args: any[]) => void>>} */
const handlers = new Map();

/**
 * @param {string} name
 * @param {(...args: any[]) => void} fn
 */
export function on(name, fn) {
    if (!handlers.has(name))
        handlers.set(name, []);
    handlers.get(name).push(fn);
}

/**
 * Calls every handler of the event; one that throws does not stop the others.
 *
 * @param {string} name
 * @param {...any} args
 */
export function emit(name, ...args) {
    for (const fn of handlers.get(name) || []) {
        try {
            fn(...args);
        } catch (e) {
            console.error(e);
        }
    }
}
