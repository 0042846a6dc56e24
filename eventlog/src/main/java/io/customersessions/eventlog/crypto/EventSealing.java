package io.customersessions.eventlog.crypto;

import io.customersessions.avro.SessionDataKey;
import io.customersessions.domain.PersonalData;
import io.customersessions.domain.SessionEvent;
import io.customersessions.eventlog.codec.AvroCodec;
import org.apache.kafka.common.errors.SerializationException;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Crypto-shredding of the event log: what is sealed, and how. An event that holds personal data ({@link
 * PersonalData#redact} changes it) goes to the log with its payload redacted in clear and, in {@code sealed}, the
 * Confluent wire bytes of the original event (both sealed fields null) encrypted with AES-256-GCM under its session's
 * data key:
 * <ul>
 *   <li>nonce: 12 random bytes ({@link SecureRandom}) per sealing, written before the ciphertext. A nonce derived
 *       from the event id would repeat when a transaction aborts after its key existed and the retry seals the
 *       event decided again, possibly different, under the same key: the aborted copy stays in the log's segments,
 *       and two GCM ciphertexts under one key and nonce give away the XOR of their plaintexts. The sealed bytes are
 *       therefore not deterministic; the fold never reads them, only the unsealed event.</li>
 *   <li>associated data: UTF-8 of {@code <sessionKey>|<eventId>}, so a sealed payload cannot be moved to another
 *       event or session unnoticed.</li>
 *   <li>a 128-bit tag: a wrong key or altered bytes fail authentication, which is an error (corruption or
 *       tampering), never taken for an erased key.</li>
 * </ul>
 * A reader without the key sees exactly the redacted event, whose accounting fields (ids, state, items' sku, price
 * and quantities, costs, discounts, times) are all in clear. JDK {@code javax.crypto} only.
 */
public final class EventSealing {

    /** The one algorithm of {@link SessionDataKey#getAlgorithm()}. */
    public static final String ALGORITHM = "AES-256-GCM";
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    static final int KEY_BYTES = 32;
    static final String KEY_ALGORITHM = "AES";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom NONCES = new SecureRandom();
    /**
     * One cipher per thread, initialised afresh for every sealing or opening ({@code Cipher.getInstance} is a
     * provider lookup that cost about 5 % of the processor's stream thread). Re-initialising with a new nonce is
     * what GCM requires; a cipher is never shared between threads.
     */
    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance(TRANSFORMATION);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(TRANSFORMATION + " is not available in this JVM", e);
        }
    });

    private EventSealing() {
    }

    /** Whether {@code event} goes to the log sealed: it holds personal data. */
    public static boolean holdsPersonalData(SessionEvent event) {
        return !PersonalData.redact(event).equals(event);
    }

    /** A fresh key with the given id (the id of the first event it seals). */
    public static SessionDataKey newKey(String keyId, SecureRandom random) {
        byte[] material = new byte[KEY_BYTES];
        random.nextBytes(material);
        return new SessionDataKey(keyId, ALGORITHM, ByteBuffer.wrap(material));
    }

    /** The AES key of a {@link SessionDataKey} record. */
    public static SecretKey secretKey(SessionDataKey key) {
        if (!ALGORITHM.equals(key.getAlgorithm())) {
            throw new IllegalArgumentException("data key " + key.getKeyId() + " is for " + key.getAlgorithm()
                    + ", not " + ALGORITHM);
        }
        byte[] material = bytes(key.getMaterial());
        if (material.length != KEY_BYTES) {
            throw new IllegalArgumentException("data key " + key.getKeyId() + " has " + material.length
                    + " bytes, not " + KEY_BYTES);
        }
        return new SecretKeySpec(material, KEY_ALGORITHM);
    }

    /**
     * The event as the log holds it: redacted in clear, and {@code originalWire} (the wire bytes of {@code event}
     * as the events serializer writes it) sealed under {@code key}.
     */
    public static io.customersessions.avro.SessionEvent sealed(SessionEvent event, byte[] originalWire,
                                                               SessionDataKey key) {
        String sessionKey = event.meta().key().asString();
        String eventId = event.meta().eventId();
        byte[] sealed = seal(secretKey(key), sessionKey, eventId, originalWire);
        // set on the fresh record: a builder from it would deep-copy the whole event first
        io.customersessions.avro.SessionEvent clear = AvroCodec.toAvro(PersonalData.redact(event));
        clear.setSealedWith(key.getKeyId());
        clear.setSealed(ByteBuffer.wrap(sealed));
        return clear;
    }

    /** {@code nonce || ciphertext and tag}. */
    public static byte[] seal(SecretKey key, String sessionKey, String eventId, byte[] plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        NONCES.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, key, nonce, sessionKey, eventId);
            byte[] sealed = new byte[NONCE_BYTES + cipher.getOutputSize(plaintext.length)];
            System.arraycopy(nonce, 0, sealed, 0, NONCE_BYTES);
            int written = cipher.doFinal(plaintext, 0, plaintext.length, sealed, NONCE_BYTES);
            return written == sealed.length - NONCE_BYTES ? sealed : Arrays.copyOf(sealed, NONCE_BYTES + written);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal event " + eventId + " of " + sessionKey, e);
        }
    }

    /**
     * The plaintext sealed by {@link #seal}.
     *
     * @throws SerializationException when authentication fails: the key is not the one that sealed it, or the
     *                                bytes, the event id or the session key were altered
     */
    public static byte[] unseal(SecretKey key, String sessionKey, String eventId, byte[] sealed) {
        if (sealed.length < NONCE_BYTES) {
            throw new SerializationException("the sealed personal data of event " + eventId + " of " + sessionKey
                    + " is " + sealed.length + " bytes long, shorter than its nonce (corrupt log)");
        }
        try {
            byte[] nonce = Arrays.copyOf(sealed, NONCE_BYTES);
            return cipher(Cipher.DECRYPT_MODE, key, nonce, sessionKey, eventId)
                    .doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new SerializationException("the sealed personal data of event " + eventId + " of " + sessionKey
                    + " fails authentication: it was altered, or sealed with another key (corrupt or tampered log)", e);
        } catch (GeneralSecurityException e) {
            throw new SerializationException("cannot unseal event " + eventId + " of " + sessionKey + ": " + e, e);
        }
    }

    static byte[] associatedData(String sessionKey, String eventId) {
        return (sessionKey + "|" + eventId).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private static Cipher cipher(int mode, SecretKey key, byte[] nonce, String sessionKey, String eventId)
            throws GeneralSecurityException {
        Cipher cipher = CIPHERS.get();
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(associatedData(sessionKey, eventId));
        return cipher;
    }
}
