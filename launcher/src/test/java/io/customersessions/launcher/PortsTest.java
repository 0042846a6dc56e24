package io.customersessions.launcher;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PortsTest {

    @Test
    void free_ports_lie_below_the_ephemeral_range_are_bindable_and_never_handed_out_twice() throws IOException {
        // given
        int ephemeralLow = Ports.ephemeralRange()[0];
        Set<Integer> ports = new HashSet<>();

        // when
        for (int i = 0; i < 50; i++) {
            ports.add(Ports.free());
        }

        // then: outgoing connections (which take ephemeral ports) can never hold one before its service binds it
        assertThat(ports).hasSize(50).allMatch(port -> port >= 10_000 && port < ephemeralLow);
        int any = ports.iterator().next();
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(any));
            assertThat(socket.getLocalPort()).isEqualTo(any);
        }
    }

    @Test
    void a_taken_fixed_port_is_reported_by_name() throws IOException {
        // given
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(Ports.free()));

            // then
            assertThatThrownBy(() -> Ports.resolve(taken.getLocalPort(), "projector"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("for the projector is already in use");
        }
    }
}
