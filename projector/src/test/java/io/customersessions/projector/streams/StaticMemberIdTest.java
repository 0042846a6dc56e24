package io.customersessions.projector.streams;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StaticMemberIdTest {

    @Test
    void every_application_server_gives_a_distinct_id_that_kafka_accepts() {
        // given
        List<String> servers = List.of("localhost:8081", "localhost:8082", "10.0.3.7:8081",
                "projector-0.projector.shop.svc.cluster.local:8081", "[::1]:8081");

        // when
        List<String> ids = servers.stream().map(StreamsFactory::staticMemberId).toList();

        // then: Kafka allows ASCII letters, digits, '.', '_' and '-' in a group.instance.id
        assertThat(ids).doesNotHaveDuplicates().allMatch(id -> id.matches("[a-zA-Z0-9._-]+"));
        assertThat(ids.get(0)).isEqualTo("projector-localhost-8081");
        assertThat(ids.get(3)).isEqualTo("projector-projector-0.projector.shop.svc.cluster.local-8081");
    }
}
