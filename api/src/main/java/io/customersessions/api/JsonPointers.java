package io.customersessions.api;

/** RFC 6901 JSON pointers, as used in {@code source.pointer} of Talon.One's errors. */
public final class JsonPointers {

    private JsonPointers() {
    }

    /** One reference token: a map key may itself contain '/' or '~'. */
    public static String segment(String token) {
        return "/" + token.replace("~", "~0").replace("/", "~1");
    }

    /** True when {@code pointer} is {@code outer} itself or lies inside it. */
    public static boolean within(String pointer, String outer) {
        return pointer.equals(outer) || pointer.startsWith(outer + "/");
    }
}
