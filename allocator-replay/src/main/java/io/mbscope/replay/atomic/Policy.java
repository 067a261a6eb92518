package io.mbscope.replay.atomic;

/** Which allocation policy the what-if column uses. */
public enum Policy {
    /** Mainline only: no what-if. */
    MAINLINE,
    /** The 2023 RFC: aligned allocation, no fallback. */
    RFC,
    /** The RFC plus its TODO: fall back to the original length when the normalised size fails. */
    RFC_FALLBACK;

    /** Parses "mainline", "rfc", "rfc-fallback". */
    public static Policy parse(String s) {
        return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "mainline" -> MAINLINE;
            case "rfc" -> RFC;
            case "rfc-fallback", "rfc_fallback" -> RFC_FALLBACK;
            default -> throw new IllegalArgumentException("unknown policy \"" + s + "\" (mainline|rfc|rfc-fallback)");
        };
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
