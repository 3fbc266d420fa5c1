package dev.parley.rtc.turn;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Splits a TURN TCP stream into STUN messages and ChannelData frames, passing each frame on as a
 * {@link ByteBuf} (RFC 8656 §12.5: ChannelData is padded to 4 bytes on stream transports). Anything
 * else ends the connection: the stream has lost its framing and cannot recover.
 */
final class TcpFramer extends ChannelInboundHandlerAdapter {
    private ByteBuf pending;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        if (pending == null) {
            pending = ctx.alloc().buffer(Math.max(256, in.readableBytes()));
        }
        pending.writeBytes(in);
        in.release();
        while (pending.readableBytes() >= 4) {
            int ri = pending.readerIndex();
            int first = pending.getUnsignedByte(ri);
            int length = pending.getUnsignedShort(ri + 2);
            int total;
            if ((first & 0xC0) == 0) {
                total = 20 + length;
            } else if ((first & 0xC0) == 0x40) {
                total = 4 + ((length + 3) & ~3);
            } else {
                ctx.close();
                return;
            }
            if (pending.readableBytes() < total) break;
            // a copy, not a slice: discardSomeReadBytes below moves the bytes under any slice still queued
            ByteBuf frame = ctx.alloc().buffer(total);
            pending.readBytes(frame, total);
            ctx.fireChannelRead(frame);
            if (!ctx.channel().isActive()) return;
        }
        pending.discardSomeReadBytes();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        handlerRemoved(ctx);
        ctx.fireChannelInactive();
    }
}
