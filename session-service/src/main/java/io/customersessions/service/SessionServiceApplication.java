package io.customersessions.service;

import io.customersessions.eventlog.runtime.ParentProcessWatchdog;
import io.micronaut.runtime.Micronaut;

public final class SessionServiceApplication {

    private SessionServiceApplication() {
    }

    public static void main(String[] args) {
        ParentProcessWatchdog.startIfConfigured();
        Micronaut.build(args).mainClass(SessionServiceApplication.class).start();
    }
}
