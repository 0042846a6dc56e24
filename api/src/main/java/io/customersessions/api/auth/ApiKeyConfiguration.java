package io.customersessions.api.auth;

import io.micronaut.context.annotation.EachProperty;

/**
 * One Integration API key, an entry of {@code customer-sessions.auth.api-keys}:
 * <pre>
 * customer-sessions:
 *   auth:
 *     api-keys:
 *       - sha256: 5e8a…   # SHA-256 (hex) of the key
 *         application-id: 1
 * </pre>
 */
@EachProperty(value = "customer-sessions.auth.api-keys", list = true)
public class ApiKeyConfiguration {

    private String sha256;
    private Long applicationId;

    public String getSha256() {
        return sha256;
    }

    public void setSha256(String sha256) {
        this.sha256 = sha256;
    }

    public Long getApplicationId() {
        return applicationId;
    }

    public void setApplicationId(Long applicationId) {
        this.applicationId = applicationId;
    }
}
