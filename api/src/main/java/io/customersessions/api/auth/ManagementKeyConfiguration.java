package io.customersessions.api.auth;

import io.micronaut.context.annotation.EachProperty;

import java.util.List;

/**
 * One Management API key, an entry of {@code customer-sessions.auth.management-keys}; it may read the listed
 * applications:
 * <pre>
 * customer-sessions:
 *   auth:
 *     management-keys:
 *       - sha256: 9f86…   # SHA-256 (hex) of the key
 *         application-ids: [1, 2]
 * </pre>
 */
@EachProperty(value = "customer-sessions.auth.management-keys", list = true)
public class ManagementKeyConfiguration {

    private String sha256;
    private List<Long> applicationIds = List.of();

    public String getSha256() {
        return sha256;
    }

    public void setSha256(String sha256) {
        this.sha256 = sha256;
    }

    public List<Long> getApplicationIds() {
        return applicationIds;
    }

    public void setApplicationIds(List<Long> applicationIds) {
        this.applicationIds = applicationIds == null ? List.of() : applicationIds;
    }
}
