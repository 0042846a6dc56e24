package io.customersessions.api.http;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import jakarta.inject.Singleton;

/**
 * Percent-encodes a literal {@code +}, {@code &} or {@code ;} in a request's path before Micronaut routes it, so a
 * session or profile id reaches the controllers as the client wrote it. RFC 3986 allows the three in a path segment,
 * and clients send them as they are (curl; Go's {@code url.PathEscape}; an e-mail address {@code john+doe@shop.com}
 * as a profile id), but Micronaut's router matches no {@code {id}} that holds one (404 "Page Not Found"), and it
 * decodes path variables as a form would, where a {@code +} is a space (micronaut-core#6974). Encoded, each is
 * matched and decoded back to itself, as {@code %2B}, {@code %26} and {@code %3B} already were. The query is left as
 * it is: there a {@code +} is a space, as forms write it.
 */
@Singleton
@Requires(classes = NettyServerCustomizer.class)
final class LiteralPathDelimiters implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {

    private static final String HANDLER_NAME = "literal-path-delimiters";

    @Override
    public NettyServerCustomizer.Registry onCreated(BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        event.getBean().register(new Customizer(null));
        return event.getBean();
    }

    /** The request target with the delimiters of its path encoded; the same string when it has none. */
    static String encoded(String target) {
        int pathStart = 0;
        if (!target.startsWith("/")) { // absolute form: scheme://authority/path
            int authority = target.indexOf("://");
            pathStart = authority < 0 ? target.length() : target.indexOf('/', authority + 3);
            if (pathStart < 0) {
                return target;
            }
        }
        int query = target.indexOf('?', pathStart);
        int pathEnd = query < 0 ? target.length() : query;
        StringBuilder encoded = null;
        for (int i = pathStart; i < pathEnd; i++) {
            char c = target.charAt(i);
            String escape = switch (c) {
                case '+' -> "%2B";
                case '&' -> "%26";
                case ';' -> "%3B";
                default -> null;
            };
            if (escape != null && encoded == null) {
                encoded = new StringBuilder(target.length() + 8).append(target, 0, i);
            }
            if (encoded != null) {
                encoded.append(escape != null ? escape : String.valueOf(c));
            }
        }
        return encoded == null ? target : encoded.append(target, pathEnd, target.length()).toString();
    }

    private record Customizer(Channel channel) implements NettyServerCustomizer {

        @Override
        public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
            return new Customizer(channel);
        }

        @Override
        public void onStreamPipelineBuilt() {
            if (channel != null && channel.pipeline().get(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC) != null
                    && channel.pipeline().get(HANDLER_NAME) == null) {
                channel.pipeline().addAfter(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC, HANDLER_NAME,
                        EncodingHandler.INSTANCE);
            }
        }
    }

    @ChannelHandler.Sharable
    private static final class EncodingHandler extends ChannelInboundHandlerAdapter {
        static final EncodingHandler INSTANCE = new EncodingHandler();

        @Override
        public void channelRead(ChannelHandlerContext context, Object message) {
            if (message instanceof HttpRequest request) {
                String target = request.uri();
                String encoded = encoded(target);
                if (!encoded.equals(target)) {
                    request.setUri(encoded);
                }
            }
            context.fireChannelRead(message);
        }
    }
}
