// Places the video tiles: an even grid that fills the video area, or one
// featured tile (pinned, else a screen share) with the others in a strip.
// Tiles are positioned absolutely rather than moved in the DOM, because
// moving a playing <video> element pauses it.

/** Gap between tiles, in CSS pixels. */
const GAP = 8;
/** The aspect ratio assumed for a video whose size is not known yet. */
const DEFAULT_ASPECT = 16 / 9;
/** The strip of other tiles next to a featured one: a fifth of the width, within these bounds. */
const STRIP_MIN = 160;
const STRIP_MAX = 320;

/** @returns {HTMLElement} */
function grid() {
    return /** @type {HTMLElement} */ (document.getElementById('video-grid'));
}

/**
 * The best even grid for n tiles of the given aspect in a w×h box: the
 * column count that makes the tiles largest.
 *
 * @param {number} n
 * @param {number} w
 * @param {number} h
 * @param {number} aspect
 * @returns {{cols: number, rows: number, tileW: number, tileH: number}}
 */
export function bestGrid(n, w, h, aspect) {
    let best = {cols: 1, rows: n, tileW: 0, tileH: 0};
    for (let cols = 1; cols <= n; cols++) {
        const rows = Math.ceil(n / cols);
        const tileW = Math.max(0, Math.min((w - GAP * (cols - 1)) / cols, ((h - GAP * (rows - 1)) / rows) * aspect));
        if (tileW > best.tileW)
            best = {cols, rows, tileW, tileH: tileW / aspect};
    }
    return best;
}

/**
 * @param {HTMLElement} tile
 * @param {number} x
 * @param {number} y
 * @param {number} w
 * @param {number} h
 */
function place(tile, x, y, w, h) {
    tile.style.left = Math.round(x) + 'px';
    tile.style.top = Math.round(y) + 'px';
    tile.style.width = Math.round(w) + 'px';
    tile.style.height = Math.round(h) + 'px';
}

/**
 * Lays n tiles out as an even grid in a box, centred.
 *
 * @param {Array<HTMLElement>} tiles
 * @param {number} x0
 * @param {number} y0
 * @param {number} w
 * @param {number} h
 */
function layGrid(tiles, x0, y0, w, h) {
    if (tiles.length === 0)
        return;
    const g = bestGrid(tiles.length, w, h, DEFAULT_ASPECT);
    const top = y0 + (h - (g.rows * g.tileH + (g.rows - 1) * GAP)) / 2;
    tiles.forEach((tile, i) => {
        const row = Math.floor(i / g.cols);
        // the last row may be shorter: centre it
        const inRow = Math.min(g.cols, tiles.length - row * g.cols);
        const left = x0 + (w - (inRow * g.tileW + (inRow - 1) * GAP)) / 2;
        place(tile, left + (i % g.cols) * (g.tileW + GAP), top + row * (g.tileH + GAP), g.tileW, g.tileH);
    });
}

/** In speaker view, the key of the tile that spoke last: it stays large through pauses. */
let lastSpeaker = '';

/** @returns {boolean} */
function speakerView() {
    const box = /** @type {HTMLInputElement|null} */ (document.getElementById('speakerbox'));
    return !!box && box.checked;
}

/**
 * The tile to show large, if any: a pinned one, else the latest screen
 * share, else in speaker view whoever spoke last.
 *
 * @param {Array<HTMLElement>} tiles
 * @returns {HTMLElement|null}
 */
function featuredTile(tiles) {
    const pinned = tiles.find(t => t.classList.contains('pinned'));
    if (pinned)
        return pinned;
    const shares = tiles.filter(t => t.dataset.label === 'screenshare');
    if (shares.length)
        return shares[shares.length - 1];
    if (!speakerView())
        return null;
    const speaking = tiles.find(t => t.classList.contains('speaking'));
    if (speaking)
        lastSpeaker = speaking.dataset.key || '';
    return tiles.find(t => t.dataset.key === lastSpeaker) || null;
}

/** Places every tile; called whenever tiles or the available space change. */
export function relayout() {
    const g = grid();
    const tiles = /** @type {Array<HTMLElement>} */ ([...g.querySelectorAll(':scope > .tile:not(.hidden-tile)')]);
    const w = g.clientWidth;
    const h = g.clientHeight;
    if (!w || !h)
        return;
    const featured = tiles.length > 1 ? featuredTile(tiles) : null;
    for (const tile of tiles)
        tile.classList.toggle('featured', tile === featured);
    g.classList.toggle('has-featured', !!featured);
    if (!featured) {
        layGrid(tiles, 0, 0, w, h);
        return;
    }
    const others = tiles.filter(t => t !== featured);
    if (w >= h) {
        // wide: the strip on the right
        const strip = Math.min(STRIP_MAX, Math.max(STRIP_MIN, w / 5));
        layGrid(others, w - strip, 0, strip, h);
        place(featured, 0, 0, w - strip - GAP, h);
    } else {
        // tall (a phone): the strip below
        const strip = Math.min(h / 3, Math.max(STRIP_MIN * 0.6, h / 5));
        layGrid(others, 0, h - strip, w, strip);
        place(featured, 0, 0, w, h - strip - GAP);
    }
}

/** Keeps the layout up to date with the window, the panels and the tiles. */
export function setup() {
    const g = grid();
    let pending = false;
    const schedule = () => {
        if (pending)
            return;
        pending = true;
        // a microtask rather than an animation frame: frames may be throttled in background tabs
        queueMicrotask(() => {
            pending = false;
            relayout();
        });
    };
    new ResizeObserver(schedule).observe(g);
    document.getElementById('speakerbox')?.addEventListener('change', schedule);
    new MutationObserver(schedule).observe(g, {childList: true, subtree: true, attributeFilter: ['class', 'data-label']});
}
