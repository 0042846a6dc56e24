package io.customersessions.api;

import java.util.Set;

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

    /** Whether {@code pointer} is {@link #within} any of {@code outers}: one look-up per level of the pointer. */
    public static boolean withinAny(String pointer, Set<String> outers) {
        String level = pointer;
        while (!outers.contains(level)) {
            int slash = level.lastIndexOf('/');
            if (slash < 0) {
                return false;
            }
            level = level.substring(0, slash);
        }
        return true;
    }
}
