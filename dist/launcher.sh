#!/bin/sh
# Parley launcher of the self-contained release: runs the server on the Java runtime shipped
# beside it (no installed Java needed). Like Galène, it works in the current directory:
# ./groups, ./data and ./recordings unless -groups, -data, -recordings say otherwise.
#   PARLEY_JAVA_OPTS   options for the JVM, e.g. -Xmx1g
set -eu
here=$(dirname "$(readlink -f "$0")")
home=$(dirname "$here")
exec "$home/runtime/bin/java" --enable-native-access=ALL-UNNAMED ${PARLEY_JAVA_OPTS:-} \
    -jar "$home/lib/parley-server.jar" "$@"
