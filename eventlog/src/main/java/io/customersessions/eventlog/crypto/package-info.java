/**
 * Crypto-shredding of the event log: personal data sealed per session ({@link
 * io.customersessions.eventlog.crypto.EventSealing}), read back by every reader through {@link
 * io.customersessions.eventlog.crypto.UnsealingEventDeserializer} with the keys of {@link
 * io.customersessions.eventlog.crypto.DataKeys} (in production {@link io.customersessions.eventlog.crypto.KafkaDataKeys},
 * the compacted key topic). Erasing a session's key makes its personal data in the log unreadable for good.
 */
package io.customersessions.eventlog.crypto;
