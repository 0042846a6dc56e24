package io.customersessions.launcher.registry;

/** Schema texts for the registry tests: a record, its compatible and incompatible successors, an unrelated one. */
final class TestSchemas {

    static final String CART_V1 = """
            {"type": "record", "name": "Cart", "namespace": "test", "fields": [
              {"name": "id", "type": "string"}
            ]}""";

    /** v1 plus a field with a default: can read what v1 wrote. */
    static final String CART_V2 = """
            {"type": "record", "name": "Cart", "namespace": "test", "fields": [
              {"name": "id", "type": "string"},
              {"name": "total", "type": "string", "default": "0"}
            ]}""";

    /** v1 plus a field without a default: cannot read what v1 wrote. */
    static final String CART_INCOMPATIBLE = """
            {"type": "record", "name": "Cart", "namespace": "test", "fields": [
              {"name": "id", "type": "string"},
              {"name": "owner", "type": "string"}
            ]}""";

    static final String PAYMENT = """
            {"type": "record", "name": "Payment", "namespace": "test", "fields": [
              {"name": "amount", "type": "long"}
            ]}""";

    private TestSchemas() {
    }
}
