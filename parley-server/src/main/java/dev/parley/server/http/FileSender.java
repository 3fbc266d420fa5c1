package dev.parley.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;

import java.io.IOException;

/**
 * Writes a {@link FileResponse}: on a plain socket each file region is a zero-copy
 * {@code FileRegion} (sendfile); under TLS, and for a file inside the jar, it is read in small
 * chunks as the socket drains
 * ({@code ChunkedWriteHandler}). Either way the heap holds at most a chunk per connection.
 * Reading a chunk or a sendfile step is the only file I/O on the event loop: it is bounded by
 * the socket's buffer (or one chunk), as in any sendfile server; opening and stat-ing the file
 * happened before, off the loop.
 */
final class FileSender {
    private FileSender() {
    }

    /** Runs on the event loop; returns the future of the response's last write. */
    static ChannelFuture write(ChannelHandlerContext ctx, FileResponse r) {
        OpenFile file = r.file();
        try {
            if (!ctx.channel().isActive()) {
                return ctx.newFailedFuture(new IOException("connection closed before the response"));
            }
            ctx.write(r);
            if (file != null) {
                boolean tls = ctx.pipeline().get(SslHandler.class) != null;
                for (FileResponse.Piece piece : r.body()) {
                    switch (piece) {
                        case FileResponse.Bytes b -> ctx.write(Unpooled.wrappedBuffer(b.bytes()));
                        case FileResponse.Region region -> ctx.write(tls || !file.zeroCopy()
                                ? file.chunks(region.offset(), region.length())
                                : file.region(region.offset(), region.length()));
                    }
                }
            }
            ChannelPromise done = ctx.newPromise();
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT, done);
            return done;
        } catch (IOException e) {
            ctx.close();
            return ctx.newFailedFuture(e);
        } finally {
            if (file != null) {
                file.release();                     // the pieces hold their own references
            }
        }
    }
}
