package dev.parley.server.group;

import dev.parley.server.util.FileStamp;

import java.nio.file.Path;

/**
 * A description together with the file it came from and that file's stamp, so that a
 * later access can tell whether it must be re-read (G4). For an automatic subgroup the
 * file is the nearest ancestor's (G8).
 */
record LoadedDescription(GroupDescription description, Path file, FileStamp stamp, boolean automatic) {
}
