package io.customersessions.api.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.micronaut.core.annotation.Order;
import io.micronaut.core.io.buffer.ByteBuffer;
import io.micronaut.core.io.buffer.ReferenceCounted;
import io.micronaut.core.type.Argument;
import io.micronaut.core.type.Headers;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.body.MessageBodyReader;
import io.micronaut.http.codec.CodecException;
import io.micronaut.json.JsonSyntaxException;
import io.micronaut.json.body.JsonMessageHandler;
import io.micronaut.serde.Decoder;
import io.micronaut.serde.DelegatingDecoder;
import io.micronaut.serde.Deserializer;
import io.micronaut.serde.LimitingStream;
import io.micronaut.serde.SerdeRegistry;
import io.micronaut.serde.config.SerdeConfiguration;
import io.micronaut.serde.jackson.JacksonDecoder;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;

/**
 * Reads the API's request bodies ({@link StrictJsonBody}) as Micronaut's JSON reader does, with two checks it does
 * not make, each a 400 like any other malformed body:
 * <ul>
 *   <li>the body is one JSON value and nothing else: {@code {"customerSession": {…}} {"x": 1}} or {@code {…}]} is
 *       refused, where Micronaut reads up to the end of the first value and ignores the rest;</li>
 *   <li>a number field takes a JSON number or null: Micronaut serde reads {@code "2"} and {@code [2]} as 2 and
 *       {@code true} as 1, which would store a client's mistake as a price or a quantity.</li>
 * </ul>
 * Everything else (the deserializers, {@link StrictStrings} included, the depth limit, the exceptions and so the
 * error answers) is Micronaut serde's own, and so are Jackson's default limits on the parser (the services configure
 * none). Its order puts it before Micronaut's JSON reader for these types.
 */
@Singleton
@Order(JsonMessageHandler.ORDER - 10)
@Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_JSON})
public final class StrictJsonBodyReader<T> implements MessageBodyReader<T> {

    private final JsonFactory factory = new JsonFactory();
    private final Deserializer.DecoderContext context;
    private final LimitingStream.RemainingLimits limits;

    public StrictJsonBodyReader(SerdeRegistry registry, SerdeConfiguration configuration) {
        this.context = registry.newDecoderContext(null);
        this.limits = LimitingStream.limitsFromConfiguration(configuration);
    }

    @Override
    public boolean isReadable(Argument<T> type, MediaType mediaType) {
        return StrictJsonBody.class.isAssignableFrom(type.getType()) && mediaType != null
                && MediaType.EXTENSION_JSON.equals(mediaType.getExtension());
    }

    @Override
    public T read(Argument<T> type, MediaType mediaType, Headers headers, ByteBuffer<?> body) throws CodecException {
        T value;
        try {
            value = read(type, factory.createParser(body.toByteArray()));
        } catch (IOException e) {
            throw failed(type, e);
        }
        // as Micronaut's own reader: released when read, and by the caller when reading failed
        if (body instanceof ReferenceCounted counted) {
            counted.release();
        }
        return value;
    }

    @Override
    public T read(Argument<T> type, MediaType mediaType, Headers headers, InputStream body) throws CodecException {
        try {
            return read(type, factory.createParser(body));
        } catch (IOException e) {
            throw failed(type, e);
        }
    }

    private T read(Argument<T> type, JsonParser parser) throws IOException {
        try (parser) {
            Deserializer<? extends T> deserializer = context.findDeserializer(type).createSpecific(context, type);
            T value = deserializer.deserializeNullable(
                    new NumbersOnlyDecoder(JacksonDecoder.create(parser, limits), parser), context, type);
            if (parser.nextToken() != null) {
                throw new JsonParseException(parser, "Unexpected content after the body's JSON value");
            }
            return value;
        } catch (JsonParseException e) {
            throw new JsonSyntaxException(e);
        }
    }

    /** As Micronaut's own JSON reader reports a body it cannot read, so the same handlers answer it. */
    private static CodecException failed(Argument<?> type, IOException e) {
        return new CodecException("Error decoding JSON stream for type [" + type.getName() + "]: " + e.getMessage(),
                e);
    }

    /**
     * Micronaut serde's decoder of one parser (it decodes objects and arrays with itself), with a number read only
     * from a number token: after the decoder has read a value, the parser's current token is the one it read.
     */
    private static final class NumbersOnlyDecoder extends DelegatingDecoder {

        private final Decoder delegate;
        private final JsonParser parser;

        NumbersOnlyDecoder(Decoder delegate, JsonParser parser) {
            this.delegate = delegate;
            this.parser = parser;
        }

        @Override
        protected Decoder delegate() {
            return delegate;
        }

        @Override
        public IOException createDeserializationException(String message, Object invalidValue) {
            return delegate.createDeserializationException(message, invalidValue);
        }

        @Override
        public Decoder decodeArray(Argument<?> type) throws IOException {
            return same(delegate.decodeArray(type));
        }

        @Override
        public Decoder decodeArray() throws IOException {
            return same(delegate.decodeArray());
        }

        @Override
        public Decoder decodeObject(Argument<?> type) throws IOException {
            return same(delegate.decodeObject(type));
        }

        @Override
        public Decoder decodeObject() throws IOException {
            return same(delegate.decodeObject());
        }

        @Override
        public BigDecimal decodeBigDecimal() throws IOException {
            return number(delegate.decodeBigDecimal());
        }

        @Override
        public BigDecimal decodeBigDecimalNullable() throws IOException {
            return number(delegate.decodeBigDecimalNullable());
        }

        private Decoder same(Decoder child) {
            return child == delegate ? this : new NumbersOnlyDecoder(child, parser);
        }

        private <T> T number(T value) throws IOException {
            JsonToken read = parser.currentToken();
            if (read == JsonToken.VALUE_NUMBER_INT || read == JsonToken.VALUE_NUMBER_FLOAT
                    || read == JsonToken.VALUE_NULL) {
                return value;
            }
            throw createDeserializationException("expected a number, not " + kind(read), null);
        }

        private static String kind(JsonToken read) {
            if (read == JsonToken.VALUE_STRING) {
                return "a string";
            }
            if (read == JsonToken.VALUE_TRUE || read == JsonToken.VALUE_FALSE) {
                return "true or false";
            }
            return "an array";
        }
    }
}
