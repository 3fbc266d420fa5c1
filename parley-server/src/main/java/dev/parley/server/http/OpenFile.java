package dev.parley.server.http;

import io.netty.channel.DefaultFileRegion;
import io.netty.channel.FileRegion;
import io.netty.handler.stream.ChunkedInput;
import io.netty.handler.stream.ChunkedNioFile;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.ReferenceCounted;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file opened (off the event loop) for one response, closed when the last piece of the body
 * that reads it has been written or discarded. Several pieces share it when a response sends
 * several ranges of one file.
 */
final class OpenFile extends AbstractReferenceCounted {
    private static final Logger log = LoggerFactory.getLogger(OpenFile.class);
    /** Under TLS the file is read into buffers of this size, one at a time, as the socket drains. */
    private static final int TLS_CHUNK = 16 * 1024;

    private final FileChannel channel;
    private final boolean onDisk;

    /**
     * Opens {@code path} for reading. Only a file of the operating system's own file system has
     * a descriptor that sendfile can use; the built-in web client is read from inside the jar.
     */
    static OpenFile open(Path path) throws IOException {
        return new OpenFile(FileChannel.open(path, StandardOpenOption.READ),
                path.getFileSystem() == FileSystems.getDefault());
    }

    private OpenFile(FileChannel channel, boolean onDisk) {
        this.channel = channel;
        this.onDisk = onDisk;
    }

    /** Whether {@link #region} (zero-copy) can send it; otherwise only {@link #chunks} can. */
    boolean zeroCopy() {
        return onDisk;
    }

    /** Zero-copy ({@code sendfile}) piece for a plain socket; it holds a reference to this file. */
    FileRegion region(long offset, long length) {
        retain();
        return new DefaultFileRegion(channel, offset, length) {
            @Override
            protected void deallocate() {
                OpenFile.this.release();            // the channel is shared: never close it here
            }
        };
    }

    /** Piece read chunk by chunk, for TLS where bytes must pass through the encryption; holds a reference. */
    ChunkedInput<io.netty.buffer.ByteBuf> chunks(long offset, long length) throws IOException {
        retain();
        return new ChunkedNioFile(channel, offset, length, TLS_CHUNK) {
            private boolean closed;

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    OpenFile.this.release();
                }
            }
        };
    }

    @Override
    protected void deallocate() {
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("closing a served file: {}", e.toString());
        }
    }

    @Override
    public ReferenceCounted touch(Object hint) {
        return this;
    }
}
