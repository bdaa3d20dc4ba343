package io.dispensary.orders.loadtest;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A lean HTTP/1.1 client for the open-model generator: one event-loop thread, kept-alive connections reused
 * one request at a time, and a new connection whenever none is idle, so a slow service never delays when a
 * request is sent. The generator shares the 2 cores with the service and PostgreSQL, as pgbench's client does
 * with PostgreSQL; at 300 creates/s for 60 s the JDK's HttpClient used 35% of a core (1.2 ms per request),
 * this client 14%.
 */
final class NettyHttp {

    /** What a request came to: a status and body, or the error that left it without an answer. */
    interface Callback {
        void done(int status, String body, boolean replayed, Throwable error);
    }

    private static final AttributeKey<Exchange> EXCHANGE = AttributeKey.valueOf("exchange");

    /** Daemon threads: the generator ends with its main thread, whatever is still in flight. */
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
            new DefaultThreadFactory("openload-http", true), NioIoHandler.newFactory());
    private final Bootstrap bootstrap;
    private final Duration timeout;
    private final Map<String, Target> targets = new ConcurrentHashMap<>();

    /** One base URL: where to connect, its Host header, and its kept-alive connections now idle. */
    private record Target(String host, int port, String hostHeader, Queue<Channel> idle) {

        static Target of(String baseUrl) {
            URI uri = URI.create(baseUrl);
            return new Target(uri.getHost(), uri.getPort(), uri.getHost() + ":" + uri.getPort(),
                    new ConcurrentLinkedQueue<>());
        }
    }

    private record Exchange(Target target, Callback callback, ScheduledFuture<?> timer) {
    }

    NettyHttp(Duration timeout) {
        warmUp();
        this.timeout = timeout;
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline()
                                .addLast(new HttpClientCodec())
                                .addLast(new HttpObjectAggregator(1 << 20))
                                .addLast(new Handler());
                    }
                });
    }

    /** POSTs {@code body} to {@code target + path}; the callback runs on the event loop, once. */
    void post(String baseUrl, String path, Map<String, String> headers, String body, Callback callback) {
        send(HttpMethod.POST, baseUrl, path, headers, body, callback);
    }

    /** GETs {@code target + path}; the callback runs on the event loop, once. */
    void get(String baseUrl, String path, Map<String, String> headers, Callback callback) {
        send(HttpMethod.GET, baseUrl, path, headers, "", callback);
    }

    private void send(HttpMethod method, String baseUrl, String path, Map<String, String> headers, String body,
            Callback callback) {
        Target target = targets.computeIfAbsent(baseUrl, Target::of);
        Channel channel;
        while ((channel = target.idle().poll()) != null) {
            if (channel.isActive()) {
                write(channel, method, target, path, headers, body, callback);
                return;
            }
        }
        bootstrap.connect(target.host(), target.port()).addListener(future -> {
            if (!future.isSuccess()) {
                callback.done(-1, null, false, future.cause());
                return;
            }
            write(((io.netty.channel.ChannelFuture) future).channel(), method, target, path, headers, body,
                    callback);
        });
    }

    private void write(Channel channel, HttpMethod method, Target target, String path, Map<String, String> headers,
            String body, Callback callback) {
        ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, path, content);
        request.headers().set(HttpHeaderNames.HOST, target.hostHeader());
        request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        request.headers().set(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        headers.forEach(request.headers()::set);
        ScheduledFuture<?> timer = channel.eventLoop().schedule(() -> {
            Exchange open = channel.attr(EXCHANGE).getAndSet(null);
            if (open != null) {
                channel.close();
                open.callback().done(-1, null, false, new TimeoutException("no answer within " + timeout));
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        channel.attr(EXCHANGE).set(new Exchange(target, callback, timer));
        channel.writeAndFlush(request).addListener(future -> {
            if (!future.isSuccess()) {
                fail(channel, future.cause());
            }
        });
    }

    private static void fail(Channel channel, Throwable cause) {
        Exchange open = channel.attr(EXCHANGE).getAndSet(null);
        channel.close();
        if (open != null) {
            open.timer().cancel(false);
            open.callback().done(-1, null, false, cause);
        }
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpResponse> {

        @Override
        protected void channelRead0(ChannelHandlerContext context, FullHttpResponse response) {
            Channel channel = context.channel();
            Exchange exchange = channel.attr(EXCHANGE).getAndSet(null);
            if (exchange == null) {
                return;
            }
            exchange.timer().cancel(false);
            // Back to the pool before the callback, unless the server said it closes the connection.
            if (HttpUtil.isKeepAlive(response)) {
                exchange.target().idle().add(channel);
            } else {
                channel.close();
            }
            exchange.callback().done(response.status().code(), response.content().toString(StandardCharsets.UTF_8),
                    response.headers().contains("Idempotent-Replayed"), null);
        }

        @Override
        public void channelInactive(ChannelHandlerContext context) {
            fail(context.channel(), new IOException("connection closed before the answer"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
            fail(context.channel(), cause);
        }
    }

    /**
     * Runs the HTTP codec through a few thousand exchanges in memory. Netty's classes are not in the JDK's shared
     * archive: cold, the one event loop took a second to answer the first requests, which then counted as the
     * service's latency.
     */
    private static void warmUp() {
        byte[] answer = "HTTP/1.1 201 Created\r\ncontent-length: 2\r\nIdempotent-Replayed: true\r\n\r\n{}"
                .getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 5_000; i++) {
            EmbeddedChannel channel = new EmbeddedChannel(new HttpClientCodec(), new HttpObjectAggregator(1 << 20));
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/orders",
                    Unpooled.copiedBuffer("{}", StandardCharsets.UTF_8));
            request.headers().set(HttpHeaderNames.CONTENT_LENGTH, 2).set("Idempotency-Key", "k" + i);
            channel.writeOutbound(request);
            ReferenceCountUtil.release(channel.readOutbound());
            channel.writeInbound(Unpooled.wrappedBuffer(answer));
            FullHttpResponse response = channel.readInbound();
            HttpUtil.isKeepAlive(response);
            response.content().toString(StandardCharsets.UTF_8);
            response.release();
            channel.finishAndReleaseAll();
        }
    }
}
