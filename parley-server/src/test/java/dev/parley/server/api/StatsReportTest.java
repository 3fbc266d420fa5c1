package dev.parley.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.Json;
import dev.parley.protocol.Message;
import dev.parley.server.group.GroupManager;
import dev.parley.server.group.Member;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** H48: the shape of {@code .stats}. */
class StatsReportTest {
    @TempDir
    Path groupsDir;

    /** A member that ignores what it is sent. */
    private static class FakeMember implements Member {
        private final String id;

        FakeMember(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String username() {
            return "u";
        }

        @Override
        public List<String> permissions() {
            return new ArrayList<>();
        }

        @Override
        public ObjectNode data() {
            return null;
        }

        @Override
        public boolean isWebSocket() {
            return true;
        }

        @Override
        public void send(Message m) {
        }

        @Override
        public void kick(String kickerId, String kickerUsername, String message) {
        }

        @Override
        public String address() {
            return null;
        }
    }

    private static final class MediaMember extends FakeMember implements ClientStatistics {
        private final List<ObjectNode> up;
        private final List<ObjectNode> down;

        MediaMember(String id, List<ObjectNode> up, List<ObjectNode> down) {
            super(id);
            this.up = up;
            this.down = down;
        }

        @Override
        public List<ObjectNode> upStatistics() {
            return up;
        }

        @Override
        public List<ObjectNode> downStatistics() {
            return down;
        }
    }

    private static ObjectNode conn(String id) {
        ObjectNode c = Json.object().put("id", id);
        c.putArray("tracks").addObject().put("bitrate", 1000).put("loss", 0.0);
        return c;
    }

    @Test
    void H48_groupsAndClientsSortedWithConnectionsSortedAndEmptyOnesOmitted() throws Exception {
        Files.writeString(groupsDir.resolve("b.json"), "{}");
        Files.writeString(groupsDir.resolve("a.json"), "{}");
        GroupManager groups = new GroupManager(groupsDir, Clock.systemUTC());
        var b = groups.get("b");
        groups.get("a");
        assertThat(b.join(new MediaMember("z-media", List.of(conn("u2"), conn("u1")), List.of()),
                true, g -> Message.of("joined").build())).isNull();
        assertThat(b.join(new FakeMember("a-plain"), true, g -> Message.of("joined").build())).isNull();

        JsonNode report = StatsReport.of(groups);
        assertThat(report).hasSize(2);
        assertThat(report.get(0).path("name").asText()).isEqualTo("a");
        assertThat(report.get(0).has("clients")).isFalse();
        JsonNode clients = report.get(1).path("clients");
        assertThat(clients.get(0).toString()).isEqualTo("{\"id\":\"a-plain\"}");
        JsonNode media = clients.get(1);
        assertThat(media.path("id").asText()).isEqualTo("z-media");
        assertThat(media.path("up").get(0).path("id").asText()).isEqualTo("u1");
        assertThat(media.path("up").get(1).path("id").asText()).isEqualTo("u2");
        assertThat(media.has("down")).isFalse();
    }
}
