// Media: local camera/microphone, screen sharing, local video files,
// the video grid, and the tracks we ask the server for.

import {t} from './strings.js';
import {app, connectionLost} from './state.js';
import * as events from './events.js';
import {toast, setButtonLabel} from './widgets.js';
import {icon} from './icons.js';

/** maxBitrate of the main video encoding for each "send" setting. */
const SEND_RATES = {lowest: 150000, low: 300000, normal: 700000, unlimited: undefined};

/** The low simulcast layer: half the resolution at ~100 kbit/s. */
const SIMULCAST_LOW_RATE = 100000;

/** In 'auto' mode, simulcast once this many people are in the group. */
const SIMULCAST_AUTO_USERS = 3;

/** Opus bitrate with "high-quality audio" (the browser's default is ~32 kbit/s). */
const HQ_AUDIO_RATE = 128000;

/** The request map sent for each "receive" setting. */
const REQUESTS = {
    '': {},
    'audio': {'': ['audio']},
    'screenshare': {'screenshare': ['audio', 'video'], '': ['audio']},
    'everything-low': {'': ['audio', 'video-low']},
    'everything': {'': ['audio', 'video']},
};

const SETTINGS_KEY = 'parley-settings';

/** How often received audio levels are sampled for the "speaking" highlight. */
const SPEAKING_POLL_MS = 500;

/** Audio energy per second above which someone counts as speaking. */
const SPEAKING_ENERGY = 0.0001;

/**
 * @param {Object<string, any>} stats - Stream.stats.
 * @returns {boolean}
 */
function isSpeaking(stats) {
    for (const id in stats) {
        const inbound = stats[id]['inbound-rtp'];
        if (inbound && typeof inbound.audioEnergy === 'number' && inbound.audioEnergy > SPEAKING_ENERGY)
            return true;
    }
    return false;
}

/** Persisted preferences, by select/checkbox id. */
let settings = /** @type {Object<string, string|boolean>} */ ({});

/** Whether our microphone is muted. */
let muted = false;

/**
 * What we were sending when the connection was lost, kept live (tracks
 * running, tile shown) to be published again once we have rejoined.
 * @type {Array<{localId: string, label: string, stream: MediaStream, opts: Object}>}
 */
let lost = [];

/** The options each up stream was published with, by local id (for /replace). */
const published = new Map();

/** Streams being sent again by a new up stream: the old one must not stop their tracks. */
const resent = new Set();

/** @param {string} id @returns {any} */
function $(id) {
    return document.getElementById(id);
}

/** @returns {import('./protocol.js').ServerConnection|null} */
function sc() {
    return app.sc;
}

/* ------------------------------------------------------------- settings */

function loadSettings() {
    try {
        settings = JSON.parse(localStorage.getItem(SETTINGS_KEY) || '{}') || {};
    } catch (e) {
        settings = {};
    }
}

function saveSettings() {
    try {
        localStorage.setItem(SETTINGS_KEY, JSON.stringify(settings));
    } catch (e) {
        // storage unavailable: settings last for this page only
    }
}

/** @param {string} id @returns {string} */
function selectValue(id) {
    return /** @type {HTMLSelectElement} */ ($(id)).value;
}

/** @param {string} id @returns {boolean} */
function checked(id) {
    return /** @type {HTMLInputElement} */ ($(id)).checked;
}

/** Fills the camera and microphone selects from the browser's devices. */
export async function refreshDevices() {
    let devices = [];
    try {
        devices = await navigator.mediaDevices.enumerateDevices();
    } catch (e) {
        console.warn(e);
    }
    fillDeviceSelect('videoselect', devices.filter(d => d.kind === 'videoinput'), true);
    fillDeviceSelect('audioselect', devices.filter(d => d.kind === 'audioinput'), true);
}

/**
 * @param {string} id
 * @param {Array<MediaDeviceInfo>} devices
 * @param {boolean} allowOff
 */
function fillDeviceSelect(id, devices, allowOff) {
    const select = /** @type {HTMLSelectElement} */ ($(id));
    const wanted = /** @type {string} */ (settings[id] ?? select.value ?? '');
    const options = [];
    const def = document.createElement('option');
    def.value = '';
    def.textContent = t('defaultDevice');
    options.push(def);
    devices.forEach((d, i) => {
        if (!d.deviceId || d.deviceId === 'default')
            return;
        const o = document.createElement('option');
        o.value = d.deviceId;
        o.textContent = d.label || `${id === 'videoselect' ? t('cameraLabel') : t('microphoneLabel')} ${i + 1}`;
        options.push(o);
    });
    if (allowOff) {
        const off = document.createElement('option');
        off.value = 'off';
        off.textContent = t('noDevice');
        options.push(off);
    }
    select.replaceChildren(...options);
    select.value = options.some(o => o.value === wanted) ? wanted : '';
}

/* ---------------------------------------------------------------- tiles */

/**
 * A small button in a tile's corner.
 *
 * @param {'fullscreen'|'pin'} iconName
 * @param {string} className
 * @param {() => void} action
 * @returns {HTMLButtonElement}
 */
function tileButton(iconName, className, action) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'btn btn-small ' + className;
    b.append(icon(iconName));
    b.addEventListener('click', action);
    return b;
}

/**
 * Pins a tile (shown large whatever else is sent), or unpins it.
 *
 * @param {HTMLElement} tile
 */
function togglePin(tile) {
    const pin = !tile.classList.contains('pinned');
    for (const other of document.querySelectorAll('.tile.pinned')) {
        other.classList.remove('pinned');
        other.querySelector('.tile-pin')?.setAttribute('aria-pressed', 'false');
    }
    tile.classList.toggle('pinned', pin);
    tile.querySelector('.tile-pin')?.setAttribute('aria-pressed', pin ? 'true' : 'false');
}

/**
 * Finds or creates the video tile for a key.
 *
 * @param {string} key
 * @param {string} name - the user's name, with "(you)" for our own tiles.
 * @param {boolean} local
 * @param {string} label - the stream's label: 'camera', 'screenshare', 'video'…
 * @returns {{tile: HTMLElement, video: HTMLVideoElement}}
 */
function tileFor(key, name, local, label) {
    let tile = /** @type {HTMLElement|null} */ (document.querySelector(`.tile[data-key="${CSS.escape(key)}"]`));
    if (!tile) {
        const newTile = document.createElement('figure');
        tile = newTile;
        tile.className = 'tile';
        tile.dataset.key = key;
        const video = document.createElement('video');
        video.autoplay = true;
        video.playsInline = true;
        if (local)
            video.muted = true;
        const caption = document.createElement('figcaption');
        const kind = document.createElement('span');
        kind.className = 'tile-kind';
        kind.append(icon('screen'));
        const nameSpan = document.createElement('span');
        nameSpan.className = 'tile-name';
        const mutedBadge = document.createElement('span');
        mutedBadge.className = 'tile-muted';
        mutedBadge.append(icon('micOff'), t('muted'));
        const hand = document.createElement('span');
        hand.className = 'tile-hand';
        hand.append(icon('hand'), t('handRaisedBadge'));
        const status = document.createElement('span');
        status.className = 'tile-status';
        caption.append(kind, nameSpan, mutedBadge, hand, status);
        const controls = document.createElement('div');
        controls.className = 'tile-controls';
        const pin = tileButton('pin', 'tile-pin', () => togglePin(newTile));
        pin.setAttribute('aria-pressed', 'false');
        const fs = tileButton('fullscreen', 'tile-fullscreen', () => {
            if (document.fullscreenElement)
                document.exitFullscreen().catch(() => {});
            else
                newTile.requestFullscreen().catch(e => toast(String(e.message || e), 'error'));
        });
        controls.append(pin, fs);
        if (!local) {
            // per-tile volume (the browser's own controls are hidden) and picture-in-picture
            const volume = document.createElement('input');
            volume.type = 'range';
            volume.className = 'tile-volume';
            volume.min = '0';
            volume.max = '100';
            volume.value = '100';
            volume.addEventListener('input', () => { video.volume = Number(volume.value) / 100; });
            controls.prepend(volume);
            if (document.pictureInPictureEnabled) {
                fs.before(tileButton('pip', 'tile-pip', () => {
                    const p = document.pictureInPictureElement === video
                        ? document.exitPictureInPicture() : video.requestPictureInPicture();
                    p.catch(e => toast(String(e.message || e), 'error'));
                }));
            }
        }
        tile.append(video, caption, controls);
        $('video-grid').append(tile);
    }
    tile.dataset.label = label;
    const video = /** @type {HTMLVideoElement} */ (tile.querySelector('video'));
    setTileName(tile, name, local);
    return {tile, video};
}

/**
 * Captions a tile and names its video and buttons: a screen share says so.
 *
 * @param {HTMLElement} tile
 * @param {string} name
 * @param {boolean} local
 */
function setTileName(tile, name, local) {
    const screen = tile.dataset.label === 'screenshare';
    const caption = screen ? t('screenOf', name) : name;
    /** @type {HTMLElement} */ (tile.querySelector('.tile-name')).textContent = caption;
    tile.dataset.initial = (name.trim()[0] || '?').toUpperCase();
    const video = /** @type {HTMLVideoElement} */ (tile.querySelector('video'));
    video.setAttribute('aria-label', screen ? caption : local ? t('localVideoLabel') : t('videoOf', name));
    const fs = /** @type {HTMLElement} */ (tile.querySelector('.tile-fullscreen'));
    fs.setAttribute('aria-label', `${t('fullscreen')}: ${caption}`);
    fs.title = t('fullscreen');
    const pin = /** @type {HTMLElement} */ (tile.querySelector('.tile-pin'));
    pin.setAttribute('aria-label', t('pinTile', caption));
    pin.title = t('pinTile', caption);
    const volume = tile.querySelector('.tile-volume');
    if (volume) {
        volume.setAttribute('aria-label', t('volumeOf', caption));
        volume.setAttribute('title', t('volumeOf', caption));
    }
    const pip = tile.querySelector('.tile-pip');
    if (pip) {
        pip.setAttribute('aria-label', t('pipOf', caption));
        pip.setAttribute('title', t('pipOf', caption));
    }
}

/** @param {string} key */
function removeTile(key) {
    const tile = document.querySelector(`.tile[data-key="${CSS.escape(key)}"]`);
    if (!tile)
        return;
    const video = /** @type {HTMLVideoElement|null} */ (tile.querySelector('video'));
    if (video)
        video.srcObject = null;
    tile.remove();
}

/**
 * Starts playback; if the browser refuses (autoplay policy), offers a
 * button.
 *
 * @param {HTMLElement} tile
 * @param {HTMLVideoElement} video
 */
function play(tile, video) {
    video.play().then(() => {
        const b = tile.querySelector('.play-overlay');
        if (b)
            b.remove();
    }).catch(() => {
        if (tile.querySelector('.play-overlay'))
            return;
        const b = document.createElement('button');
        b.type = 'button';
        b.className = 'btn btn-primary play-overlay';
        b.textContent = t('playButton');
        b.addEventListener('click', () => {
            b.remove();
            video.play().catch(e => console.warn(e));
        });
        tile.append(b);
    });
}

/**
 * Sets the "muted" indicator of a tile from its stream.
 *
 * @param {HTMLElement} tile
 * @param {MediaStream|null} stream
 * @param {boolean} [forceMuted]
 */
function updateMuteIndicator(tile, stream, forceMuted) {
    const audio = stream ? stream.getAudioTracks() : [];
    const silent = audio.length === 0 || audio.every(tr => !tr.enabled || tr.muted);
    tile.classList.toggle('muted', !!forceMuted || silent);
    tile.classList.toggle('audio-only', !!stream && stream.getVideoTracks().length === 0);
    applyAudioOnlySetting(tile);
}

/**
 * Hides an audio-only tile if the user chose not to see them (the audio
 * keeps playing: the element stays in the page).
 *
 * @param {HTMLElement} tile
 */
function applyAudioOnlySetting(tile) {
    tile.classList.toggle('hidden-tile', tile.classList.contains('audio-only') && !checked('audioonlybox'));
}

/**
 * The user data a remote user has published about itself (UA7 setdata).
 *
 * @param {string} id
 * @returns {Object<string, any>}
 */
function userData(id) {
    const u = app.sc && app.sc.users[id];
    return (u && u.data) || {};
}

/**
 * Sets a remote tile's indicators from its stream and from what its user
 * says about itself: muted (data "muted", which Galène's client ignores)
 * and raised hand.
 *
 * @param {HTMLElement} tile
 * @param {MediaStream|null} stream
 */
function updateRemoteIndicators(tile, stream) {
    const data = userData(tile.dataset.source || '');
    updateMuteIndicator(tile, stream, !!data.muted);
    tile.classList.toggle('hand-raised', !!data.raisehand);
}

/* ---------------------------------------------------------- down streams */

/**
 * ServerConnection.ondownstream.
 *
 * @param {import('./protocol.js').Stream} c
 */
export function onDownStream(c) {
    const key = 'down-' + c.localId;
    c.onclose = replace => {
        if (!replace)
            removeTile(key);
    };
    c.onerror = e => toast(t('streamError', e && e.message ? e.message : e), 'error');
    c.onstatus = status => {
        const tile = document.querySelector(`.tile[data-key="${CSS.escape(key)}"]`);
        if (tile)
            /** @type {HTMLElement} */ (tile.querySelector('.tile-status')).textContent =
                status === 'connected' || status === 'completed' ? '' : status;
    };
    c.onstats = stats => {
        const tile = document.querySelector(`.tile[data-key="${CSS.escape(key)}"]`);
        if (tile)
            tile.classList.toggle('speaking', isSpeaking(stats));
    };
    c.ondowntrack = (track, transceiver, stream) => {
        if (track.kind === 'audio' && checked('activitybox'))
            c.setStatsInterval(SPEAKING_POLL_MS);
        const {tile, video} = tileFor(key, c.username || '', false, c.label || '');
        tile.dataset.source = c.source || '';
        if (video.srcObject !== stream)
            video.srcObject = stream;
        updateRemoteIndicators(tile, stream);
        track.addEventListener('mute', () => updateRemoteIndicators(tile, stream));
        track.addEventListener('unmute', () => updateRemoteIndicators(tile, stream));
        track.addEventListener('ended', () => updateRemoteIndicators(tile, stream));
        play(tile, video);
    };
    c.onnegotiationcompleted = () => {
        const tile = /** @type {HTMLElement|null} */ (document.querySelector(`.tile[data-key="${CSS.escape(key)}"]`));
        if (tile)
            updateRemoteIndicators(tile, c.stream);
    };
}

/** Sends the request matching the "receive" setting. */
export function sendRequest() {
    const s = sc();
    if (!s)
        return;
    const what = REQUESTS[selectValue('requestselect')] || REQUESTS.everything;
    s.request(what);
}

/**
 * A user's name or data changed: update the captions and indicators of
 * their tiles.
 *
 * @param {string} id
 * @param {string} name
 */
export function userChanged(id, name) {
    // our own tiles keep their "(you)" caption
    for (const e of document.querySelectorAll(`.tile[data-key^="down-"][data-source="${CSS.escape(id)}"]`)) {
        const tile = /** @type {HTMLElement} */ (e);
        setTileName(tile, name, false);
        const video = /** @type {HTMLVideoElement} */ (tile.querySelector('video'));
        updateRemoteIndicators(tile, /** @type {MediaStream|null} */ (video.srcObject));
    }
}

/** @param {string} id */
export function userGone(id) {
    // Down streams are closed by the server (S27); nothing to do here.
    void id;
}

/* ------------------------------------------------------------ up streams */

/** @returns {Array<import('./protocol.js').Stream>} */
function upStreams(label) {
    const s = sc();
    if (!s)
        return [];
    return Object.values(s.up).filter(c => !label || c.label === label);
}

/** @returns {boolean} */
export function hasCamera() {
    return upStreams('camera').length > 0;
}

/** @returns {boolean} */
export function hasScreenShare() {
    return upStreams('screenshare').length > 0;
}

/** @returns {boolean} */
export function canShareScreen() {
    return !!(navigator.mediaDevices && navigator.mediaDevices.getDisplayMedia);
}

/** @returns {boolean} */
function wantSimulcast() {
    const v = selectValue('simulcastselect');
    if (v === 'on')
        return true;
    if (v === 'off')
        return false;
    const s = sc();
    return !!s && Object.keys(s.users).length >= SIMULCAST_AUTO_USERS;
}

/**
 * Adds a track to an up stream with the encodings our settings call for:
 * for video, simulcast rids 'h' (full) and 'l' (half size, ~100 kbit/s).
 *
 * @param {import('./protocol.js').Stream} c
 * @param {MediaStreamTrack} track
 * @param {MediaStream} stream
 * @param {boolean} simulcast
 */
function addTrack(c, track, stream, simulcast) {
    /** @type {RTCRtpTransceiverInit} */
    const init = {direction: 'sendonly', streams: [stream]};
    if (track.kind === 'video') {
        const rate = SEND_RATES[selectValue('sendselect')];
        init.sendEncodings = simulcast
            ? [
                {rid: 'h', maxBitrate: rate},
                {rid: 'l', scaleResolutionDownBy: 2, maxBitrate: SIMULCAST_LOW_RATE},
            ]
            : [{maxBitrate: rate}];
    } else if (checked('hqaudiobox')) {
        init.sendEncodings = [{maxBitrate: HQ_AUDIO_RATE}];
    }
    c.pc.addTransceiver(track, init);
}

/**
 * Creates an up stream sending all tracks of a local MediaStream, and
 * shows it in a tile.
 *
 * @param {string} localId
 * @param {string} label
 * @param {MediaStream} stream
 * @param {Object} [opts]
 * @param {boolean} [opts.mirror]
 * @param {() => void} [opts.onclose]
 * @returns {import('./protocol.js').Stream}
 */
function publish(localId, label, stream, opts = {}) {
    const s = sc();
    published.set(localId, opts);
    const c = s.newUpStream(localId);
    c.label = label;
    const simulcast = label === 'camera' && wantSimulcast();
    for (const track of stream.getTracks()) {
        if (track.kind === 'audio')
            track.enabled = !muted;
        addTrack(c, track, stream, simulcast);
        track.addEventListener('ended', () => {
            // the user stopped sharing from the browser's own UI
            if (c.sc && stream.getTracks().every(tr => tr.readyState === 'ended'))
                c.close();
        });
    }
    c.setStream(stream);
    const key = 'up-' + localId;
    const {tile, video} = tileFor(key, (s.username || '') + ' ' + t('you'), true, label);
    tile.dataset.source = s.id;
    tile.classList.remove('reconnecting');
    tile.classList.toggle('mirror', !!opts.mirror && checked('mirrorbox'));
    video.srcObject = stream;
    updateMuteIndicator(tile, stream, muted);
    play(tile, video);
    c.onerror = e => toast(t('streamError', e && e.message ? e.message : e), 'error');
    c.onclose = replace => {
        if (!replace && connectionLost(c.sc)) {
            lost.push({localId, label, stream, opts});
            tile.classList.add('reconnecting');
            return;
        }
        // a replacing stream brings its own tracks (unless it re-sends these), but keeps the tile
        if (!(replace && resent.has(stream)))
            stream.getTracks().forEach(tr => tr.stop());
        resent.delete(stream);
        if (!replace) {
            removeTile(key);
            if (opts.onclose)
                opts.onclose();
        }
        events.emit('controls');
    };
    events.emit('controls');
    return c;
}

/**
 * Enables the microphone, and the camera if video is true.
 *
 * @param {boolean} video
 */
export async function enableCamera(video) {
    const s = sc();
    if (!s)
        return;
    if (!s.permissions.includes('present')) {
        toast(t('noPresentPermission'), 'error');
        return;
    }
    const audioDev = selectValue('audioselect');
    const videoDev = selectValue('videoselect');
    const blackboard = checked('blackboardbox');
    /** @type {MediaStreamConstraints} */
    const constraints = {
        audio: audioDev === 'off' ? false : {
            ...(audioDev ? {deviceId: {exact: audioDev}} : {}),
            // off for music or a good microphone: the browser's processing then leaves the sound alone
            ...(checked('preprocessingbox') ? {} : {echoCancellation: false, noiseSuppression: false, autoGainControl: false}),
        },
        video: !video || videoDev === 'off' ? false : {
            ...(videoDev ? {deviceId: {exact: videoDev}} : {}),
            ...(blackboard ? {width: {ideal: 1920}, height: {ideal: 1080}} : {width: {ideal: 1280}, height: {ideal: 720}}),
        },
    };
    if (!constraints.audio && !constraints.video)
        return;
    let stream;
    try {
        stream = await navigator.mediaDevices.getUserMedia(constraints);
    } catch (e) {
        // no usable camera: carry on with the microphone alone
        if (!constraints.video || !constraints.audio)
            throw e;
        toast(t('cannotGetMedia', e.message || e), 'warning');
        stream = await navigator.mediaDevices.getUserMedia({audio: constraints.audio, video: false});
    }
    if (blackboard)
        stream.getVideoTracks().forEach(tr => { tr.contentHint = 'detail'; });
    if (app.sc !== s) {
        stream.getTracks().forEach(tr => tr.stop());
        return;
    }
    stream = filtered(stream, selectValue('filterselect'));
    publish('camera', 'camera', stream, {mirror: true});
    setVideoPaused(false);
    refreshDevices();
}

/** Stops the camera and microphone. */
export function disableCamera() {
    upStreams('camera').forEach(c => c.close());
    events.emit('controls');
}

/**
 * Pauses or resumes the camera's video without renegotiating (the
 * microphone carries on).
 *
 * @param {boolean} paused
 */
function setVideoPaused(paused) {
    for (const c of upStreams('camera'))
        c.stream && c.stream.getVideoTracks().forEach(tr => { tr.enabled = !paused; });
    const b = $('camerabutton');
    b.setAttribute('aria-pressed', paused ? 'true' : 'false');
    setButtonLabel(b, paused ? t('resumeVideo') : t('pauseVideo'));
}

/** @returns {boolean} whether our camera stream has video (not just the microphone). */
export function hasCameraVideo() {
    return upStreams('camera').some(c => !!c.stream && c.stream.getVideoTracks().length > 0);
}

/**
 * Mutes or unmutes our microphone.
 *
 * @param {boolean} mute
 */
export function setMute(mute) {
    muted = mute;
    for (const c of upStreams()) {
        if (!c.stream)
            continue;
        c.stream.getAudioTracks().forEach(tr => { tr.enabled = !mute; });
        const tile = /** @type {HTMLElement|null} */ (document.querySelector(`.tile[data-key="${CSS.escape('up-' + c.localId)}"]`));
        if (tile)
            updateMuteIndicator(tile, c.stream, mute);
    }
    const b = $('mutebutton');
    b.setAttribute('aria-pressed', mute ? 'true' : 'false');
    setButtonLabel(b, mute ? t('unmuteMic') : t('muteMic'));
    announceMute();
}

/**
 * Tells the others whether we are muted, in our user data: a disabled
 * track still sends (silent) packets, so they could not tell otherwise.
 */
export function announceMute() {
    const s = sc();
    if (!s || !s.group)
        return;
    const known = !!(s.users[s.id] && s.users[s.id].data && s.users[s.id].data.muted);
    if (known === muted)
        return;
    try {
        s.userAction('setdata', s.id, {muted: muted ? true : null});
    } catch (e) {
        // not connected: we announce it again when we rejoin
    }
}

/** Shares the screen (or a window) in a new up stream. */
export async function shareScreen() {
    const s = sc();
    if (!s)
        return;
    const stream = await navigator.mediaDevices.getDisplayMedia({video: true, audio: true});
    if (app.sc !== s) {
        stream.getTracks().forEach(tr => tr.stop());
        return;
    }
    publish('screenshare-' + Date.now(), 'screenshare', stream);
}

/** Stops every screen share. */
export function unshareScreen() {
    upStreams('screenshare').forEach(c => c.close());
    events.emit('controls');
}

/**
 * Plays a local video file to the group.
 *
 * @param {File} file
 */
export async function playFile(file) {
    const s = sc();
    if (!s || !s.permissions.includes('present')) {
        toast(t('noPresentPermission'), 'error');
        return;
    }
    const url = URL.createObjectURL(file);
    const source = document.createElement('video');
    source.src = url;
    source.playsInline = true;
    await source.play();
    const captured = /** @type {MediaStream} */ (/** @type {any} */ (source).captureStream());
    const stream = new MediaStream(captured.getTracks());
    const localId = 'file-' + Date.now();
    const c = publish(localId, 'video', stream, {
        onclose: () => {
            source.pause();
            URL.revokeObjectURL(url);
        },
    });
    // captureStream adds tracks as they become available
    captured.onaddtrack = e => {
        if (c.sc) {
            stream.addTrack(e.track);
            addTrack(c, e.track, stream, false);
        }
    };
    source.addEventListener('ended', () => c.sc && c.close());
}

/** Closes our own streams (e.g. after losing the present permission). */
export function closeAllUp() {
    upStreams().forEach(c => c.close());
    events.emit('controls');
}

/** Closes every stream and clears the video grid, except what awaits re-publication. */
export function closeAll() {
    const s = sc();
    if (s) {
        Object.values(s.up).forEach(c => c.close());
        Object.values(s.down).forEach(c => c.close());
    }
    const kept = new Set(lost.map(l => 'up-' + l.localId));
    for (const tile of [...document.querySelectorAll('.tile')]) {
        const key = /** @type {HTMLElement} */ (tile).dataset.key || '';
        if (!kept.has(key))
            removeTile(key);
    }
    events.emit('controls');
}

/**
 * After a rejoin: sends again what we sent before the connection was
 * lost, with the same tracks (no new permission prompt, e.g. for a
 * screen share).
 */
export function republishLost() {
    const again = lost;
    lost = [];
    for (const l of again) {
        if (l.stream.getTracks().some(tr => tr.readyState === 'live'))
            publish(l.localId, l.label, l.stream, l.opts);
        else
            removeTile('up-' + l.localId);
    }
}

/** The session has ended: stops what was kept for re-publication. */
export function discardLost() {
    for (const l of lost) {
        l.stream.getTracks().forEach(tr => tr.stop());
        removeTile('up-' + l.localId);
        if (l.opts.onclose)
            l.opts.onclose();
    }
    lost = [];
    events.emit('controls');
}

/**
 * /replace: sends every stream again in a new up stream with the current
 * settings; the camera and microphone are opened again.
 */
export async function replaceUp() {
    for (const c of upStreams()) {
        if (c.label === 'camera') {
            await enableCamera(hasCameraVideo()).catch(e => toast(t('cannotGetMedia', e.message || e), 'error'));
        } else if (c.stream) {
            resent.add(c.stream);
            publish(c.localId, c.label || 'video', c.stream, published.get(c.localId) || {});
        }
    }
}

/** /presentfile: lets the user choose a video or audio file, then plays it to the group. */
export function pickFileToPresent() {
    const input = /** @type {HTMLInputElement} */ ($('presentfileinput'));
    input.value = '';
    input.onchange = () => {
        const f = input.files && input.files[0];
        if (f)
            playFile(f).catch(e => toast(String(e.message || e), 'error'));
    };
    input.click();
}

/**
 * A copy of a camera stream whose video goes through a filter (drawn on a
 * canvas), so that the others see it filtered too.  Stopping the filtered
 * video track stops the camera.
 *
 * @param {MediaStream} stream
 * @param {string} filter - '', 'mirror-h', 'mirror-v' or 'rotate'.
 * @returns {MediaStream}
 */
function filtered(stream, filter) {
    const src = stream.getVideoTracks()[0];
    const matrix = FILTERS[filter];
    if (!src || !matrix)
        return stream;
    const video = document.createElement('video');
    video.muted = true;
    video.playsInline = true;
    video.srcObject = new MediaStream([src]);
    const canvas = document.createElement('canvas');
    const ctx = canvas.getContext('2d');
    let running = true;
    const draw = () => {
        if (!running)
            return;
        const w = video.videoWidth;
        const h = video.videoHeight;
        if (w && h) {
            if (canvas.width !== w || canvas.height !== h) {
                canvas.width = w;
                canvas.height = h;
            }
            const [a, b, c, d] = matrix;
            ctx.setTransform(a, b, c, d, a < 0 || c < 0 ? w : 0, b < 0 || d < 0 ? h : 0);
            ctx.drawImage(video, 0, 0);
        }
        if ('requestVideoFrameCallback' in video)
            video.requestVideoFrameCallback(draw);
        else
            setTimeout(draw, 1000 / 30);
    };
    video.play().then(draw).catch(e => console.warn(e));
    const out = canvas.captureStream(src.getSettings().frameRate || 30).getVideoTracks()[0];
    const stopOut = out.stop.bind(out);
    out.stop = () => {
        running = false;
        src.stop();
        video.srcObject = null;
        stopOut();
    };
    return new MediaStream([...stream.getAudioTracks(), out]);
}

/** The canvas transform (a, b, c, d) of each video filter; the offsets follow from the signs. */
const FILTERS = {
    'mirror-h': [-1, 0, 0, 1],
    'mirror-v': [1, 0, 0, -1],
    'rotate': [-1, 0, 0, -1],
};

/** @returns {Object<string, string|boolean>} a copy of the settings, as /set shows them. */
export function getSettings() {
    const all = {};
    for (const id of [...SELECTS, ...BOXES])
        all[id] = id in settings ? settings[id] : (BOXES.includes(id) ? checked(id) : selectValue(id));
    return all;
}

/**
 * /set and /unset: changes a setting as its control in the settings
 * dialog would (undefined restores the default).
 *
 * @param {string} id
 * @param {any} value
 */
export function setSetting(id, value) {
    const e = $(id);
    if (!e || ![...SELECTS, ...BOXES].includes(id))
        throw new Error(t('unknownSetting', id));
    if (BOXES.includes(id)) {
        e.checked = value === undefined ? e.defaultChecked : !!value;
    } else {
        const v = value === undefined ? ([...e.options].find(o => o.defaultSelected) || e.options[0]).value : String(value);
        if (![...e.options].some(o => o.value === v))
            throw new Error(t('badJson', JSON.stringify(value)));
        e.value = v;
    }
    e.dispatchEvent(new Event('change'));
    if (value === undefined) {
        delete settings[id];
        saveSettings();
    }
}

/** Restarts ICE on every stream. */
export function renegotiateAll() {
    const s = sc();
    if (!s)
        return;
    Object.values(s.up).forEach(c => c.restartIce());
    Object.values(s.down).forEach(c => c.restartIce());
}

/* ----------------------------------------------------------------- setup */

/** The settings dialog's selects and check boxes, by id (also the keys of /set). */
const SELECTS = ['videoselect', 'audioselect', 'sendselect', 'simulcastselect', 'requestselect', 'filterselect'];
const BOXES = ['blackboardbox', 'mirrorbox', 'speakerbox', 'preprocessingbox', 'hqaudiobox', 'activitybox', 'audioonlybox'];

/**
 * Turns the "speaking" highlight on or off: off, received streams are no
 * longer polled for their audio level.
 *
 * @param {boolean} on
 */
function setActivityDetection(on) {
    const s = sc();
    for (const c of s ? Object.values(s.down) : [])
        c.setStatsInterval(on && c.stream && c.stream.getAudioTracks().length ? SPEAKING_POLL_MS : 0);
    if (!on)
        document.querySelectorAll('.tile.speaking').forEach(e => e.classList.remove('speaking'));
}

export function setup() {
    loadSettings();
    for (const id of ['sendselect', 'simulcastselect', 'requestselect', 'filterselect']) {
        const select = /** @type {HTMLSelectElement} */ ($(id));
        if (typeof settings[id] === 'string' && [...select.options].some(o => o.value === settings[id]))
            select.value = /** @type {string} */ (settings[id]);
    }
    for (const id of BOXES) {
        if (typeof settings[id] === 'boolean')
            /** @type {HTMLInputElement} */ ($(id)).checked = /** @type {boolean} */ (settings[id]);
    }
    for (const id of SELECTS) {
        $(id).addEventListener('change', () => {
            settings[id] = selectValue(id);
            saveSettings();
            if (id === 'requestselect')
                sendRequest();
            else if (hasCamera())
                enableCamera(!!upStreams('camera')[0].stream?.getVideoTracks().length)
                    .catch(e => toast(t('cannotGetMedia', e.message || e), 'error'));
        });
    }
    for (const id of BOXES) {
        $(id).addEventListener('change', () => {
            settings[id] = checked(id);
            saveSettings();
            if (id === 'audioonlybox')
                document.querySelectorAll('.tile').forEach(tile => applyAudioOnlySetting(/** @type {HTMLElement} */ (tile)));
            if (id === 'activitybox')
                setActivityDetection(checked(id));
            if ((id === 'preprocessingbox' || id === 'hqaudiobox') && hasCamera())
                enableCamera(hasCameraVideo()).catch(e => toast(t('cannotGetMedia', e.message || e), 'error'));
            for (const c of upStreams('camera'))
                document.querySelector(`.tile[data-key="${CSS.escape('up-' + c.localId)}"]`)
                    ?.classList.toggle('mirror', checked('mirrorbox'));
        });
    }
    fillDeviceSelect('videoselect', [], true);
    fillDeviceSelect('audioselect', [], true);

    $('presentbutton').addEventListener('click', () => {
        enableCamera(true).catch(e => toast(t('cannotGetMedia', e.message || e), 'error'));
    });
    $('unpresentbutton').addEventListener('click', disableCamera);
    $('camerabutton').addEventListener('click', () =>
        setVideoPaused($('camerabutton').getAttribute('aria-pressed') !== 'true'));
    $('mutebutton').addEventListener('click', () => setMute(!muted));
    $('sharebutton').addEventListener('click', () => {
        shareScreen().catch(e => toast(t('cannotShare', e.message || e), 'error'));
    });
    $('unsharebutton').addEventListener('click', unshareScreen);
    $('videofile').addEventListener('change', e => {
        const input = /** @type {HTMLInputElement} */ (e.target);
        const f = input.files && input.files[0];
        input.value = '';
        if (f) {
            /** @type {HTMLDialogElement} */ ($('settings-dialog')).close();
            playFile(f).catch(err => toast(String(err.message || err), 'error'));
        }
    });
}
