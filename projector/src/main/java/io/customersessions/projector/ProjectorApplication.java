package io.customersessions.projector;

import io.customersessions.eventlog.runtime.ParentProcessWatchdog;
import io.micronaut.runtime.Micronaut;

public final class ProjectorApplication {

    private ProjectorApplication() {
    }

    public static void main(String[] args) {
        ParentProcessWatchdog.startIfConfigured();
        Micronaut.build(args).mainClass(ProjectorApplication.class).start();
    }
}
