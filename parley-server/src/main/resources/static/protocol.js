// Parley client library: the Galène-compatible signalling protocol, version "2".
//
// This module is the only place that knows the wire format.  The user
// interface (galene.js) talks to the server exclusively through
// ServerConnection, Stream and TransferredFile, whose public surface
// (member names, callback argument order) matches the reference
// library so that third-party code written against it keeps working.

'use strict';

/** Protocol versions we speak, in order of preference. */
const PROTOCOL_VERSIONS = ['2'];

/** File-transfer sub-protocol versions we speak. */
const FILE_TRANSFER_VERSIONS = ['1'];

/** SCTP without extensions only guarantees 16 kB messages. */
const FILE_CHUNK_SIZE = 16384;

/** Above this many queued bytes the sender pauses until the channel drains. */
const FILE_BUFFER_HIGH_WATER = 65536;

/** How often the liveness timer runs. */
const PING_CHECK_INTERVAL_MS = 10000;

/** Server silence after which we send a ping. */
const PING_AFTER_MS = 15000;

/** Server silence after which the connection is considered dead. */
const DEAD_AFTER_MS = 65000;

/** Early ICE candidates kept for streams we have not heard of yet. */
const MAX_EARLY_CANDIDATES = 64;

/**
 * Returns a string of random bytes in hexadecimal.
 *
 * @param {number} bytes
 * @returns {string}
 */
function randomHex(bytes) {
    const a = new Uint8Array(bytes);
    crypto.getRandomValues(a);
    let s = '';
    for (const b of a)
        s += b.toString(16).padStart(2, '0');
    return s;
}

/**
 * A fresh identifier for connections, streams and file transfers.
 *
 * @returns {string}
 */
export function newRandomId() {
    return randomHex(16);
}

let localIdCounter = 0;

/**
 * A fresh local stream id; unique within this page.
 *
 * @returns {string}
 */
function newLocalId() {
    localIdCounter++;
    return `local-${localIdCounter}-${randomHex(4)}`;
}

/**
 * Parses a server timestamp (RFC 3339 string, or milliseconds in old
 * servers) into a Date, or null when absent or unparsable.
 *
 * @param {string|number|undefined} value
 * @returns {Date|null}
 */
function parseTime(value) {
    if (value === undefined || value === null || value === '')
        return null;
    const d = new Date(value);
    return isNaN(d.valueOf()) ? null : d;
}

/**
 * Returns a copy of m without the fields whose value is undefined or null,
 * so that the server never sees a null where it expects a string.
 *
 * @param {Object<string, any>} m
 * @returns {Object<string, any>}
 */
function compact(m) {
    const r = {};
    for (const k in m) {
        if (m[k] !== undefined && m[k] !== null)
            r[k] = m[k];
    }
    return r;
}

/**
 * Calls callback cb on object obj with the given arguments if it is set.
 * Exceptions thrown by application callbacks are logged, not propagated,
 * so that one faulty handler cannot break the protocol state machine.
 *
 * @param {any} obj
 * @param {Function|null} cb
 * @param {...any} args
 * @returns {any}
 */
function invoke(obj, cb, ...args) {
    if (!cb)
        return undefined;
    try {
        return cb.apply(obj, args);
    } catch (e) {
        console.error(e);
        return undefined;
    }
}

/**
 * A user of the group as seen by this client.
 *
 * @typedef {Object} user
 * @property {string} username
 * @property {Array<string>} permissions
 * @property {Object<string, any>} data
 * @property {Object<string, Object<string, boolean>>} streams
 *   - for each stream label, the kinds of track ('audio', 'video') we
 *     currently have for that user.
 */

/**
 * A message of the protocol, as a plain object.
 *
 * @typedef {Object<string, any>} message
 */

/**
 * ServerConnection encapsulates a websocket connection to the server and
 * all the associated streams.
 */
export class ServerConnection {
    constructor() {
        /**
         * The id of this connection.
         * @type {string}
         */
        this.id = newRandomId();
        Object.defineProperty(this, 'id', {writable: false});
        /**
         * The group that we have joined, or null if we haven't joined yet.
         * @type {string|null}
         */
        this.group = null;
        /**
         * The username we joined as.
         * @type {string|null}
         */
        this.username = null;
        /**
         * The underlying websocket.
         * @type {WebSocket|null}
         */
        this.socket = null;
        /**
         * The negotiated protocol version.
         * @type {string|null}
         */
        this.version = null;
        /**
         * The set of all up streams, indexed by their id.
         * @type {Object<string, Stream>}
         */
        this.up = {};
        /**
         * The set of all down streams, indexed by their id.
         * @type {Object<string, Stream>}
         */
        this.down = {};
        /**
         * The set of users in this group, including ourself.
         * @type {Object<string, user>}
         */
        this.users = {};
        /**
         * The permissions granted to this connection.
         * @type {Array<string>}
         */
        this.permissions = [];
        /**
         * The ICE configuration used by all associated streams.
         * @type {RTCConfiguration|null}
         */
        this.rtcConfiguration = null;
        /**
         * The time at which we last received a message from the server,
         * in milliseconds since the epoch.
         * @type {number|null}
         */
        this.lastServerMessage = null;
        /**
         * The interval handler which checks for liveness.
         * @type {number|null}
         */
        this.pingHandler = null;
        /**
         * The set of files currently being transferred, indexed by
         * TransferredFile.fullid().
         * @type {Object<string, TransferredFile>}
         */
        this.transferredFiles = {};
        /**
         * userdata is a convenient place to attach data to a
         * ServerConnection.  It is not used by the library.
         * @type {Object<unknown, unknown>}
         */
        this.userdata = {};

        /**
         * Remote ICE candidates received before the stream they belong to
         * (the server does not order them, S16).
         * @private
         * @type {Map<string, Array<RTCIceCandidateInit>>}
         */
        this.earlyCandidates = new Map();
        /**
         * True between a successful join and the matching leave; group
         * itself is kept after a leave, like the reference library does.
         * @private
         */
        this.inGroup = false;

        /* Callbacks */

        /**
         * onconnected is called when the connection has been established.
         * @type {((this: ServerConnection) => void)|null}
         */
        this.onconnected = null;
        /**
         * onpeerconnection is called before we establish a new peer
         * connection.  It may either return null, or a new
         * RTCConfiguration that overrides the value obtained from the
         * server.
         * @type {((this: ServerConnection) => RTCConfiguration|null)|null}
         */
        this.onpeerconnection = null;
        /**
         * onclose is called when the connection is closed.
         * @type {((this: ServerConnection, code: number, reason: string) => void)|null}
         */
        this.onclose = null;
        /**
         * onerror is called whenever a fatal error occurs.  The connection
         * will then be closed, and onclose called normally.
         * @type {((this: ServerConnection, error: any) => void)|null}
         */
        this.onerror = null;
        /**
         * onuser is called whenever a user in the group changes.  The
         * users map has already been updated.
         * @type {((this: ServerConnection, id: string, kind: string) => void)|null}
         */
        this.onuser = null;
        /**
         * onjoined is called whenever we join or leave a group or whenever
         * the permissions we have in a group change.  kind is one of
         * 'join', 'fail', 'change', 'leave' (or 'redirect').
         * @type {((this: ServerConnection, kind: string, group: string, permissions: Array<string>, status: Object<string,any>, data: Object<string,any>, error: string|null, message: string|null) => void)|null}
         */
        this.onjoined = null;
        /**
         * ondownstream is called whenever a new down stream is added.  It
         * should set up the stream's callbacks; actually setting up the UI
         * should be done in the stream's ondowntrack callback.
         * @type {((this: ServerConnection, stream: Stream) => void)|null}
         */
        this.ondownstream = null;
        /**
         * onchat is called whenever a new chat message is received.
         * @type {((this: ServerConnection, id: string, source: string, dest: string, username: string, time: Date, privileged: boolean, history: boolean, kind: string, message: string) => void)|null}
         */
        this.onchat = null;
        /**
         * onusermessage is called when an application-specific message is
         * received.  id is null when the message originated at the server,
         * a user-id otherwise.  kind is typically one of 'error',
         * 'warning', 'info' or 'mute'.  If id is non-null, privileged
         * indicates whether the message was sent by an operator.
         * @type {((this: ServerConnection, id: string, dest: string, username: string, time: Date, privileged: boolean, kind: string, error: string, message: any) => void)|null}
         */
        this.onusermessage = null;
        /**
         * onfiletransfer is called whenever a peer offers a file transfer
         * (and, for the sender, synchronously inside sendFile).  If the
         * transfer is accepted, it should set up the file transfer
         * callbacks and return immediately.  It may also throw an
         * exception in order to reject the file transfer.
         * @type {((this: ServerConnection, f: TransferredFile) => void)|null}
         */
        this.onfiletransfer = null;
    }

    /**
     * send sends a message to the server.
     *
     * @param {message} m - the message to send.
     */
    send(m) {
        if (!this.socket || this.socket.readyState !== WebSocket.OPEN)
            throw new Error('Connection is not open');
        this.socket.send(JSON.stringify(m));
    }

    /**
     * connect connects to the server.
     *
     * @param {string} url - The URL to connect to.
     */
    connect(url) {
        if (this.socket)
            throw new Error('Attempting to connect stale connection');
        const socket = new WebSocket(url);
        this.socket = socket;

        this.pingHandler = setInterval(() => this.checkLiveness(), PING_CHECK_INTERVAL_MS);

        socket.onerror = () => {
            invoke(this, this.onerror, new Error('Socket error'));
        };
        socket.onopen = () => {
            try {
                this.send({type: 'handshake', version: PROTOCOL_VERSIONS, id: this.id});
            } catch (e) {
                this.error(e);
            }
        };
        socket.onclose = e => this.socketClosed(e.code, e.reason);
        socket.onmessage = e => {
            let m;
            try {
                m = JSON.parse(e.data);
            } catch (err) {
                this.error(err);
                return;
            }
            if (typeof m !== 'object' || m === null) {
                this.error(new Error('Server sent a non-object message'));
                return;
            }
            if (m.type !== 'handshake' && !this.version) {
                this.error(new Error("Server didn't send handshake"));
                return;
            }
            this.lastServerMessage = Date.now();
            try {
                this.dispatch(m);
            } catch (err) {
                console.error(err);
            }
        };
    }

    /**
     * Liveness: ping the server after a silence, give up after a long one.
     * @private
     */
    checkLiveness() {
        if (!this.lastServerMessage) {
            this.error(new Error('Timeout'));
            return;
        }
        const silence = Date.now() - this.lastServerMessage;
        if (silence > DEAD_AFTER_MS) {
            this.error(new Error('Timeout'));
            return;
        }
        if (this.version && silence >= PING_AFTER_MS) {
            try {
                this.send({type: 'ping'});
            } catch (e) {
                console.warn(e);
            }
        }
    }

    /**
     * Tears down all state once the socket is closed.
     * @private
     * @param {number} code
     * @param {string} reason
     */
    socketClosed(code, reason) {
        this.permissions = [];
        for (const id in this.up)
            this.up[id].close();
        for (const id in this.down)
            this.down[id].close();
        for (const id in this.transferredFiles)
            this.transferredFiles[id].fail('connection closed');
        this.clearUsers();
        if (this.group && this.inGroup)
            invoke(this, this.onjoined, 'leave', this.group, [], {}, {}, null, null);
        this.group = null;
        this.inGroup = false;
        this.username = null;
        this.socket = null;
        this.earlyCandidates.clear();
        if (this.pingHandler) {
            clearInterval(this.pingHandler);
            this.pingHandler = null;
        }
        invoke(this, this.onclose, code, reason);
    }

    /**
     * Removes every user, calling onuser('delete') for each.
     * @private
     */
    clearUsers() {
        for (const id in this.users) {
            delete this.users[id];
            invoke(this, this.onuser, id, 'delete');
        }
    }

    /**
     * Routes one server message to its handler.
     * @private
     * @param {message} m
     */
    dispatch(m) {
        switch (m.type) {
        case 'handshake':
            if (Array.isArray(m.version) && m.version.includes('2')) {
                this.version = '2';
                invoke(this, this.onconnected);
            } else {
                this.version = null;
                this.error(new Error(`Unknown protocol version ${m.version}`));
            }
            break;
        case 'offer':
            this.gotOffer(m.id, m.label, m.source, m.username, m.sdp, m.replace)
                .catch(e => console.error(e));
            break;
        case 'answer':
            this.gotAnswer(m.id, m.sdp).catch(e => console.error(e));
            break;
        case 'renegotiate':
            this.gotRenegotiate(m.id);
            break;
        case 'close':
            this.gotClose(m.id);
            break;
        case 'abort':
            this.gotAbort(m.id);
            break;
        case 'ice':
            this.gotRemoteIce(m.id, m.candidate).catch(e => console.warn(e));
            break;
        case 'joined':
            this.gotJoined(m);
            break;
        case 'user':
            this.gotUser(m);
            break;
        case 'chat':
        case 'chathistory':
            invoke(this, this.onchat, m.id, m.source, m.dest, m.username,
                parseTime(m.time), !!m.privileged, m.type === 'chathistory',
                m.kind, '' + m.value);
            break;
        case 'usermessage':
            if (m.kind === 'filetransfer')
                this.fileTransfer(m.source, m.username, m.value);
            else
                invoke(this, this.onusermessage, m.source, m.dest, m.username,
                    parseTime(m.time), !!m.privileged, m.kind, m.error, m.value);
            break;
        case 'ping':
            this.send({type: 'pong'});
            break;
        case 'pong':
            break;
        default:
            console.warn('Unexpected server message', m.type);
        }
    }

    /**
     * @private
     * @param {message} m
     */
    gotJoined(m) {
        switch (m.kind) {
        case 'leave':
        case 'fail':
            this.clearUsers();
            this.username = null;
            this.permissions = [];
            this.rtcConfiguration = null;
            if (m.kind === 'leave')
                this.inGroup = false;
            break;
        case 'join':
        case 'change':
            if (m.kind === 'change' && m.group !== this.group) {
                console.warn('joined change for another group');
                return;
            }
            this.group = m.group;
            this.inGroup = true;
            this.username = m.username;
            this.permissions = m.permissions || [];
            this.rtcConfiguration = m.rtcConfiguration || null;
            break;
        }
        invoke(this, this.onjoined, m.kind, m.group, m.permissions || [],
            m.status || {}, m.data || {}, m.error || null, m.value || null);
    }

    /**
     * @private
     * @param {message} m
     */
    gotUser(m) {
        const fresh = () => ({
            username: m.username,
            permissions: m.permissions || [],
            data: m.data || {},
            streams: {},
        });
        switch (m.kind) {
        case 'add':
            if (m.id in this.users)
                console.warn(`Duplicate user ${m.id}`);
            this.users[m.id] = fresh();
            break;
        case 'change': {
            const u = this.users[m.id];
            if (!u) {
                this.users[m.id] = fresh();
            } else {
                u.username = m.username;
                u.permissions = m.permissions || [];
                u.data = m.data || {};
            }
            break;
        }
        case 'delete':
            for (const fid in this.transferredFiles) {
                const f = this.transferredFiles[fid];
                if (f.userid === m.id)
                    f.fail('user has gone away');
            }
            delete this.users[m.id];
            break;
        default:
            console.warn(`Unknown user message kind ${m.kind}`);
            return;
        }
        invoke(this, this.onuser, m.id, m.kind);
    }

    /**
     * close forcibly closes a server connection.  The onclose callback
     * will be called when the connection is effectively closed.
     */
    close() {
        if (this.socket)
            this.socket.close(1000, 'Close requested by client');
    }

    /**
     * error forcibly closes a server connection and invokes the onerror
     * callback.  The onclose callback will be invoked when the connection
     * is effectively closed.
     *
     * @param {any} e
     */
    error(e) {
        invoke(this, this.onerror, e);
        this.close();
    }

    /**
     * join requests to join a group.  The onjoined callback will be called
     * when we've effectively joined.
     *
     * @param {string} group - The name of the group to join.
     * @param {string} username - the username to join as.
     * @param {string|Object} credentials - a password, or one of
     *   {type: 'password', password}, {type: 'token', token} or
     *   {type: 'authServer', authServer, location, password}.
     * @param {Object<string, any>} [data] - the initial associated data.
     * @returns {Promise<void>}
     */
    async join(group, username, credentials, data) {
        const m = {type: 'join', kind: 'join', group: group};
        if (username !== undefined && username !== null)
            m.username = username;
        if (typeof credentials === 'string') {
            m.password = credentials;
        } else if (credentials && credentials.type === 'password') {
            m.password = credentials.password;
        } else if (credentials && credentials.type === 'token') {
            m.token = credentials.token;
        } else if (credentials && credentials.type === 'authServer') {
            const token = await askAuthServer(credentials.authServer,
                credentials.location, username, credentials.password);
            if (token === null)
                m.password = credentials.password;
            else
                m.token = token;
        } else {
            throw new Error(`Unknown credentials type ${credentials && credentials.type}`);
        }
        if (data)
            m.data = data;
        this.send(m);
    }

    /**
     * leave leaves a group.  The onjoined callback will be called when
     * we've effectively left.
     *
     * @param {string} group - The name of the group to leave.
     */
    leave(group) {
        this.send({type: 'join', kind: 'leave', group: group});
    }

    /**
     * request sets the list of requested tracks.
     *
     * @param {Object<string, Array<string>>} what - A dictionary that maps
     *   labels to a sequence of 'audio', 'video' or 'video-low'.  An entry
     *   with an empty label '' provides the default.
     */
    request(what) {
        this.send({type: 'request', request: what});
    }

    /**
     * findByLocalId finds an active up stream with the given localId.
     * It returns null if none was found.
     *
     * @param {string} localId
     * @returns {Stream|null}
     */
    findByLocalId(localId) {
        if (!localId)
            return null;
        for (const id in this.up) {
            if (this.up[id].localId === localId)
                return this.up[id];
        }
        return null;
    }

    /**
     * getRTCConfiguration returns the RTCConfiguration that should be used
     * with a new peer connection.  This usually comes from the server, but
     * may be overridden by the onpeerconnection callback.
     *
     * @returns {RTCConfiguration}
     */
    getRTCConfiguration() {
        if (this.onpeerconnection) {
            const conf = invoke(this, this.onpeerconnection);
            if (conf)
                return conf;
        }
        return this.rtcConfiguration || {};
    }

    /**
     * newUpStream requests the creation of a new up stream.  The caller
     * sets label and adds tracks; negotiation then starts by itself.
     *
     * @param {string} [localId] - The local id of the stream to create.
     *   If a stream already exists with the same local id, it is replaced
     *   with the new stream.
     * @returns {Stream}
     */
    newUpStream(localId) {
        if (typeof RTCPeerConnection === 'undefined')
            throw new Error("This browser doesn't support WebRTC");
        const id = newRandomId();
        const pc = new RTCPeerConnection(this.getRTCConfiguration());

        let replaced = null;
        if (localId) {
            const old = this.findByLocalId(localId);
            if (old) {
                replaced = old.id;
                old.close(true);
            }
        }

        const c = new Stream(this, id, localId || newLocalId(), pc, true);
        c.replace = replaced;
        this.up[id] = c;

        pc.onnegotiationneeded = () => {
            c.negotiate().catch(e => {
                invoke(c, c.onerror, e);
            });
        };
        pc.onicecandidate = e => {
            if (e.candidate)
                c.gotLocalIce(e.candidate);
        };
        pc.oniceconnectionstatechange = () => {
            invoke(c, c.onstatus, pc.iceConnectionState);
            if (pc.iceConnectionState === 'failed')
                c.restartIce();
        };
        pc.ontrack = e => console.warn('unexpected track on up stream', e);
        return c;
    }

    /**
     * chat sends a chat message to the server.  The server will normally
     * echo the message back to the client.
     *
     * @param {string} kind - The kind of message, either '', 'me' or an
     *   application-specific type.
     * @param {string} dest - The id to send the message to, empty for
     *   broadcast.
     * @param {string} value - The text of the message.
     */
    chat(kind, dest, value) {
        this.send(compact({
            type: 'chat', source: this.id, dest: dest, username: this.username,
            kind: kind, value: value,
        }));
    }

    /**
     * userAction sends a request to act on a user.
     *
     * @param {string} kind - One of "op", "unop", "kick", "present",
     *   "unpresent", "identify", "setdata", "shutup", "unshutup".
     * @param {string} dest - The id of the user to act upon.
     * @param {any} [value] - An action-dependent parameter.
     */
    userAction(kind, dest, value) {
        this.send(compact({
            type: 'useraction', source: this.id, dest: dest,
            username: this.username, kind: kind, value: value,
        }));
    }

    /**
     * userMessage sends an application-specific message to a user.  This
     * is similar to a chat message, but is not saved in the chat history.
     *
     * @param {string} kind - The kind of application-specific message.
     * @param {string} dest - The id to send the message to, empty for
     *   broadcast.
     * @param {unknown} [value] - An optional parameter.
     * @param {boolean} [noecho] - If set, don't echo back the message to
     *   the sender.
     */
    userMessage(kind, dest, value, noecho) {
        this.send(compact({
            type: 'usermessage', source: this.id, dest: dest,
            username: this.username, kind: kind, value: value,
            noecho: noecho ? true : undefined,
        }));
    }

    /**
     * groupAction sends a request to act on the current group.
     *
     * @param {string} kind - e.g. 'lock', 'unlock', 'clearchat', 'record',
     *   'unrecord', 'subgroups', 'setdata', 'maketoken', 'edittoken',
     *   'listtokens'.
     * @param {any} [data]
     */
    groupAction(kind, data) {
        this.send(compact({
            type: 'groupaction', source: this.id, kind: kind,
            username: this.username, value: data,
        }));
    }

    /**
     * gotOffer is called when we receive an offer from the server.
     * Don't call this.
     *
     * @param {string} id
     * @param {string} label
     * @param {string} source
     * @param {string} username
     * @param {string} sdp
     * @param {string} replace
     * @returns {Promise<void>}
     */
    async gotOffer(id, label, source, username, sdp, replace) {
        if (this.up[id]) {
            console.error('Server offered a stream with the id of an up stream');
            this.send({type: 'abort', id: id});
            return;
        }

        let inheritedLocalId = null;
        if (replace) {
            const old = this.down[replace];
            if (old) {
                inheritedLocalId = old.localId;
                old.close(true);
            }
        }

        let c = this.down[id];
        if (!c) {
            let pc;
            try {
                pc = new RTCPeerConnection(this.getRTCConfiguration());
            } catch (e) {
                console.error(e);
                this.send({type: 'abort', id: id});
                return;
            }
            c = new Stream(this, id, inheritedLocalId || newLocalId(), pc, false);
            c.label = label;
            this.down[id] = c;
            const early = this.earlyCandidates.get(id);
            if (early) {
                c.remoteIceCandidates.push(...early);
                this.earlyCandidates.delete(id);
            }
            this.wireDownStream(c, source);
        }
        c.source = source;
        c.username = username;

        invoke(this, this.ondownstream, c);

        try {
            await c.pc.setRemoteDescription({type: 'offer', sdp: sdp});
            await c.flushRemoteIceCandidates();
            const answer = await c.pc.createAnswer();
            await c.pc.setLocalDescription(answer);
            this.send({type: 'answer', id: id, sdp: c.pc.localDescription.sdp});
        } catch (e) {
            try {
                invoke(c, c.onerror, e);
            } finally {
                if (c.sc)
                    c.abort();
            }
            return;
        }
        c.localDescriptionSent = true;
        c.flushLocalIceCandidates();
        invoke(c, c.onnegotiationcompleted);
    }

    /**
     * Sets the peer-connection handlers of a new down stream.
     * @private
     * @param {Stream} c
     * @param {string} source
     */
    wireDownStream(c, source) {
        const pc = c.pc;
        pc.onicecandidate = e => {
            if (e.candidate)
                c.gotLocalIce(e.candidate);
        };
        pc.oniceconnectionstatechange = () => {
            invoke(c, c.onstatus, pc.iceConnectionState);
            if (pc.iceConnectionState === 'failed' && c.sc) {
                try {
                    this.send({type: 'renegotiate', id: c.id});
                } catch (e) {
                    console.warn(e);
                }
            }
        };
        pc.ontrack = e => {
            if (e.streams.length < 1) {
                console.error('Got track with no stream');
                return;
            }
            c.stream = e.streams[0];
            const changed = recomputeUserStreams(this, c.source || source);
            invoke(c, c.ondowntrack, e.track, e.transceiver, e.streams[0]);
            if (changed)
                invoke(this, this.onuser, c.source || source, 'change');
        };
    }

    /**
     * gotAnswer is called when we receive an answer from the server.
     * Don't call this.
     *
     * @param {string} id
     * @param {string} sdp
     * @returns {Promise<void>}
     */
    async gotAnswer(id, sdp) {
        const c = this.up[id];
        if (!c) {
            console.warn('answer for unknown up stream', id);
            return;
        }
        try {
            await c.pc.setRemoteDescription({type: 'answer', sdp: sdp});
        } catch (e) {
            try {
                invoke(c, c.onerror, e);
            } finally {
                c.close();
            }
            return;
        }
        await c.flushRemoteIceCandidates();
        invoke(c, c.onnegotiationcompleted);
    }

    /**
     * gotRenegotiate is called when we receive a renegotiation request
     * from the server.  Don't call this.
     *
     * @param {string} id
     */
    gotRenegotiate(id) {
        const c = this.up[id];
        if (!c) {
            console.warn('renegotiate for unknown up stream', id);
            return;
        }
        c.restartIce();
    }

    /**
     * gotClose is called when we receive a close request from the server.
     * Don't call this.
     *
     * @param {string} id
     */
    gotClose(id) {
        this.earlyCandidates.delete(id);
        const c = this.down[id];
        if (c)
            c.close();
    }

    /**
     * gotAbort is called when we receive an abort message from the server.
     * Don't call this.
     *
     * @param {string} id
     */
    gotAbort(id) {
        const c = this.up[id];
        if (c)
            c.close();
        else
            console.warn('abort for unknown up stream', id);
    }

    /**
     * gotRemoteIce is called when we receive an ICE candidate from the
     * server.  Don't call this.
     *
     * @param {string} id
     * @param {RTCIceCandidateInit} candidate
     * @returns {Promise<void>}
     */
    async gotRemoteIce(id, candidate) {
        const c = this.up[id] || this.down[id];
        if (!c) {
            // The server may send a candidate before the offer it belongs to.
            let list = this.earlyCandidates.get(id);
            if (!list) {
                if (this.earlyCandidates.size >= MAX_EARLY_CANDIDATES)
                    this.earlyCandidates.delete(this.earlyCandidates.keys().next().value);
                list = [];
                this.earlyCandidates.set(id, list);
            }
            if (list.length < MAX_EARLY_CANDIDATES)
                list.push(candidate);
            return;
        }
        if (c.pc.remoteDescription)
            await c.pc.addIceCandidate(candidate).catch(e => console.warn(e));
        else
            c.remoteIceCandidates.push(candidate);
    }

    /**
     * Retrieve a transferred file from the transferredFiles dictionary.
     *
     * @param {string} userid
     * @param {string} fileid
     * @returns {TransferredFile}
     */
    getTransferredFile(userid, fileid) {
        return this.transferredFiles[userid + '-' + fileid];
    }

    /**
     * Initiate a file upload.  This will cause the onfiletransfer callback
     * to be called, at which point you should set up the onevent callback.
     *
     * @param {string} id - the user to send the file to.
     * @param {File} file
     */
    sendFile(id, file) {
        const user = this.users[id];
        if (!user)
            throw new Error('offering upload to unknown user');
        const f = new TransferredFile(this, id, newRandomId(), true,
            user.username, file.name, file.type, file.size);
        f.file = file;
        try {
            if (!this.onfiletransfer)
                throw new Error('this client does not implement file transfer');
            this.onfiletransfer.call(this, f);
        } catch (e) {
            f.cancel(e);
            return;
        }
        if (f.state === 'closed')
            return;
        this.transferredFiles[f.fullid()] = f;
        this.userMessage('filetransfer', id, {
            type: 'invite', version: FILE_TRANSFER_VERSIONS, id: f.id,
            name: f.name, size: f.size, mimetype: f.mimetype,
        });
        f.event('inviting');
    }

    /**
     * fileTransfer handles a usermessage of kind 'filetransfer'.  Don't
     * call this, it is called automatically as needed.
     *
     * @param {string} id - the peer's client id.
     * @param {string} username - the peer's username.
     * @param {Object<string, any>} message
     */
    fileTransfer(id, username, message) {
        if (!message || typeof message !== 'object' || !message.id) {
            console.warn('malformed filetransfer message');
            return;
        }
        const speaksOurVersion = Array.isArray(message.version) &&
            message.version.some(v => FILE_TRANSFER_VERSIONS.includes(v));
        const f = this.getTransferredFile(id, message.id);
        switch (message.type) {
        case 'invite': {
            if (!speaksOurVersion) {
                sendFileCancel(this, id, message.id,
                    `Unknown file transfer protocol version ${message.version}`);
                return;
            }
            if (f) {
                sendFileCancel(this, id, message.id, 'Duplicate file transfer id');
                return;
            }
            const nf = new TransferredFile(this, id, message.id, false, username,
                '' + message.name, '' + (message.mimetype || ''), Number(message.size));
            nf.version = '1';
            nf.state = 'inviting';
            if (!Number.isSafeInteger(nf.size) || nf.size < 0) {
                nf.cancel('bad file size');
                return;
            }
            try {
                if (!this.onfiletransfer)
                    throw new Error('this client does not implement file transfer');
                this.onfiletransfer.call(this, nf);
            } catch (e) {
                nf.cancel(e);
                return;
            }
            if (nf.state !== 'closed')
                this.transferredFiles[nf.fullid()] = nf;
            break;
        }
        case 'offer':
            if (!f || !f.up)
                return;
            if (!speaksOurVersion) {
                f.cancel(`Unknown file transfer protocol version ${message.version}`);
                return;
            }
            f.version = '1';
            f.answer(message.sdp).catch(e => f.cancel(e));
            break;
        case 'answer':
            if (!f || f.up)
                return;
            f.receiveFile(message.sdp).catch(e => f.cancel(e));
            break;
        case 'ice':
            if (!f || !f.pc)
                return;
            if (f.pc.remoteDescription && f.pc.signalingState === 'stable')
                f.pc.addIceCandidate(message.candidate).catch(e => console.warn(e));
            else
                f.candidates.push(message.candidate);
            break;
        case 'cancel':
            if (!f)
                return;
            f.event('cancelled', message.message || null);
            f.close();
            break;
        case 'upice':
        case 'downice':
        case 'reject':
        case 'abort':
            // messages of an older, incompatible version of the protocol
            if (f)
                f.cancel(`Obsolete file transfer message ${message.type}`);
            break;
        default:
            console.warn(`Unknown filetransfer message ${message.type}`);
        }
    }
}

/**
 * Obtains a token from an authServer (spec AS2).
 *
 * @param {string} url
 * @param {string} location - the group URL.
 * @param {string} username
 * @param {string} password
 * @returns {Promise<string|null>} the token, or null to fall back to the
 *   password.
 */
async function askAuthServer(url, location, username, password) {
    const r = await fetch(url, {
        method: 'POST',
        headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({location: location, username: username, password: password}),
    });
    if (!r.ok)
        throw new Error(`The authorisation server said ${r.status} ${r.statusText}`);
    if (r.status === 204)
        return null;
    const ctype = (r.headers.get('Content-Type') || '').split(';')[0].trim().toLowerCase();
    if (ctype !== 'application/jwt')
        throw new Error(`The authorisation server returned ${ctype || 'no content type'}`);
    const token = await r.text();
    if (!token)
        throw new Error('The authorisation server returned an empty token');
    return token;
}

/**
 * Recomputes users[id].streams from the streams we hold for that user.
 *
 * @param {ServerConnection} sc
 * @param {string} id
 * @returns {boolean} whether anything changed.
 */
function recomputeUserStreams(sc, id) {
    const user = sc.users[id];
    if (!user)
        return false;
    const streams = id === sc.id ? sc.up : sc.down;
    const result = {};
    for (const sid in streams) {
        const c = streams[sid];
        if (!c.stream || (id !== sc.id && c.source !== id))
            continue;
        const entry = result[c.label] || (result[c.label] = {});
        for (const t of c.stream.getTracks())
            entry[t.kind] = true;
    }
    const changed = JSON.stringify(result) !== JSON.stringify(user.streams);
    user.streams = result;
    return changed;
}

/**
 * A Stream is one peer connection with the server: either an up stream
 * that we send, or a down stream that the server forwards to us.  Create
 * up streams with ServerConnection.newUpStream; down streams are created
 * by the library and announced with ondownstream.
 */
export class Stream {
    /**
     * @param {ServerConnection} sc
     * @param {string} id
     * @param {string} localId
     * @param {RTCPeerConnection} pc
     * @param {boolean} up
     */
    constructor(sc, id, localId, pc, up) {
        /**
         * The associated ServerConnection; null once the stream is closed.
         * @type {ServerConnection|null}
         */
        this.sc = sc;
        /**
         * The id of this stream, shared with the server.
         * @type {string}
         */
        this.id = id;
        /**
         * The local id of this stream, stable across replacements.
         * @type {string}
         */
        this.localId = localId;
        /**
         * Indicates whether the stream is in the client->server direction.
         * @type {boolean}
         */
        this.up = up;
        /**
         * For down streams, the id of the client that created the stream.
         * @type {string|null}
         */
        this.source = null;
        /**
         * For down streams, the username of the client that created it.
         * @type {string|null}
         */
        this.username = null;
        /**
         * The associated RTCPeerConnection.
         * @type {RTCPeerConnection}
         */
        this.pc = pc;
        /**
         * The associated MediaStream, null if there are no tracks yet.
         * @type {MediaStream|null}
         */
        this.stream = null;
        /**
         * The label assigned by the originator, e.g. 'camera' or
         * 'screenshare'.
         * @type {string|null}
         */
        this.label = null;
        /**
         * The id of the stream that we are currently replacing.
         * @type {string|null}
         */
        this.replace = null;
        /**
         * Whether we have sent our local description (offer or answer).
         * @type {boolean}
         */
        this.localDescriptionSent = false;
        /**
         * Local ICE candidates not yet sent.
         * @type {Array<RTCIceCandidate>}
         */
        this.localIceCandidates = [];
        /**
         * Remote ICE candidates waiting for the remote description.
         * @type {Array<RTCIceCandidateInit>}
         */
        this.remoteIceCandidates = [];
        /**
         * The statistics last computed by the stats handler, indexed by
         * track id.
         * @type {Object<string, any>}
         */
        this.stats = {};
        /**
         * The id of the interval that collects statistics.
         * @type {number|null}
         */
        this.statsHandler = null;
        /**
         * A convenient place to attach data to a stream; not used by the
         * library.
         * @type {Object<unknown, unknown>}
         */
        this.userdata = {};

        /* Callbacks */

        /**
         * onclose is called when the stream is closed.  replace is true
         * when the stream is being replaced by another one.
         * @type {((this: Stream, replace: boolean) => void)|null}
         */
        this.onclose = null;
        /**
         * onerror is called whenever an error occurs.  If the error is
         * fatal, then onclose will be called afterwards.
         * @type {((this: Stream, error: any) => void)|null}
         */
        this.onerror = null;
        /**
         * onnegotiationcompleted is called whenever negotiation or
         * renegotiation has completed.
         * @type {((this: Stream) => void)|null}
         */
        this.onnegotiationcompleted = null;
        /**
         * ondowntrack is called whenever a new track is added to a down
         * stream.
         * @type {((this: Stream, track: MediaStreamTrack, transceiver: RTCRtpTransceiver, stream: MediaStream) => void)|null}
         */
        this.ondowntrack = null;
        /**
         * onstatus is called whenever the ICE connection state changes.
         * @type {((this: Stream, status: string) => void)|null}
         */
        this.onstatus = null;
        /**
         * onstats is called when we have new statistics about the stream.
         * @type {((this: Stream, stats: Object<unknown, unknown>) => void)|null}
         */
        this.onstats = null;
    }

    /**
     * setStream sets the MediaStream of an up stream, so that users[].streams
     * reflects it.
     *
     * @param {MediaStream} stream
     */
    setStream(stream) {
        this.stream = stream;
        if (this.sc && recomputeUserStreams(this.sc, this.sc.id))
            invoke(this.sc, this.sc.onuser, this.sc.id, 'change');
    }

    /**
     * close closes a stream.  For an up stream, the server is told unless
     * the stream is being replaced (replace true), in which case the
     * replacing offer tells it.
     *
     * @param {boolean} [replace] - true if we are being replaced by
     *   another stream.
     */
    close(replace) {
        const sc = this.sc;
        if (!sc)
            return;
        if (this.statsHandler) {
            clearInterval(this.statsHandler);
            this.statsHandler = null;
        }
        this.pc.close();
        if (this.up && !replace && this.localDescriptionSent) {
            try {
                sc.send({type: 'close', id: this.id});
            } catch (e) {
                // the socket is already gone: nothing to tell
            }
        }
        let userid;
        if (this.up) {
            userid = sc.id;
            if (sc.up[this.id] === this)
                delete sc.up[this.id];
        } else {
            userid = this.source;
            if (sc.down[this.id] === this)
                delete sc.down[this.id];
        }
        if (recomputeUserStreams(sc, userid))
            invoke(sc, sc.onuser, userid, 'change');
        invoke(this, this.onclose, !!replace);
        this.sc = null;
    }

    /**
     * abort requests that the server close a down stream.
     */
    abort() {
        if (this.up)
            throw new Error('Abort called on an up stream');
        this.sc.send({type: 'abort', id: this.id});
    }

    /**
     * Called when we get a local ICE candidate.  Don't call this.
     * @param {RTCIceCandidate} candidate
     */
    gotLocalIce(candidate) {
        if (this.localDescriptionSent && this.sc)
            this.sc.send({type: 'ice', id: this.id, candidate: candidate});
        else
            this.localIceCandidates.push(candidate);
    }

    /**
     * Sends the local ICE candidates gathered before our description was
     * sent.  Don't call this.
     */
    flushLocalIceCandidates() {
        const pending = this.localIceCandidates;
        this.localIceCandidates = [];
        for (const candidate of pending) {
            try {
                this.sc.send({type: 'ice', id: this.id, candidate: candidate});
            } catch (e) {
                console.warn(e);
            }
        }
    }

    /**
     * Applies the remote ICE candidates received before the remote
     * description.  Don't call this.
     * @returns {Promise<void>}
     */
    async flushRemoteIceCandidates() {
        const pending = this.remoteIceCandidates;
        this.remoteIceCandidates = [];
        await Promise.all(pending.map(
            c => this.pc.addIceCandidate(c).catch(e => console.warn(e))));
    }

    /**
     * negotiate negotiates or renegotiates an up stream.  It is called
     * automatically when required.  If the client requires renegotiation,
     * it is probably better to call restartIce which will cause negotiate
     * to be called asynchronously.
     *
     * @param {boolean} [restartIce] - Whether to restart ICE.
     * @returns {Promise<void>}
     */
    async negotiate(restartIce) {
        if (!this.up)
            throw new Error('not an up stream');
        const sc = this.sc;
        if (!sc)
            return;
        const offer = await this.pc.createOffer(restartIce ? {iceRestart: true} : {});
        await this.pc.setLocalDescription(offer);
        if (!this.sc)
            return;
        sc.send(compact({
            type: 'offer',
            source: sc.id,
            username: sc.username,
            kind: this.localDescriptionSent ? 'renegotiate' : '',
            id: this.id,
            replace: this.replace,
            label: this.label || '',
            sdp: this.pc.localDescription.sdp,
        }));
        this.localDescriptionSent = true;
        this.replace = null;
        this.flushLocalIceCandidates();
    }

    /**
     * restartIce causes an ICE restart on a stream.  For an up stream, it
     * renegotiates locally; for a down stream it asks the server to.
     */
    restartIce() {
        if (!this.up) {
            this.sc.send({type: 'renegotiate', id: this.id});
            return;
        }
        if (typeof this.pc.restartIce === 'function') {
            try {
                this.pc.restartIce();
                return;
            } catch (e) {
                console.warn(e);
            }
        }
        this.negotiate(true).catch(e => invoke(this, this.onerror, e));
    }

    /**
     * request sets the list of tracks requested on this down stream,
     * overriding the connection-wide request.
     *
     * @param {Array<string>|null} what - 'audio', 'video', 'video-low';
     *   null to return to the default.
     */
    request(what) {
        this.sc.send({type: 'requestStream', id: this.id, request: what});
    }

    /**
     * updateStats is called periodically, if requested by
     * setStatsInterval, in order to recompute stream statistics and
     * invoke the onstats handler.
     * @returns {Promise<void>}
     */
    async updateStats() {
        const old = this.stats;
        const stats = {};
        for (const t of this.pc.getTransceivers()) {
            const sendTrack = t.sender.track && t.sender.track.id;
            const recvTrack = t.receiver.track && t.receiver.track.id;
            if (sendTrack) {
                const report = await t.sender.getStats().catch(() => null);
                for (const r of report ? report.values() : []) {
                    if (r.type !== 'outbound-rtp' || !('bytesSent' in r))
                        continue;
                    const key = sendTrack + '-' + r.ssrc;
                    const prev = old[key] && old[key][r.type];
                    const entry = {timestamp: r.timestamp, bytesSent: r.bytesSent};
                    if (prev && r.timestamp > prev.timestamp)
                        entry.rate = (r.bytesSent - prev.bytesSent) * 8000 / (r.timestamp - prev.timestamp);
                    stats[key] = {[r.type]: entry};
                }
            }
            if (recvTrack) {
                const report = await t.receiver.getStats().catch(() => null);
                for (const r of report ? report.values() : []) {
                    if (r.type !== 'inbound-rtp' || !('totalAudioEnergy' in r))
                        continue;
                    const prev = old[recvTrack] && old[recvTrack][r.type];
                    const entry = {timestamp: r.timestamp, totalAudioEnergy: r.totalAudioEnergy};
                    if (prev && r.timestamp > prev.timestamp)
                        entry.audioEnergy = (r.totalAudioEnergy - prev.totalAudioEnergy) * 1000 / (r.timestamp - prev.timestamp);
                    stats[recvTrack] = {[r.type]: entry};
                }
            }
        }
        this.stats = stats;
        invoke(this, this.onstats, this.stats);
    }

    /**
     * setStatsInterval sets the interval in milliseconds at which the
     * onstats handler will be called.  This is only useful for up
     * streams and for audio levels on down streams.
     *
     * @param {number} ms - The interval in milliseconds; 0 or less stops.
     */
    setStatsInterval(ms) {
        if (this.statsHandler) {
            clearInterval(this.statsHandler);
            this.statsHandler = null;
        }
        if (ms > 0)
            this.statsHandler = setInterval(() => {
                this.updateStats().catch(e => console.warn(e));
            }, ms);
    }
}

/**
 * Tells a peer that a file transfer is cancelled.
 *
 * @param {ServerConnection} sc
 * @param {string} userid
 * @param {string} id
 * @param {any} [message]
 */
function sendFileCancel(sc, userid, id, message) {
    const m = {type: 'cancel', id: id};
    if (message)
        m.message = message instanceof Error ? message.message : '' + message;
    try {
        sc.userMessage('filetransfer', userid, m);
    } catch (e) {
        console.warn(e);
    }
}

/**
 * A file being transferred peer-to-peer over a data channel, negotiated
 * through 'filetransfer' user messages.  The receiver makes the offer and
 * creates the 'file' channel; the sender streams the file in chunks; the
 * receiver acknowledges with 'done' once it has everything.
 *
 * State goes '' → 'inviting' → 'connecting' → 'connected' → 'done', or
 * to 'cancelled' at any point; then 'closed'.
 */
export class TransferredFile {
    /**
     * @param {ServerConnection} sc
     * @param {string} userid
     * @param {string} id
     * @param {boolean} up
     * @param {string} username
     * @param {string} name
     * @param {string} mimetype
     * @param {number} size
     */
    constructor(sc, userid, id, up, username, name, mimetype, size) {
        /**
         * The server connection this file is associated with.
         * @type {ServerConnection}
         */
        this.sc = sc;
        /**
         * The id of the remote peer.
         * @type {string}
         */
        this.userid = userid;
        /**
         * The id of this file transfer.
         * @type {string}
         */
        this.id = id;
        /**
         * The negotiated file-transfer protocol version.
         * @type {string|null}
         */
        this.version = null;
        /**
         * True if this is an upload.
         * @type {boolean}
         */
        this.up = up;
        /**
         * The state of this file transfer: '', 'inviting', 'connecting',
         * 'connected', 'done', 'cancelled' or 'closed'.
         * @type {string}
         */
        this.state = '';
        /**
         * The username of the remote peer.
         * @type {string}
         */
        this.username = username;
        /**
         * The name of the file being transferred.
         * @type {string}
         */
        this.name = name;
        /**
         * The MIME type of the file being transferred.
         * @type {string}
         */
        this.mimetype = mimetype;
        /**
         * The size in bytes of the file being transferred.
         * @type {number}
         */
        this.size = size;
        /**
         * The file being uploaded; unused for downloads.
         * @type {File|null}
         */
        this.file = null;
        /**
         * The peer connection used for the transfer.
         * @type {RTCPeerConnection|null}
         */
        this.pc = null;
        /**
         * The data channel used for the transfer.
         * @type {RTCDataChannel|null}
         */
        this.dc = null;
        /**
         * Remote ICE candidates buffered until the negotiation is stable.
         * @type {Array<RTCIceCandidateInit>}
         */
        this.candidates = [];
        /**
         * The chunks received so far.
         * @type {Array<Blob|ArrayBuffer>}
         */
        this.data = [];
        /**
         * Bytes sent or received so far.
         * @type {number}
         */
        this.datalen = 0;
        /**
         * A convenient place to attach data; not used by the library.
         * @type {Object<unknown, unknown>}
         */
        this.userdata = {};
        /**
         * onevent is called whenever the state changes, and repeatedly in
         * state 'connected' to report progress (see datalen).  For a
         * received file, data on 'done' is the Blob; on 'cancelled' it is
         * the reason.
         * @type {((this: TransferredFile, state: string, data?: any) => void)|null}
         */
        this.onevent = null;
    }

    /**
     * The full id of this file transfer, used as a key in the
     * transferredFiles dictionary.
     * @returns {string}
     */
    fullid() {
        return this.userid + '-' + this.id;
    }

    /**
     * Sets the state and calls onevent, even if the state did not change.
     * Don't call this.
     *
     * @param {string} state
     * @param {any} [data]
     */
    event(state, data) {
        this.state = state;
        invoke(this, this.onevent, state, data);
    }

    /**
     * Closes a file transfer and removes it from the transferredFiles
     * dictionary.  Call cancel instead, unless the transfer is done.
     */
    close() {
        if (this.state === 'closed')
            return;
        if (this.dc) {
            this.dc.onclose = null;
            this.dc.onerror = null;
            this.dc.onmessage = null;
            this.dc.onbufferedamountlow = null;
        }
        if (this.pc) {
            this.pc.onicecandidate = null;
            this.pc.close();
        }
        this.dc = null;
        this.pc = null;
        this.data = [];
        if (this.sc.transferredFiles[this.fullid()] === this)
            delete this.sc.transferredFiles[this.fullid()];
        this.event('closed');
    }

    /**
     * Cancels a file transfer, telling the peer if it knows about it, and
     * sets the state to 'cancelled' and then 'closed'.
     *
     * @param {string|Error} [message]
     */
    cancel(message) {
        if (this.state === 'closed')
            return;
        if (this.state !== '' && this.state !== 'done' && this.state !== 'cancelled')
            sendFileCancel(this.sc, this.userid, this.id, message);
        if (this.state !== 'done' && this.state !== 'cancelled')
            this.event('cancelled', message);
        this.close();
    }

    /**
     * Terminates a transfer without telling the peer (for when the peer
     * has gone away).  Don't call this.
     *
     * @param {string|Error} [message]
     */
    fail(message) {
        if (this.state === 'done' || this.state === 'cancelled' || this.state === 'closed')
            return;
        this.event('cancelled', message);
        this.close();
    }

    /**
     * Creates the peer connection and hooks ICE trickling to the peer.
     * @private
     * @returns {RTCPeerConnection}
     */
    openPeerConnection() {
        const pc = new RTCPeerConnection(this.sc.getRTCConfiguration());
        this.pc = pc;
        this.candidates = [];
        pc.onicecandidate = e => {
            try {
                this.sc.userMessage('filetransfer', this.userid, {
                    type: 'ice', id: this.id, candidate: e.candidate,
                });
            } catch (err) {
                console.warn(err);
            }
        };
        pc.onsignalingstatechange = () => {
            if (pc.signalingState !== 'stable')
                return;
            const pending = this.candidates;
            this.candidates = [];
            for (const c of pending)
                pc.addIceCandidate(c).catch(e => console.warn(e));
        };
        return pc;
    }

    /**
     * Accepts an incoming file.  Call this after onfiletransfer has
     * yielded a download (up false); call cancel to refuse it instead.
     * @returns {Promise<void>}
     */
    async receive() {
        if (this.up)
            throw new Error('Receiving in wrong direction');
        if (this.pc)
            throw new Error('Download already in progress');
        const pc = this.openPeerConnection();
        this.event('connecting');
        const dc = pc.createDataChannel('file');
        this.dc = dc;
        this.data = [];
        this.datalen = 0;
        dc.binaryType = 'arraybuffer';
        dc.onclose = () => this.cancel('remote peer closed connection');
        dc.onerror = e => this.cancel(e.error || 'data channel error');
        dc.onmessage = e => this.receiveData(e.data);
        const offer = await pc.createOffer();
        await pc.setLocalDescription(offer);
        if (this.state === 'closed')
            return;
        this.sc.userMessage('filetransfer', this.userid, {
            type: 'offer', version: [this.version || '1'], id: this.id,
            sdp: pc.localDescription.sdp,
        });
    }

    /**
     * Sender side: answers the receiver's offer and waits for its data
     * channel.  Don't call this.
     *
     * @param {string} sdp
     * @returns {Promise<void>}
     */
    async answer(sdp) {
        if (!this.up)
            throw new Error('Sending file in wrong direction');
        if (this.pc)
            throw new Error('Transfer already in progress');
        const pc = this.openPeerConnection();
        this.event('connecting');
        pc.ondatachannel = e => {
            if (this.dc) {
                this.cancel('Duplicate datachannel');
                return;
            }
            const dc = e.channel;
            this.dc = dc;
            dc.onclose = () => this.cancel('remote peer closed connection');
            dc.onerror = ev => this.cancel(ev.error || 'data channel error');
            dc.onmessage = ev => {
                if (ev.data === 'done' && this.datalen === this.size) {
                    this.event('done');
                    this.close();
                } else {
                    this.cancel('unexpected data from receiver');
                }
            };
            const start = () => this.send().catch(err => this.cancel(err));
            if (dc.readyState === 'open')
                start();
            else
                dc.onopen = start;
        };
        await pc.setRemoteDescription({type: 'offer', sdp: sdp});
        const answer = await pc.createAnswer();
        await pc.setLocalDescription(answer);
        if (this.state === 'closed')
            return;
        this.sc.userMessage('filetransfer', this.userid, {
            type: 'answer', id: this.id, sdp: pc.localDescription.sdp,
        });
        this.event('connected');
    }

    /**
     * Waits until the data channel's send buffer has drained below the
     * low-water mark.
     * @private
     * @returns {Promise<void>}
     */
    drained() {
        return new Promise((resolve, reject) => {
            const dc = this.dc;
            if (!dc) {
                reject(new Error('File transfer is closed'));
                return;
            }
            if (dc.bufferedAmount <= dc.bufferedAmountLowThreshold) {
                resolve();
                return;
            }
            dc.onbufferedamountlow = () => {
                dc.onbufferedamountlow = null;
                if (this.dc === dc)
                    resolve();
                else
                    reject(new Error('File transfer is closed'));
            };
        });
    }

    /**
     * Streams the file over the data channel in chunks of at most 16 kB,
     * pausing whenever the send buffer is full.  Don't call this.
     * @returns {Promise<void>}
     */
    async send() {
        if (!this.up)
            throw new Error('Sending in wrong direction');
        this.dc.bufferedAmountLowThreshold = FILE_BUFFER_HIGH_WATER;
        const reader = this.file.stream().getReader();
        for (;;) {
            const {done, value} = await reader.read();
            if (done)
                break;
            for (let i = 0; i < value.length; i += FILE_CHUNK_SIZE) {
                if (!this.dc)
                    throw new Error('File transfer is closed');
                if (this.dc.bufferedAmount > FILE_BUFFER_HIGH_WATER)
                    await this.drained();
                const chunk = value.subarray(i, Math.min(i + FILE_CHUNK_SIZE, value.length));
                this.dc.send(chunk);
                this.datalen += chunk.length;
                this.event('connected');
            }
        }
    }

    /**
     * Receiver side: applies the sender's answer.  Don't call this.
     *
     * @param {string} sdp
     * @returns {Promise<void>}
     */
    async receiveFile(sdp) {
        if (this.up)
            throw new Error('Receiving in wrong direction');
        await this.pc.setRemoteDescription({type: 'answer', sdp: sdp});
        this.event('connected');
    }

    /**
     * Receiver side: stores one chunk; once the whole file is here,
     * delivers it and sends the final 'done'.  Don't call this.
     *
     * @param {ArrayBuffer|Blob} data
     */
    receiveData(data) {
        if (this.up || !this.dc)
            return;
        let len;
        if (data instanceof ArrayBuffer)
            len = data.byteLength;
        else if (data instanceof Blob)
            len = data.size;
        else {
            this.cancel('unexpected data type');
            return;
        }
        this.data.push(data);
        this.datalen += len;
        if (this.datalen < this.size) {
            this.event('connected');
            return;
        }
        const dc = this.dc;
        dc.onmessage = null;
        if (this.datalen !== this.size) {
            this.cancel('extra data at end of file');
            return;
        }
        const blob = new Blob(this.data, {type: this.mimetype});
        this.data = [];
        this.event('done', blob);
        // The sender closes once it sees 'done'; don't treat that as an error.
        dc.onclose = null;
        dc.onerror = null;
        try {
            dc.send('done');
        } catch (e) {
            console.warn(e);
        }
        const closer = setTimeout(() => this.close(), 2000);
        dc.onclose = () => {
            clearTimeout(closer);
            this.close();
        };
    }
}
