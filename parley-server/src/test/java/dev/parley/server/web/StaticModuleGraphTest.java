package dev.parley.server.web;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web client's ES modules import each other in one direction only (state and protocol at
 * the bottom, views on top): a cycle makes the evaluation order, and so which module sees the
 * other's exports as undefined, depend on which page imports first.
 */
class StaticModuleGraphTest {
    private static final Pattern IMPORT = Pattern.compile("^\\s*import\\s[^;]*?from\\s+'\\./([\\w.-]+\\.js)'", Pattern.MULTILINE);

    static Map<String, Set<String>> graph() throws IOException, URISyntaxException {
        Path dir = Path.of(StaticModuleGraphTest.class.getResource("/static/galene.js").toURI()).getParent();
        Map<String, Set<String>> g = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".js")).toList()) {
                Set<String> deps = new TreeSet<>();
                Matcher m = IMPORT.matcher(Files.readString(p));
                while (m.find()) {
                    deps.add(m.group(1));
                }
                g.put(p.getFileName().toString(), deps);
            }
        }
        return g;
    }

    /** A cycle as a list of modules (first repeated at the end), or an empty list. */
    static List<String> findCycle(Map<String, Set<String>> g) {
        Map<String, Integer> state = new HashMap<>();   // 1 on the stack, 2 done
        for (String start : g.keySet()) {
            List<String> path = new ArrayList<>();
            List<String> cycle = visit(g, start, state, path);
            if (!cycle.isEmpty()) {
                return cycle;
            }
        }
        return List.of();
    }

    private static List<String> visit(Map<String, Set<String>> g, String n, Map<String, Integer> state, List<String> path) {
        Integer s = state.get(n);
        if (s != null && s == 2) {
            return List.of();
        }
        if (s != null) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(n), path.size()));
            cycle.add(n);
            return cycle;
        }
        state.put(n, 1);
        path.add(n);
        for (String d : g.getOrDefault(n, Set.of())) {
            List<String> c = visit(g, d, state, path);
            if (!c.isEmpty()) {
                return c;
            }
        }
        path.remove(path.size() - 1);
        state.put(n, 2);
        return List.of();
    }

    @Test
    void theCycleFinderFindsACycle() {
        Map<String, Set<String>> g = Map.of("a.js", Set.of("b.js"), "b.js", Set.of("c.js"), "c.js", Set.of("a.js"));
        assertThat(findCycle(new TreeMap<>(g))).containsExactly("a.js", "b.js", "c.js", "a.js");
    }

    @Test
    void theWebClientsModulesImportEachOtherWithoutCycles() throws Exception {
        Map<String, Set<String>> g = graph();
        assertThat(g).containsKeys("galene.js", "ui.js", "chat.js", "media.js", "commands.js");
        assertThat(g.get("galene.js")).contains("ui.js", "chat.js", "media.js");
        assertThat(findCycle(g)).as("import cycle in %s", g).isEmpty();
        // the bottom layer imports no view
        for (String bottom : List.of("state.js", "protocol.js", "strings.js", "events.js", "widgets.js")) {
            assertThat(g.get(bottom)).as(bottom).doesNotContain("ui.js", "chat.js", "media.js", "commands.js", "galene.js");
        }
    }
}
