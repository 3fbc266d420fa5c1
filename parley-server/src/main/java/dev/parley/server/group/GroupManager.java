package dev.parley.server.group;

import dev.parley.server.auth.InvalidDescriptionException;
import dev.parley.server.util.BlockingIo;
import dev.parley.server.util.FileStamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The groups in memory, loaded lazily from {@code <groups dir>/NAME.json} (G2) and re-read
 * when their file changes (G4).
 */
public final class GroupManager {
    private static final Logger log = LoggerFactory.getLogger(GroupManager.class);

    private final Path groupsDir;
    private final Clock clock;
    private final ConcurrentHashMap<String, Group> groups = new ConcurrentHashMap<>();

    public GroupManager(Path groupsDir, Clock clock) {
        this.groupsDir = groupsDir;
        this.clock = clock;
    }

    public Path groupsDir() {
        return groupsDir;
    }

    /**
     * Returns the group, loading it or refreshing its description as needed (G4, H23).
     * Autolock and autokick are evaluated on each access (G16).
     *
     * <p>The disk is read with no lock held, so a slow disk or a large file delays only the
     * callers of that one group. The result is then published under the manager's lock only
     * if the group is still as it was when the read began; otherwise someone else published
     * meanwhile and the check starts again from what they published.
     */
    public Group get(String name) throws GroupException {
        if (!GroupNames.isValid(name)) {
            throw new GroupException(GroupException.Reason.ILLEGAL_NAME, "illegal group name");
        }
        while (true) {
            Group seen = groups.get(name);
            LoadedDescription seenLoaded = seen == null ? null : seen.loaded();
            LoadedDescription fresh = null;
            GroupException failure = null;
            try {
                fresh = BlockingIo.call(() -> seenLoaded != null && upToDate(seenLoaded, name) ? seenLoaded : load(name),
                        GroupException.class);      // the disk, with no lock held, never on a carrier thread
            } catch (GroupException e) {
                failure = e;
            }
            synchronized (this) {
                Group g = groups.get(name);
                if (g != seen || g != null && g.loaded() != seenLoaded) {
                    continue;                       // changed while we read: check again
                }
                if (failure != null) {
                    if (g != null && failure.reason() == GroupException.Reason.DOES_NOT_EXIST && g.clientCount() == 0) {
                        groups.remove(name);
                    }
                    throw failure;
                }
                if (g == null) {
                    g = new Group(name, fresh, clock);
                    groups.put(name, g);
                } else if (fresh != g.loaded()) {
                    g.reload(fresh);
                    return g;
                }
                g.evaluateAutoRules();
                return g;
            }
        }
    }

    /** The group if it is in memory, without touching the disk. */
    public Group getLoaded(String name) {
        return groups.get(name);
    }

    public List<Group> loadedGroups() {
        return new ArrayList<>(groups.values());
    }

    /** In-memory public groups sorted by name (H30). */
    public List<Group> publicGroups() {
        return groups.values().stream()
                .filter(g -> g.description().isPublic())
                .sorted(Comparator.comparing(Group::name))
                .toList();
    }

    private boolean upToDate(LoadedDescription current, String name) {
        Path own = fileFor(name);
        if (current.automatic() && Files.exists(own)) {
            return false;
        }
        return FileStamp.of(current.file()).equals(current.stamp());
    }

    private Path fileFor(String name) {
        try {
            return groupsDir.resolve(name + ".json");
        } catch (InvalidPathException e) {
            return groupsDir.resolve(".invalid");
        }
    }

    private LoadedDescription load(String name) throws GroupException {
        Path own = fileFor(name);
        FileStamp stamp = FileStamp.of(own);
        if (stamp.exists()) {
            return new LoadedDescription(read(own), own, stamp, false);
        }
        // G8: the nearest existing ancestor decides.
        String ancestor = name;
        int slash;
        while ((slash = ancestor.lastIndexOf('/')) > 0) {
            ancestor = ancestor.substring(0, slash);
            Path file = fileFor(ancestor);
            FileStamp s = FileStamp.of(file);
            if (s.exists()) {
                GroupDescription parent = read(file);
                if (!parent.autoSubgroups()) {
                    break;
                }
                return new LoadedDescription(parent.forSubgroup(), file, s, true);
            }
        }
        throw new GroupException(GroupException.Reason.DOES_NOT_EXIST, "group does not exist");
    }

    private static GroupDescription read(Path file) throws GroupException {
        try {
            return GroupDescriptionParser.parse(Files.readString(file));
        } catch (IOException | InvalidDescriptionException e) {
            log.warn("{}: {}", file, e.getMessage());
            throw new GroupException(GroupException.Reason.INVALID_DESCRIPTION, e.getMessage());
        }
    }

    /** Names of every description file, recursively, skipping dot-names (H49, L5). */
    public List<String> groupFileNames() {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(groupsDir)) {
            return names;
        }
        try {
            Files.walkFileTree(groupsDir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return !dir.equals(groupsDir) && dir.getFileName().toString().startsWith(".")
                            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String f = file.getFileName().toString();
                    if (!f.startsWith(".") && f.endsWith(".json") && attrs.isRegularFile()) {
                        String rel = groupsDir.relativize(file).toString().replace('\\', '/');
                        names.add(rel.substring(0, rel.length() - ".json".length()));
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            log.warn("scanning {}: {}", groupsDir, e.getMessage());
        }
        names.sort(null);
        return names;
    }

    /**
     * The periodic task of L5: load every group file (so public groups are listed, H32),
     * and drop idle non-public groups (G17).
     */
    public void scan() {
        for (String name : groupFileNames()) {
            try {
                get(name);
            } catch (GroupException e) {
                log.debug("group {}: {}", name, e.getMessage());
            }
        }
        for (Group g : loadedGroups()) {
            if (!g.description().isPublic()
                    && g.isIdleSince(clock.instant().minusSeconds(g.description().historyAgeSeconds()))) {
                groups.remove(g.name(), g);
            }
        }
    }
}
