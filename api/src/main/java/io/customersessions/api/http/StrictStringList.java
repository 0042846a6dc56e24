package io.customersessions.api.http;

import io.micronaut.core.type.Argument;
import io.micronaut.serde.Decoder;
import io.micronaut.serde.Deserializer;
import io.micronaut.serde.exceptions.SerdeException;
import io.micronaut.serde.exceptions.path.ReferencePath;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A request's list of texts (coupon codes, identifiers, {@code responseContent}…) whose elements are read by
 * {@link StrictStrings}. Micronaut serde reads a {@code List<String>} with a shortcut of its own that would take
 * {@code [5, true, ["a"]]} as {@code ["5", "true", "a"]}; this keeps each element to a string or null, and a
 * wrong element's pointer names it ({@code /customerSession/couponCodes/1}). As a bean it takes the place of that
 * shortcut for every {@code List<String>} serde decodes; lists of other types are not affected.
 */
@Singleton
public final class StrictStringList implements Deserializer<List<String>> {

    private static final StrictStrings ELEMENTS = new StrictStrings();

    @Override
    public List<String> deserialize(Decoder decoder, DecoderContext context, Argument<? super List<String>> type)
            throws IOException {
        List<String> values = new ArrayList<>();
        Decoder array = decoder.decodeArray();
        while (array.hasNextArrayValue()) {
            try {
                values.add(ELEMENTS.deserializeNullable(array, context, Argument.STRING));
            } catch (SerdeException e) {
                e.getPath().add(ReferencePath.ofCollection(List.class, type, values.size()));
                throw e;
            }
        }
        array.finishStructure();
        return values;
    }

    @Override
    public List<String> deserializeNullable(Decoder decoder, DecoderContext context,
                                            Argument<? super List<String>> type) throws IOException {
        return decoder.decodeNull() ? null : deserialize(decoder, context, type);
    }
}
