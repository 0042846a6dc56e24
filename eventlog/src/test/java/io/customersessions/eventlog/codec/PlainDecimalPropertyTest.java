package io.customersessions.eventlog.codec;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The codec's hand-written check of decimal text accepts exactly what its documented pattern does. */
class PlainDecimalPropertyTest {

    private static final Pattern PLAIN_DECIMAL = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

    @Property(tries = 5000)
    void accepts_exactly_the_plain_decimal_pattern(@ForAll("decimalLike") String text) {
        assertThat(AvroCodec.isPlainDecimal(text)).isEqualTo(PLAIN_DECIMAL.matcher(text).matches());
    }

    @Example
    void accepts_plain_text_and_rejects_everything_else() {
        assertThat(AvroCodec.isPlainDecimal("12.50")).isTrue();
        assertThat(AvroCodec.isPlainDecimal("-0.1")).isTrue();
        assertThat(AvroCodec.isPlainDecimal("7")).isTrue();
        assertThat(AvroCodec.isPlainDecimal("1e3")).isFalse();
        assertThat(AvroCodec.isPlainDecimal("1.")).isFalse();
        assertThat(AvroCodec.isPlainDecimal(".5")).isFalse();
        assertThat(AvroCodec.isPlainDecimal("-")).isFalse();
        assertThat(AvroCodec.isPlainDecimal("")).isFalse();
        assertThat(AvroCodec.isPlainDecimal("+1")).isFalse();
        assertThat(AvroCodec.isPlainDecimal("1.2.3")).isFalse();
        assertThat(AvroCodec.isPlainDecimal("١٢")).isFalse(); // Arabic-Indic digits are digits to Character, not here
    }

    /** Mostly near-misses: strings over the characters that matter, plus some other ones. */
    @Provide
    Arbitrary<String> decimalLike() {
        return Arbitraries.strings().withChars("0123456789-.+e ").ofMinLength(0).ofMaxLength(8)
                .injectDuplicates(0.05)
                .edgeCases(edges -> edges.add("-"));
    }
}
