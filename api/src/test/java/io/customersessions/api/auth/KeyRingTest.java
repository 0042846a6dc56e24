package io.customersessions.api.auth;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyRingTest {

    private static ApiKeyConfiguration apiKey(String sha256, Long applicationId) {
        ApiKeyConfiguration key = new ApiKeyConfiguration();
        key.setSha256(sha256);
        key.setApplicationId(applicationId);
        return key;
    }

    private static ManagementKeyConfiguration managementKey(String sha256, List<Long> applicationIds) {
        ManagementKeyConfiguration key = new ManagementKeyConfiguration();
        key.setSha256(sha256);
        key.setApplicationIds(applicationIds);
        return key;
    }

    @Test
    void the_configured_hash_is_the_sha256_hex_of_the_key() {
        assertThat(KeyHashes.sha256Hex("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(KeyHashes.sha256Hex("dev-integration-key-0001"))
                .isEqualTo("acc98ebb3dfba6c704ed3c76d0093f091353079e4a80b0c6e28da5702a899ff0");
    }

    @Test
    void each_key_stands_for_its_own_application_and_hex_case_does_not_matter() {
        // given
        KeyRing ring = new KeyRing(List.of(
                apiKey(KeyHashes.sha256Hex("key-one"), 1L),
                apiKey(KeyHashes.sha256Hex("key-two").toUpperCase(), 2L)),
                List.of(managementKey(KeyHashes.sha256Hex("admin"), List.of(1L, 2L))));

        // then
        assertThat(ring.integration("key-one")).contains(new Caller.Integration(1));
        assertThat(ring.integration("key-two")).contains(new Caller.Integration(2));
        assertThat(ring.integration("key-three")).isEmpty();
        assertThat(ring.integration("admin")).isEmpty();
        assertThat(ring.management("admin")).contains(new Caller.Management(Set.of(1L, 2L)));
        assertThat(ring.management("key-one")).isEmpty();
    }

    @Test
    void a_clear_text_key_in_place_of_its_hash_fails_at_start_up() {
        assertThatThrownBy(() -> new KeyRing(List.of(apiKey("dev-integration-key-0001", 1L)), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("customer-sessions.auth.api-keys[0].sha256")
                .hasMessageNotContaining("dev-integration-key-0001");
        assertThatThrownBy(() -> new KeyRing(List.of(apiKey("z".repeat(64), 1L)), List.of()))
                .hasMessageContaining("hex");
    }

    @Test
    void a_key_without_application_or_listed_twice_fails_at_start_up() {
        String hash = KeyHashes.sha256Hex("key-one");
        assertThatThrownBy(() -> new KeyRing(List.of(apiKey(hash, null)), List.of()))
                .hasMessageContaining("application-id");
        assertThatThrownBy(() -> new KeyRing(List.of(apiKey(hash, 1L), apiKey(hash, 2L)), List.of()))
                .hasMessageContaining("api-keys[1]").hasMessageContaining("repeats");
    }
}
