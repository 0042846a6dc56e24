package io.customersessions.api.auth;

import jakarta.inject.Singleton;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The configured keys, by hash. A lookup hashes the presented key once and compares it with every configured hash
 * in constant time, without stopping at a match, so neither whether nor where a key matched shows in the timing.
 * The configuration is checked at start-up: a malformed hash, a key without application or the same key twice
 * fails the service rather than locking out (or letting in) its callers later.
 */
@Singleton
public final class KeyRing {

    private record IntegrationKey(byte[] sha256, Caller.Integration caller) {
    }

    private record ManagementKey(byte[] sha256, Caller.Management caller) {
    }

    private final List<IntegrationKey> integrationKeys = new ArrayList<>();
    private final List<ManagementKey> managementKeys = new ArrayList<>();

    public KeyRing(List<ApiKeyConfiguration> apiKeys, List<ManagementKeyConfiguration> managementKeys) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < apiKeys.size(); i++) {
            ApiKeyConfiguration key = apiKeys.get(i);
            String what = "customer-sessions.auth.api-keys[" + i + "]";
            byte[] hash = unique(KeyHashes.parseSha256Hex(key.getSha256(), what), what, seen);
            if (key.getApplicationId() == null) {
                throw new IllegalArgumentException(what + ".application-id is missing: a key belongs to one application");
            }
            integrationKeys.add(new IntegrationKey(hash, new Caller.Integration(key.getApplicationId())));
        }
        seen.clear();
        for (int i = 0; i < managementKeys.size(); i++) {
            ManagementKeyConfiguration key = managementKeys.get(i);
            String what = "customer-sessions.auth.management-keys[" + i + "]";
            byte[] hash = unique(KeyHashes.parseSha256Hex(key.getSha256(), what), what, seen);
            if (key.getApplicationIds().stream().anyMatch(Objects::isNull)) {
                throw new IllegalArgumentException(what + ".application-ids must list application ids only");
            }
            this.managementKeys.add(new ManagementKey(hash, new Caller.Management(Set.copyOf(key.getApplicationIds()))));
        }
    }

    private static byte[] unique(byte[] hash, String what, Set<String> seen) {
        if (!seen.add(HexFormat.of().formatHex(hash))) {
            throw new IllegalArgumentException(what + " repeats a key listed before it");
        }
        return hash;
    }

    /** The caller an {@code ApiKey-v1} key stands for. */
    public Optional<Caller.Integration> integration(String presentedKey) {
        byte[] presented = KeyHashes.sha256(presentedKey);
        Caller.Integration found = null;
        for (IntegrationKey key : integrationKeys) {
            if (MessageDigest.isEqual(key.sha256(), presented)) {
                found = key.caller();
            }
        }
        return Optional.ofNullable(found);
    }

    /** The caller a {@code ManagementKey-v1} (or {@code Bearer}) key stands for. */
    public Optional<Caller.Management> management(String presentedKey) {
        byte[] presented = KeyHashes.sha256(presentedKey);
        Caller.Management found = null;
        for (ManagementKey key : managementKeys) {
            if (MessageDigest.isEqual(key.sha256(), presented)) {
                found = key.caller();
            }
        }
        return Optional.ofNullable(found);
    }
}
