package io.customersessions.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.customersessions.domain.CartItem;
import io.customersessions.domain.SessionChanges;
import io.customersessions.domain.SessionCommand;
import io.customersessions.domain.SessionKey;
import io.customersessions.domain.SessionState;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Checkout traffic as the session-service would append it: the same domain commands, built from a seeded random
 * source so two runs send the same shapes. Carts hold 1–30 items (small carts are the most common), with item
 * attributes, coupons, referral codes, session attributes and shipping costs.
 *
 * <p>Each session lives through create, 0–6 cart updates, then close (60 %), cancel (20 %) or stays open; many
 * sessions are in progress at once, so their commands interleave as a shop's would. Every command is one the
 * processor accepts, so each one appends an event and the fold does its full work.
 */
final class Workload {

    /**
     * {@code -Dbench.keyed=true}: every command carries an Idempotency-Key of its own, as from a checkout that keys
     * each update to retry it safely, so the fold also remembers each outcome (and its expiry entry).
     */
    static final boolean KEYED = Boolean.getBoolean("bench.keyed");

    /** The application of the development keys. */
    static final long APPLICATION_ID = 1;

    /** What a command does, for the printed mix. */
    enum Kind { CREATE, UPDATE, CLOSE, CANCEL }

    private record Product(String name, String sku, String price, String category, String weight) {
    }

    private static final List<Product> CATALOG = List.of(
            new Product("Trail running shoes", "SHOE-TRAIL-42", "89.95", "shoes", "0.82"),
            new Product("Merino socks", "SOCK-MERINO-M", "12.99", "apparel", "0.08"),
            new Product("Rain jacket", "JACKET-RAIN-L", "129.00", "apparel", "0.45"),
            new Product("Water bottle 0.75 l", "BOTTLE-075", "19.50", "accessories", "0.15"),
            new Product("Headlamp", "LAMP-HEAD-300", "34.90", "accessories", "0.11"),
            new Product("Energy bars, box of 12", "BAR-BOX-12", "23.88", "food", "0.72"),
            new Product("Backpack 20 l", "PACK-20", "74.00", "bags", "0.61"),
            new Product("Sunglasses", "SUN-CAT3", "59.95", "accessories", "0.03"),
            new Product("Running tights", "TIGHTS-W-S", "49.90", "apparel", "0.20"),
            new Product("Trekking poles, pair", "POLES-CARBON", "119.00", "equipment", "0.48"),
            new Product("Insulated mug", "MUG-INS-350", "24.95", "accessories", "0.31"),
            new Product("Gaiters", "GAITER-M", "29.00", "apparel", "0.14"));
    private static final List<String> COLORS = List.of("black", "blue", "red", "green", "grey");
    private static final List<String> CITIES = List.of("Berlin", "Hamburg", "Munich", "Vienna", "Zurich", "Amsterdam");
    private static final List<String> COUPONS = List.of("SUMMER10", "FREESHIP", "WELCOME5", "LOYAL15");
    private static final Instant START = Instant.parse("2026-11-22T08:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Random random;
    private final int profiles;

    private Workload(long seed, int profiles) {
        this.random = new Random(seed);
        this.profiles = Math.max(1, profiles);
    }

    static String sessionId(String runId, int n) {
        return sessionIdPrefix(runId) + n;
    }

    /** The session ids of a run are this prefix and a number from 1. */
    static String sessionIdPrefix(String runId) {
        return "bench-" + runId + "-";
    }

    /**
     * Hands {@code count} commands to {@code sink} in the order a shop would send them, interleaving up to 1 000
     * sessions in progress; returns how many of each kind.
     */
    static Map<Kind, Integer> mixedCommands(String runId, int count, long seed, Consumer<SessionCommand> sink) {
        Workload workload = new Workload(seed, count / 8);
        Map<Kind, Integer> mix = new EnumMap<>(Kind.class);
        List<SessionLife> active = new ArrayList<>();
        int sessions = 0;
        int inProgress = Math.max(1, Math.min(1_000, count / 8));
        for (int i = 0; i < count; i++) {
            while (active.size() < inProgress) {
                active.add(workload.newSession(sessionId(runId, ++sessions)));
            }
            int pick = workload.random.nextInt(active.size());
            SessionLife session = active.get(pick);
            Kind kind = session.next(workload.random);
            sink.accept(workload.command(session, kind, START.plusMillis(i)));
            mix.merge(kind, 1, Integer::sum);
            if (session.finished) {
                active.set(pick, active.get(active.size() - 1));
                active.remove(active.size() - 1);
            }
        }
        return mix;
    }

    /** {@code count} creations of the sessions {@code sessionId(runId, 1..count)}: open, with a full cart. */
    static void creations(String runId, int count, long seed, Consumer<SessionCommand> sink) {
        Workload workload = new Workload(seed, count / 3);
        for (int n = 1; n <= count; n++) {
            SessionLife session = workload.newSession(sessionId(runId, n));
            sink.accept(workload.command(session, session.next(workload.random), START.plusMillis(n)));
        }
    }

    /**
     * {@code count} request bodies of {@code PUT /v2/customer_sessions/{id}} updating an open session: a new cart,
     * coupons, attributes and shipping, as Talon.One's {@code {"customerSession": ..., "responseContent": [...]}}.
     */
    static List<String> updateBodies(int count, long seed) {
        Workload workload = new Workload(seed, 1);
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ObjectNode session = JSON.createObjectNode();
            session.put("state", "open");
            ArrayNode items = session.putArray("cartItems");
            for (CartItem item : workload.cart()) {
                ObjectNode node = items.addObject();
                node.put("name", item.name()).put("sku", item.sku()).put("quantity", item.quantity())
                        .put("price", item.price()).put("category", item.category());
                if (item.weight() != null) {
                    node.put("weight", item.weight());
                }
                if (!item.attributes().isEmpty()) {
                    ObjectNode attributes = node.putObject("attributes");
                    item.attributes().forEach((k, v) -> attributes.put(k, unquote(v)));
                }
            }
            if (workload.random.nextInt(100) < 30) {
                session.putArray("couponCodes").add(workload.pick(COUPONS));
            }
            session.putObject("additionalCosts").putObject("shipping").put("price", new BigDecimal("4.95"));
            session.putObject("attributes").put("shippingCity", workload.pick(CITIES))
                    .put("channel", workload.random.nextBoolean() ? "web" : "app");
            ObjectNode body = JSON.createObjectNode();
            body.set("customerSession", session);
            body.putArray("responseContent").add("customerSession");
            bodies.add(body.toString());
        }
        return bodies;
    }

    /** Where one session is in its life. */
    private static final class SessionLife {
        final String id;
        final String profileId;
        final int updates;
        /** Left open after its updates (20 %), instead of closed or cancelled. */
        final boolean endsOpen;
        int step;
        boolean finished;

        SessionLife(String id, String profileId, int updates, boolean endsOpen) {
            this.id = id;
            this.profileId = profileId;
            this.updates = updates;
            this.endsOpen = endsOpen;
        }

        Kind next(Random random) {
            Kind kind;
            if (step == 0) {
                kind = Kind.CREATE;
            } else if (step <= updates) {
                kind = Kind.UPDATE;
            } else {
                int roll = random.nextInt(100);
                kind = roll < 75 ? Kind.CLOSE : Kind.CANCEL; // of those that end: 60 % and 20 % of all
            }
            step++;
            finished = kind == Kind.CLOSE || kind == Kind.CANCEL || (step > updates && endsOpen);
            return kind;
        }
    }

    private SessionLife newSession(String id) {
        String profileId = random.nextInt(100) < 15 ? null : "customer-" + (1 + random.nextInt(profiles));
        return new SessionLife(id, profileId, random.nextInt(7), random.nextInt(100) < 20);
    }

    private SessionCommand command(SessionLife session, Kind kind, Instant time) {
        SessionKey key = new SessionKey(APPLICATION_ID, session.id);
        String commandId = new UUID(random.nextLong(), random.nextLong()).toString();
        SessionCommand.UpsertSession upsert = switch (kind) {
            case CREATE -> new SessionCommand.UpsertSession(commandId, key, time, null,
                    Optional.of(SessionState.OPEN), creation(session));
            case UPDATE -> new SessionCommand.UpsertSession(commandId, key, time, null, Optional.empty(), update());
            case CLOSE -> new SessionCommand.UpsertSession(commandId, key, time, null,
                    Optional.of(SessionState.CLOSED), SessionChanges.NONE);
            case CANCEL -> new SessionCommand.UpsertSession(commandId, key, time, null,
                    Optional.of(SessionState.CANCELLED), SessionChanges.NONE);
        };
        return KEYED ? upsert.withIdempotencyKey("retry-" + commandId) : upsert;
    }

    private SessionChanges creation(SessionLife session) {
        SortedMap<String, String> attributes = new TreeMap<>();
        attributes.put("shippingCity", quote(pick(CITIES)));
        attributes.put("channel", quote(random.nextBoolean() ? "web" : "app"));
        attributes.put("device", quote(random.nextBoolean() ? "mobile" : "desktop"));
        List<String> coupons = random.nextInt(100) < 25 ? List.of(pick(COUPONS)) : null;
        String referral = random.nextInt(100) < 10 ? "REF-" + (1000 + random.nextInt(9000)) : null;
        SortedMap<String, BigDecimal> costs = random.nextInt(100) < 70
                ? new TreeMap<>(Map.of("shipping", new BigDecimal("4.95"))) : null;
        List<String> identifiers = random.nextInt(100) < 30 ? List.of("device-" + random.nextInt(1_000_000)) : null;
        return new SessionChanges(session.profileId, random.nextInt(100) < 40 ? "store-" + random.nextInt(50) : null,
                null, coupons, referral, null, cart(), costs, identifiers, attributes, null);
    }

    /** The shopper's cart changes; sometimes a coupon is entered or the shipping city changes. */
    private SessionChanges update() {
        SessionChanges changes = SessionChanges.NONE.withCartItems(cart());
        if (random.nextInt(100) < 15) {
            changes = changes.withCouponCodes(List.of(pick(COUPONS)));
        }
        if (random.nextInt(100) < 20) {
            changes = changes.withAttributes(new TreeMap<>(Map.of("shippingCity", quote(pick(CITIES)))));
        }
        return changes;
    }

    /** 1–30 items, skewed towards small carts (mean about 8). */
    private List<CartItem> cart() {
        double r = random.nextDouble();
        int size = 1 + (int) (29 * r * r);
        List<CartItem> items = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            Product p = pick(CATALOG);
            SortedMap<String, String> attributes = random.nextInt(100) < 40
                    ? new TreeMap<>(Map.of("color", quote(pick(COLORS)))) : null;
            items.add(new CartItem(p.name(), p.sku(), 1 + random.nextInt(3), 0, new BigDecimal(p.price()),
                    p.category(), null, random.nextBoolean() ? new BigDecimal(p.weight()) : null, null, null, null,
                    attributes, null));
        }
        return items;
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    /** Attribute values are canonical JSON text; ours are plain words. */
    private static String quote(String word) {
        return "\"" + word + "\"";
    }

    private static String unquote(String json) {
        return json.substring(1, json.length() - 1);
    }
}
