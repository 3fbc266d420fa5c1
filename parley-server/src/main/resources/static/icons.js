// The client's own icons, as DOM elements: the same drawings as the
// toolbar's, so that nothing depends on an emoji font.

const SVG = 'http://www.w3.org/2000/svg';

/** Path data of each icon, on a 24×24 grid. */
const PATHS = {
    hand: ['M8 12V5a1.5 1.5 0 0 1 3 0v6V3.5a1.5 1.5 0 0 1 3 0V11V5a1.5 1.5 0 0 1 3 0v9c0 4-2.5 7-6.5 7S5 18 4 15l-1.5-4a1.5 1.5 0 0 1 2.8-1z'],
    micOff: ['M9 5a3 3 0 0 1 6 0v6a3 3 0 0 1-6 0z', 'M5 11a7 7 0 0 0 14 0h-2a5 5 0 0 1-10 0z', 'M11 18h2v4h-2z',
        'M3.3 2 21.9 20.6l-1.4 1.4L1.9 3.4z'],
    screen: ['M2 6a2 2 0 0 1 2-2h16a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2z', 'M8 19h8v2H8z'],
    fullscreen: ['M3 3h7v2H5v5H3zm11 0h7v7h-2V5h-5zM3 14h2v5h5v2H3zm16 0h2v7h-7v-2h5z'],
    pip: ['M2 5a2 2 0 0 1 2-2h16a2 2 0 0 1 2 2v14a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2zm2 0v14h16V5z', 'M12 12h7v6h-7z'],
    pin: ['M14 2l8 8-2 2-1.5-1.5L14 15l1 5-2 2-4.5-4.5L3 23l-1-1 5.5-5.5L3 12l2-2 5 1 4.5-4.5L13 4z'],
};

/**
 * A decorative icon: its meaning must be given in text next to it or in
 * the accessible name of its container.
 *
 * @param {keyof typeof PATHS} name
 * @param {string} [className]
 * @returns {SVGSVGElement}
 */
export function icon(name, className) {
    const svg = /** @type {SVGSVGElement} */ (document.createElementNS(SVG, 'svg'));
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('class', 'icon' + (className ? ' ' + className : ''));
    for (const d of PATHS[name]) {
        const p = document.createElementNS(SVG, 'path');
        p.setAttribute('d', d);
        svg.append(p);
    }
    return svg;
}
