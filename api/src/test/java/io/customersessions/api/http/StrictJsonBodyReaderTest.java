package io.customersessions.api.http;

import io.customersessions.api.model.IntegrationRequestV2;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.io.buffer.ByteArrayBufferFactory;
import io.micronaut.core.type.Argument;
import io.micronaut.http.MediaType;
import io.micronaut.http.codec.CodecException;
import io.micronaut.http.simple.SimpleHttpHeaders;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.JsonSyntaxException;
import io.micronaut.serde.exceptions.SerdeException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The strict reader changes nothing for a body Micronaut reads correctly (same values, every decimal digit and scale
 * included), and refuses exactly the two things it is for: content after the body's JSON value, and a number field
 * given as text, {@code true}/{@code false} or a one-element array.
 */
class StrictJsonBodyReaderTest {

    private static final Argument<IntegrationRequestV2> TYPE = Argument.of(IntegrationRequestV2.class);
    private static final ApplicationContext CONTEXT = ApplicationContext.run();
    private static final JsonMapper MICRONAUT = CONTEXT.getBean(JsonMapper.class);
    @SuppressWarnings("unchecked")
    private static final StrictJsonBodyReader<IntegrationRequestV2> STRICT =
            CONTEXT.getBean(StrictJsonBodyReader.class);

    @AfterContainer
    static void close() {
        CONTEXT.close();
    }

    @Property(tries = 300)
    void a_body_micronaut_reads_is_read_to_the_same_values(@ForAll("bodies") String body,
                                                            @ForAll("whitespace") String after) throws IOException {
        // when
        IntegrationRequestV2 strict = read(body + after);

        // then
        assertThat(strict).isEqualTo(MICRONAUT.readValue(body.getBytes(StandardCharsets.UTF_8), TYPE));
    }

    @Property(tries = 200)
    void anything_but_whitespace_after_the_body_is_refused_as_invalid_json(
            @ForAll("bodies") String body, @ForAll("whitespace") String space,
            @ForAll("afterTheValue") String extra) {
        // when
        CodecException error = catchThrowableOfType(CodecException.class, () -> read(body + space + extra));

        // then
        assertThat(error).as("refused: %s", extra).isNotNull();
        assertThat(error.getCause()).isInstanceOf(JsonSyntaxException.class);
    }

    @Property(tries = 200)
    void a_number_field_given_as_anything_but_a_number_is_refused(
            @ForAll @From("numberFields") String field, @ForAll("notNumbers") String value) {
        // given
        String body = "{\"customerSession\": " + field.replace("$", value) + "}";

        // when
        CodecException error = catchThrowableOfType(CodecException.class, () -> read(body));

        // then
        assertThat(error).as("refused: %s", body).isNotNull();
        assertThat(error.getCause()).isInstanceOf(SerdeException.class);
    }

    private static IntegrationRequestV2 read(String body) {
        return STRICT.read(TYPE, MediaType.APPLICATION_JSON_TYPE, new SimpleHttpHeaders(),
                ByteArrayBufferFactory.INSTANCE.wrap(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<String> item = Combinators.combine(texts(), numbers(), numbers(), numbers().injectNull(0.3),
                        Arbitraries.of("", ", \"attributes\": {\"color\": \"red\", \"size\": 42.50}",
                                ", \"unknownField\": [1, \"x\", {\"y\": null}]", ", \"additionalCosts\": null"))
                .as((sku, quantity, price, weight, more) -> "{\"sku\": " + sku + ", \"quantity\": " + quantity
                        + ", \"price\": " + price + ", \"weight\": " + weight + more + "}");
        Arbitrary<String> session = Combinators.combine(texts().injectNull(0.3),
                        item.list().ofMaxSize(4).map(StrictJsonBodyReaderTest::array),
                        numbers().list().ofMaxSize(3).map(StrictJsonBodyReaderTest::array),
                        texts().list().ofMaxSize(3).map(StrictJsonBodyReaderTest::array), numbers())
                .as((profile, items, campaigns, coupons, shipping) -> "{\"profileId\": " + profile
                        + ", \"cartItems\": " + items + ", \"evaluableCampaignIds\": " + campaigns
                        + ", \"couponCodes\": " + coupons + ", \"additionalCosts\": {\"shipping\": {\"price\": "
                        + shipping + "}}, \"attributes\": {\"n\": " + shipping + "}}");
        return Combinators.combine(session, Arbitraries.of("", ", \"responseContent\": [\"customerSession\"]"))
                .as((customerSession, more) -> "{\"customerSession\": " + customerSession + more + "}");
    }

    @Provide
    Arbitrary<String> whitespace() {
        return Arbitraries.strings().withChars(' ', '\t', '\r', '\n').ofMaxLength(4);
    }

    @Provide
    Arbitrary<String> afterTheValue() {
        return Arbitraries.of("x", "{}", "]", "}", "1", ",", "{\"customerSession\": {}}", "null", "\"s\"", "//");
    }

    @Provide
    Arbitrary<String> numberFields() {
        return Arbitraries.of("{\"cartItems\": [{\"sku\": \"a\", \"quantity\": $, \"price\": 1}]}",
                "{\"cartItems\": [{\"sku\": \"a\", \"quantity\": 1, \"price\": $}]}",
                "{\"cartItems\": [{\"sku\": \"a\", \"quantity\": 1, \"price\": 1, \"height\": $}]}",
                "{\"evaluableCampaignIds\": [1, $]}",
                "{\"additionalCosts\": {\"shipping\": {\"price\": $}}}");
    }

    @Provide
    Arbitrary<String> notNumbers() {
        return Arbitraries.oneOf(numbers().map(n -> "\"" + n + "\""), numbers().map(n -> "[" + n + "]"),
                Arbitraries.of("true", "false", "\"\"", "\"abc\""));
    }

    /** Decimals as a client writes them: plain, with trailing zeros, or in exponent form. */
    private static Arbitrary<String> numbers() {
        Arbitrary<BigDecimal> values = Arbitraries.bigDecimals().between(new BigDecimal("-1000000"),
                new BigDecimal("1000000")).ofScale(6).map(BigDecimal::stripTrailingZeros);
        return Arbitraries.oneOf(values.map(BigDecimal::toPlainString), values.map(BigDecimal::toString),
                values.map(v -> v.setScale(Math.max(v.scale(), 0) + 2).toPlainString()),
                Arbitraries.of("0", "-0", "1e2", "12.50", "0.1", "123456789012345678901234567890.123456789"));
    }

    private static Arbitrary<String> texts() {
        return Arbitraries.strings().alpha().numeric().withChars('é', ' ', '"', '\\').ofMaxLength(8)
                .map(StrictJsonBodyReaderTest::quoted);
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String array(List<String> elements) {
        return "[" + String.join(", ", elements) + "]";
    }
}
