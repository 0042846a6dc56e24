package io.customersessions.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Keys are configured by their SHA-256 (lower- or upper-case hex), never in clear: whoever reads the configuration
 * cannot call the API. A presented key is hashed and compared with {@link MessageDigest#isEqual}, whose time does not
 * depend on where two digests differ.
 */
public final class KeyHashes {

    private static final int SHA256_HEX_LENGTH = 64;

    private KeyHashes() {
    }

    /** What to put in the configuration for {@code key}, e.g. {@code printf %s "$KEY" | sha256sum}. */
    public static String sha256Hex(String key) {
        return HexFormat.of().formatHex(sha256(key));
    }

    static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** @throws IllegalArgumentException unless {@code hex} is 64 hex digits; {@code what} names the setting */
    static byte[] parseSha256Hex(String hex, String what) {
        if (hex == null || hex.length() != SHA256_HEX_LENGTH) {
            throw new IllegalArgumentException(what + ".sha256 must be the 64 hex digits of the key's SHA-256, got "
                    + (hex == null ? "nothing" : hex.length() + " characters"));
        }
        try {
            return HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ".sha256 must be hex digits only", e);
        }
    }
}
