// Runs inside a page of the server under test (via WebDriver executeAsyncScript).
// Uses only the public API of /protocol.js and reports every check it made.
// arguments[0]: WebSocket endpoint; arguments[1]: group; last argument: WebDriver callback.
const finish = arguments[arguments.length - 1];
const endpoint = arguments[0];
const group = arguments[1];

const checks = [];
(async () => {
    const check = (name, ok, detail) => checks.push({name, ok: !!ok, detail: detail === undefined ? '' : JSON.stringify(detail)});

    const lib = await import('/protocol.js');
    const {ServerConnection, Stream, TransferredFile} = lib;
    check('exports', typeof ServerConnection === 'function' && typeof Stream === 'function'
        && typeof TransferredFile === 'function');

    const sleep = ms => new Promise(r => setTimeout(r, ms));
    async function until(what, predicate, ms = 5000) {
        const end = Date.now() + ms;
        while (Date.now() < end) {
            if (predicate())
                return true;
            await sleep(20);
        }
        throw new Error('timed out waiting for ' + what);
    }

    /** A connection that records every callback it receives. */
    function recorder(name) {
        const sc = new ServerConnection();
        sc.log = [];
        const rec = cb => function (...args) {
            sc.log.push({cb, args, self: this === sc});
        };
        for (const cb of ['onconnected', 'onclose', 'onerror', 'onuser', 'onjoined', 'onchat',
            'onusermessage', 'ondownstream', 'onfiletransfer'])
            sc[cb] = rec(cb);
        sc.find = (cb, pred = () => true) => sc.log.find(e => e.cb === cb && pred(e.args));
        sc.name = name;
        return sc;
    }
    async function connected(sc) {
        sc.connect(endpoint);
        await until(sc.name + ' connected', () => sc.find('onconnected'));
    }

    const members = ['id', 'group', 'username', 'socket', 'version', 'up', 'down', 'users', 'permissions',
        'rtcConfiguration', 'lastServerMessage', 'pingHandler', 'transferredFiles', 'userdata',
        'onconnected', 'onpeerconnection', 'onclose', 'onerror', 'onuser', 'onjoined', 'ondownstream',
        'onchat', 'onusermessage', 'onfiletransfer'];
    const methods = ['send', 'connect', 'close', 'error', 'join', 'leave', 'request', 'findByLocalId',
        'getRTCConfiguration', 'newUpStream', 'chat', 'userAction', 'userMessage', 'groupAction',
        'gotOffer', 'gotAnswer', 'gotRenegotiate', 'gotClose', 'gotAbort', 'gotRemoteIce',
        'getTransferredFile', 'sendFile', 'fileTransfer'];
    const probe = new ServerConnection();
    check('members', members.every(m => m in probe), members.filter(m => !(m in probe)));
    check('methods', methods.every(m => typeof probe[m] === 'function'), methods.filter(m => typeof probe[m] !== 'function'));
    check('random hex id', /^[0-9a-f]{32}$/.test(probe.id) && probe.id !== new ServerConnection().id, probe.id);

    // Handshake (HS4) and a failed join that leaves the connection usable (J6, J26).
    const a = recorder('A');
    await connected(a);
    check('version 2 negotiated', a.version === '2', a.version);
    check('onconnected this', a.find('onconnected').self);
    await a.join(group, 'vimes', 'wrong');
    await until('A join failure', () => a.find('onjoined'));
    const fail = a.find('onjoined').args;
    check('join fail', fail[0] === 'fail' && fail[1] === group && Array.isArray(fail[2]) && fail[2].length === 0
        && fail[6] === 'not authorised', fail);
    check('socket open after failed join', a.socket && a.socket.readyState === WebSocket.OPEN);

    await a.join(group, 'vimes', {type: 'password', password: 'sybil'});
    await until('A joined', () => a.find('onjoined', x => x[0] === 'join'));
    const joined = a.find('onjoined', x => x[0] === 'join').args;
    check('join args', joined[1] === group && joined[2].includes('op') && typeof joined[3] === 'object'
        && joined[3].clientCount === 1, joined);
    check('group and username set', a.group === group && a.username === 'vimes', [a.group, a.username]);
    check('permissions member', a.permissions.includes('op'), a.permissions);
    check('lastServerMessage is epoch ms', typeof a.lastServerMessage === 'number'
        && Math.abs(Date.now() - a.lastServerMessage) < 60000, a.lastServerMessage);
    a.request({'': ['audio', 'video']});
    await until('A self user', () => a.users[a.id]);
    const self = a.users[a.id];
    check('own user entry', self.username === 'vimes' && self.permissions.includes('op')
        && typeof self.data === 'object' && typeof self.streams === 'object', self);

    // A second user appears in the first one's users map (J14, U1).
    const b = recorder('B');
    await connected(b);
    await b.join(group, 'guest1', 'guest');
    await until('B sees A', () => b.users[a.id]);
    await until('A sees B', () => a.users[b.id]);
    check('onuser add', a.find('onuser', x => x[0] === b.id && x[1] === 'add'));
    check('user B entry', a.users[b.id].username === 'guest1' && a.users[b.id].permissions.includes('present')
        && !a.users[b.id].permissions.includes('op'), a.users[b.id]);

    // Broadcast chat: echoed to the sender, 9 callback arguments (C4, C6).
    b.chat('', '', 'hello everyone');
    await until('A gets chat', () => a.find('onchat', x => x[8] === 'hello everyone'));
    await until('B gets echo', () => b.find('onchat', x => x[8] === 'hello everyone'));
    const c1 = a.find('onchat', x => x[8] === 'hello everyone').args;
    check('chat args', c1.length === 9 && typeof c1[0] === 'string' && c1[0].length === 11 && c1[1] === b.id
        && c1[3] === 'guest1' && c1[4] instanceof Date && c1[5] === false && c1[6] === false
        && (c1[7] === undefined || c1[7] === ''), c1);
    a.chat('me', '', 'waves');
    await until('B gets /me', () => b.find('onchat', x => x[8] === 'waves'));
    const c2 = b.find('onchat', x => x[8] === 'waves').args;
    check('me chat privileged', c2[7] === 'me' && c2[5] === true && c2[3] === 'vimes', c2);

    // Private chat: only the destination gets it (C7).
    a.chat('', b.id, 'psst');
    await until('B gets private', () => b.find('onchat', x => x[8] === 'psst'));
    const p = b.find('onchat', x => x[8] === 'psst').args;
    check('private chat', p[2] === b.id && p[1] === a.id, p);
    await sleep(200);
    check('no private echo', !a.find('onchat', x => x[8] === 'psst'));

    // User message (M1): not history, privileged flag from the server.
    a.userMessage('warning', b.id, 'careful now');
    await until('B gets usermessage', () => b.find('onusermessage', x => x[7] === 'careful now'));
    const um = b.find('onusermessage', x => x[7] === 'careful now').args;
    check('usermessage args', um.length === 8 && um[0] === a.id && um[1] === b.id && um[2] === 'vimes'
        && um[3] instanceof Date && um[4] === true && um[5] === 'warning', um);

    // setdata (UA7): raise and lower the hand.
    b.userAction('setdata', b.id, {raisehand: true});
    await until('A sees raised hand', () => a.users[b.id].data.raisehand === true);
    b.userAction('setdata', b.id, {raisehand: null});
    await until('A sees lowered hand', () => !('raisehand' in a.users[b.id].data));
    check('setdata round trip', a.log.filter(e => e.cb === 'onuser' && e.args[0] === b.id && e.args[1] === 'change').length >= 2);

    // op / unop (UA2, UA3): the target gets joined change, everybody a user change.
    a.userAction('op', b.id);
    await until('B becomes op', () => b.find('onjoined', x => x[0] === 'change' && x[2].includes('op')));
    await until('A sees B op', () => a.users[b.id].permissions.includes('op'));
    check('B permissions updated', b.permissions.includes('op'), b.permissions);
    a.userAction('unop', b.id);
    await until('B loses op', () => !b.permissions.includes('op'));

    // Lock (GA3): a newcomer is refused with the lock message; unlock lets it in.
    a.groupAction('lock', 'closed for tests');
    await until('B sees lock', () => b.find('onjoined', x => x[0] === 'change' && x[3] && x[3].locked));
    const c = recorder('C');
    await connected(c);
    await c.join(group, 'latecomer', 'guest');
    await until('C refused', () => c.find('onjoined'));
    check('locked join refused', c.find('onjoined').args[0] === 'fail'
        && c.find('onjoined').args[6] === 'closed for tests', c.find('onjoined').args);
    const beforeUnlock = b.log.length;
    a.groupAction('unlock');
    await until('B sees unlock', () => b.log.slice(beforeUnlock).some(e => e.cb === 'onjoined'
        && e.args[0] === 'change' && !(e.args[3] && e.args[3].locked)));
    c.log = [];
    await c.join(group, 'latecomer', 'guest');
    await until('C join reply', () => c.find('onjoined'));
    check('join after unlock', c.find('onjoined').args[0] === 'join', c.find('onjoined').args);
    await until('C joined', () => c.find('onjoined', x => x[0] === 'join'));
    await until('C history', () => c.find('onchat', x => x[8] === 'hello everyone'));
    check('history flag', c.find('onchat', x => x[8] === 'hello everyone').args[6] === true);
    await until('C sees all', () => Object.keys(c.users).length === 3);

    // Kick (UA4, J24): the target learns who and why, then the socket closes.
    a.userAction('kick', c.id, 'go away');
    await until('C kicked', () => c.find('onclose'));
    const kicked = c.find('onusermessage', x => x[5] === 'kicked');
    check('kicked message', kicked && kicked.args[6] === undefined && kicked.args[7] === 'go away'
        && kicked.args[4] === true, kicked && kicked.args);
    check('onclose has code and reason', typeof c.find('onclose').args[0] === 'number'
        && typeof c.find('onclose').args[1] === 'string', c.find('onclose').args);
    await until('A sees C leave', () => a.find('onuser', x => x[0] === c.id && x[1] === 'delete'));

    // Leave (J18): group is kept, users are cleared; rejoining works.
    b.leave(group);
    await until('B left', () => b.find('onjoined', x => x[0] === 'leave'));
    check('leave keeps group', b.group === group && Object.keys(b.users).length === 0, [b.group, b.users]);
    await until('A sees B leave', () => a.find('onuser', x => x[0] === b.id && x[1] === 'delete'));

    // close(): onjoined('leave') comes before onclose; group is reset.
    a.close();
    await until('A closed', () => a.find('onclose'));
    const li = a.log.findIndex(e => e.cb === 'onjoined' && e.args[0] === 'leave');
    const ci = a.log.findIndex(e => e.cb === 'onclose');
    check('leave before close', li >= 0 && li < ci, [li, ci]);
    check('close resets group', a.group === null && a.socket === null, a.group);
    b.close();
    c.close();
    return checks;
})().then(checks => finish(JSON.stringify({checks})),
    e => finish(JSON.stringify({checks, error: String(e && e.stack ? e.stack : e)})));
