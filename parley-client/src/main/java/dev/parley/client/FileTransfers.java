package dev.parley.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.parley.protocol.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The file transfers of one connection and the {@code filetransfer} usermessage protocol:
 * starting uploads, routing peers' messages to their transfer, and ending transfers whose
 * peer or connection went away.
 */
final class FileTransfers {
    private static final System.Logger LOG = System.getLogger(FileTransfers.class.getName());

    private final ServerConnection sc;
    private final Map<String, TransferredFile> transfers = new ConcurrentHashMap<>();

    FileTransfers(ServerConnection sc) {
        this.sc = sc;
    }

    /** The live map, by {@link TransferredFile#fullid()}; the connection hands out an unmodifiable view. */
    Map<String, TransferredFile> all() {
        return transfers;
    }

    TransferredFile get(String userId, String fileId) {
        return transfers.get(userId + "-" + fileId);
    }

    void forget(TransferredFile f) {
        transfers.remove(f.fullid(), f);
    }

    /** Ends every transfer with {@code userId} (or every transfer for null) without telling the peer. */
    void failAllWith(String userId, String reason) {
        for (TransferredFile f : List.copyOf(transfers.values())) {
            if (userId == null || userId.equals(f.userid())) {
                f.fail(reason);
            }
        }
    }

    TransferredFile send(String userId, Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new IOException("not a regular file: " + path);
        }
        long size = Files.size(path);
        String type = Files.probeContentType(path);
        return sc.loop().call(() -> {
            User user = sc.users().get(userId);
            if (user == null) {
                throw new IllegalArgumentException("offering upload to unknown user");
            }
            String fileId = Ids.random();
            TransferredFile f = new TransferredFile(sc, userId, fileId, true, user.username(),
                    path.getFileName().toString(), type == null ? "" : type, size);
            f.file(path);
            try {
                sc.callbacks().fileTransfer(f);
            } catch (Exception e) {
                f.cancel(e.getMessage());
                return f;
            }
            if (f.state().equals("closed")) {
                return f;
            }
            transfers.put(f.fullid(), f);
            ObjectNode invite = Json.object();
            invite.put("type", "invite");
            invite.set("version", Json.strings(List.of("1")));
            invite.put("id", fileId);
            invite.put("name", f.name());
            invite.put("size", size);
            invite.put("mimetype", f.mimetype());
            sc.userMessage("filetransfer", userId, invite);
            f.event("inviting", null);
            return f;
        });
    }

    void sendCancel(String userId, String fileId, String message) {
        ObjectNode m = Json.object();
        m.put("type", "cancel");
        m.put("id", fileId);
        if (message != null) {
            m.put("message", message);
        }
        try {
            sc.userMessage("filetransfer", userId, m);
        } catch (IllegalStateException e) {
            LOG.log(System.Logger.Level.DEBUG, "cancel not sent: {0}", e.getMessage());
        }
    }

    /** Event thread. Malformed messages are logged and dropped: a peer must not break us. */
    void handle(String userId, String username, JsonNode message) {
        if (userId == null || message == null || !message.isObject()) {
            LOG.log(System.Logger.Level.WARNING, "malformed filetransfer message");
            return;
        }
        String type = text(message, "type");
        String fileId = text(message, "id");
        if (type == null || fileId == null) {
            LOG.log(System.Logger.Level.WARNING, "filetransfer message without type or id");
            return;
        }
        switch (type) {
            case "invite" -> invite(userId, username, fileId, message);
            case "offer" -> {
                TransferredFile f = get(userId, fileId);
                if (f == null) {
                    LOG.log(System.Logger.Level.WARNING, "Unexpected offer for file transfer");
                    return;
                }
                if (!versionOne(message)) {
                    f.cancel("Unknown protocol version " + message.get("version")
                            + "; perhaps you need to upgrade your client ?");
                    return;
                }
                f.version("1");
                String sdp = text(message, "sdp");
                try {
                    f.answer(sdp == null ? "" : sdp);
                } catch (RuntimeException e) {
                    f.cancel(e.getMessage());
                }
            }
            case "answer" -> {
                TransferredFile f = get(userId, fileId);
                if (f == null) {
                    LOG.log(System.Logger.Level.WARNING, "Unexpected answer for file transfer");
                    return;
                }
                try {
                    f.receiveFile(String.valueOf(text(message, "sdp")));
                } catch (RuntimeException e) {
                    f.cancel(e.getMessage());
                }
            }
            case "ice" -> {
                TransferredFile f = get(userId, fileId);
                JsonNode c = message.get("candidate");
                if (f == null || c == null || !c.isObject() || text(c, "candidate") == null
                        || text(c, "candidate").isEmpty()) {
                    return; // unknown transfer, or end-of-candidates
                }
                JsonNode index = c.get("sdpMLineIndex");
                f.remoteCandidate(new RTCIceCandidate(text(c, "sdpMid") == null ? "" : text(c, "sdpMid"),
                        index != null && index.canConvertToInt() ? index.intValue() : 0, text(c, "candidate")));
            }
            case "cancel" -> {
                TransferredFile f = get(userId, fileId);
                if (f == null) {
                    return;
                }
                f.event("cancelled", text(message, "message"));
                f.close();
            }
            case "upice", "downice", "reject", "abort" -> {
                TransferredFile f = get(userId, fileId);
                if (f != null) {
                    f.cancel("Obsolete file transfer message " + type + "; please upgrade your client");
                }
            }
            default -> LOG.log(System.Logger.Level.WARNING, "Unknown filetransfer message {0}", type);
        }
    }

    private void invite(String userId, String username, String fileId, JsonNode message) {
        if (!versionOne(message)) {
            sendCancel(userId, fileId, "Unknown protocol version " + message.get("version")
                    + "; perhaps you need to upgrade your client ?");
            return;
        }
        JsonNode sizeNode = message.get("size");
        if (sizeNode == null || !sizeNode.canConvertToLong() || sizeNode.asLong() < 0) {
            sendCancel(userId, fileId, "bad file size");
            return;
        }
        TransferredFile f = new TransferredFile(sc, userId, fileId, false, username,
                text(message, "name"), text(message, "mimetype"), sizeNode.asLong());
        f.version("1");
        f.state("inviting");
        if (transfers.containsKey(f.fullid())) {
            sendCancel(userId, fileId,
                    "Duplicate file transfer id; perhaps you have tried to send a file to yourself?");
            return;
        }
        transfers.put(f.fullid(), f);
        try {
            sc.callbacks().fileTransfer(f);
        } catch (Exception e) {
            f.cancel(e.getMessage());
        }
    }

    private static boolean versionOne(JsonNode message) {
        JsonNode v = message.get("version");
        if (v == null || !v.isArray()) {
            return false;
        }
        for (JsonNode e : v) {
            if (e.isTextual() && e.asText().equals("1")) {
                return true;
            }
        }
        return false;
    }

    private static String text(JsonNode o, String field) {
        JsonNode n = o.get(field);
        return n != null && n.isTextual() ? n.asText() : null;
    }
}
