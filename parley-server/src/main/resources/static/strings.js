// Every user-visible string of the web client, in one place so that the
// interface can be translated by replacing this module (or by assigning
// to `strings` before the pages start).  Placeholders are {0}, {1}, ...

/** @type {Object<string, string>} */
export const strings = {
    appName: 'Parley',
    // landing page
    landingTitle: 'Parley',
    landingIntro: 'Video conferencing in your browser.',
    joinGroupHeading: 'Join a group',
    groupNameLabel: 'Group name',
    groupNamePlaceholder: 'e.g. demo',
    joinButton: 'Go',
    publicGroupsHeading: 'Public groups',
    noPublicGroups: 'No public groups at the moment.',
    loadingGroups: 'Loading…',
    cannotLoadGroups: "Couldn't load the list of public groups.",
    clientCountOne: '1 participant',
    clientCountMany: '{0} participants',
    lockedGroup: 'locked',
    notFoundTitle: 'Not found',
    notFoundText: 'The page you asked for does not exist.',
    backHome: 'Back to the home page',
    // login
    loginHeading: 'Join {0}',
    usernameLabel: 'Username',
    passwordLabel: 'Password',
    connectButton: 'Connect',
    connecting: 'Connecting…',
    presentLabel: 'On connect',
    presentNothing: 'Nothing',
    presentMike: 'Enable microphone',
    presentBoth: 'Enable camera and microphone',
    tokenLogin: 'You have been invited; connecting…',
    redirectingPortal: 'Redirecting to the authentication portal…',
    groupNotFound: 'This group does not exist.',
    groupRedirected: 'This group has moved to {0}.',
    // header & toolbar
    toggleUsers: 'Show or hide the participants',
    toggleChat: 'Show or hide the chat',
    enableMedia: 'Enable',
    disableMedia: 'Disable',
    enableCamera: 'Camera',
    muteMic: 'Mute',
    unmuteMic: 'Unmute',
    shareScreen: 'Share screen',
    unshareScreen: 'Stop sharing',
    raiseHand: 'Raise hand',
    lowerHand: 'Lower hand',
    fullscreen: 'Full screen',
    exitFullscreen: 'Exit full screen',
    settings: 'Settings',
    toolbarLabel: 'Conference controls',
    disconnect: 'Leave',
    // settings panel
    settingsHeading: 'Settings',
    closeSettings: 'Close settings',
    cameraLabel: 'Camera',
    microphoneLabel: 'Microphone',
    noDevice: 'Off',
    defaultDevice: 'Default',
    sendLabel: 'Send quality',
    sendLowest: 'lowest',
    sendLow: 'low',
    sendNormal: 'normal',
    sendUnlimited: 'unlimited',
    simulcastLabel: 'Simulcast',
    simulcastAuto: 'automatic',
    simulcastOn: 'on',
    simulcastOff: 'off',
    receiveLabel: 'Receive',
    receiveNothing: 'nothing',
    receiveAudio: 'audio only',
    receiveScreen: 'screen share only',
    receiveLow: 'low video',
    receiveAll: 'everything',
    blackboardLabel: 'Blackboard mode',
    mirrorLabel: 'Mirror my video',
    playFileLabel: 'Play a local video file',
    // users
    participantsHeading: 'Participants',
    you: '(you)',
    anonymous: '(anonymous)',
    sendingMedia: 'sending media',
    userMenuLabel: 'Actions for {0}',
    groupMenuLabel: 'Group actions',
    privateMessage: 'Send private message',
    sendFile: 'Send file',
    makeOp: 'Make operator',
    removeOp: 'Remove operator',
    allowPresent: 'Allow to present',
    disallowPresent: 'Forbid presenting',
    muteUser: 'Mute',
    warnUser: 'Warn',
    kickUser: 'Kick out',
    identifyUser: 'Identify',
    lockGroup: 'Lock group',
    unlockGroup: 'Unlock group',
    clearChat: 'Clear chat',
    muteAll: 'Mute everybody',
    inviteUser: 'Create invitation link',
    operatorBadge: 'operator',
    presenterBadge: 'presenter',
    handRaisedBadge: 'hand raised',
    warnPrompt: 'Warning message for {0}:',
    kickPrompt: 'Reason for kicking {0} (optional):',
    lockPrompt: 'Lock message (optional):',
    // chat
    chatHeading: 'Chat',
    chatInputLabel: 'Type a message; /help for commands',
    sendButton: 'Send',
    privateTo: 'private message to {0}',
    privateFrom: 'private message from {0}',
    cancelPrivate: 'Cancel private message',
    serverName: 'Server',
    unknownCommand: 'Unknown command /{0}, type /help for help',
    notConnected: 'Not connected',
    userNotFound: 'Unknown user {0}',
    needArgument: 'This command needs an argument',
    badDuration: 'Bad duration {0}: use e.g. 90s, 30m, 2h, 3d or 1w',
    helpHeader: 'Available commands:',
    historyMarker: 'history',
    // commands' help
    cmdHelp: 'display this help',
    cmdMsg: 'send a private message',
    cmdMe: 'send an action message',
    cmdLeave: 'leave the group',
    cmdClear: 'clear the chat history',
    cmdLock: 'lock this group',
    cmdUnlock: 'unlock this group',
    cmdOp: 'give operator status',
    cmdUnop: 'revoke operator status',
    cmdPresent: 'give the right to present',
    cmdUnpresent: 'revoke the right to present',
    cmdKick: 'kick out a user',
    cmdMute: 'mute a remote user',
    cmdWarn: 'send a warning to a user',
    cmdWall: 'send a warning to all users',
    cmdRaise: 'raise hand',
    cmdUnraise: 'unraise hand',
    cmdInvite: 'create an invitation link',
    cmdReinvite: 'extend an invitation link',
    cmdRevoke: 'revoke an invitation link',
    cmdSubgroups: 'list subgroups',
    cmdRenegotiate: 'renegotiate media streams',
    cmdSharescreen: 'share the screen',
    cmdUnsharescreen: 'stop sharing the screen',
    cmdIdentify: 'identify a user',
    cmdRecord: 'start recording',
    cmdUnrecord: 'stop recording',
    cmdListtokens: 'list invitation links',
    cmdSetdata: 'set group data (JSON)',
    // notifications
    joinedGroup: 'Connected to {0}',
    rejoinedGroup: 'Reconnected to {0}',
    connectionLost: 'The connection to the server was lost. Reconnecting…',
    reconnecting: 'Reconnecting…',
    reconnectGaveUp: 'The server could not be reached again. Please connect later.',
    rejoinFailed: 'Could not rejoin the group after the connection was lost: {0}',
    joinFailed: 'Could not join: {0}',
    leftGroup: 'You have left the group',
    disconnected: 'Disconnected: {0}',
    connectionError: 'Connection error: {0}',
    mutedByOp: 'You have been muted by {0}',
    warningFrom: 'Warning from {0}: {1}',
    kickedOut: 'You have been kicked out by {0}: {1}',
    kickedOutNoName: 'You have been kicked out: {0}',
    groupLocked: 'This group is locked: {0}',
    groupLockedShort: 'This group is locked',
    inviteCreated: 'Invitation link: {0}',
    inviteUpdated: 'Invitation {0} updated',
    tokenList: 'Invitations:',
    userInfo: 'User {0} ({1}) at {2}',
    chatCleared: 'The chat has been cleared',
    cannotGetMedia: 'Cannot access camera or microphone: {0}',
    cannotShare: 'Cannot share the screen: {0}',
    noPresentPermission: 'You are not allowed to present in this group',
    streamError: 'Stream error: {0}',
    // file transfer
    fileOffer: '{0} wants to send you {1} ({2}).',
    fileAccept: 'Accept',
    fileReject: 'Reject',
    fileCancel: 'Cancel',
    fileSending: 'Sending {0} to {1}…',
    fileWaiting: 'Waiting for {0} to accept {1}…',
    fileProgress: '{0}: {1}%',
    fileDone: '{0} transferred.',
    fileDownload: 'Save {0}',
    fileCancelled: 'Transfer of {0} cancelled{1}',
    // video
    noVideo: 'Nobody is sending video. Press “Enable” to share your camera.',
    muted: 'muted',
    localVideoLabel: 'Your video',
    videoOf: 'Video of {0}',
    playButton: 'Click to play',
    closeVideo: 'Close',
    dismiss: 'Dismiss',
};

/**
 * Returns the string for key with {0}, {1}, ... replaced by args.
 *
 * @param {string} key
 * @param {...any} args
 * @returns {string}
 */
export function t(key, ...args) {
    const s = key in strings ? strings[key] : key;
    return s.replace(/\{(\d+)\}/g, (m, i) => (i < args.length ? String(args[i]) : m));
}

/**
 * Fills elements carrying data-i18n (text), data-i18n-label (aria-label
 * and title) and data-i18n-placeholder attributes below root.
 *
 * @param {ParentNode} root
 */
export function translatePage(root) {
    for (const e of root.querySelectorAll('[data-i18n]'))
        e.textContent = t(e.dataset.i18n);
    for (const e of root.querySelectorAll('[data-i18n-label]')) {
        e.setAttribute('aria-label', t(e.dataset.i18nLabel));
        e.setAttribute('title', t(e.dataset.i18nLabel));
    }
    for (const e of root.querySelectorAll('[data-i18n-placeholder]'))
        e.setAttribute('placeholder', t(e.dataset.i18nPlaceholder));
}
