package io.tickgrad.nativeio;

/** Status codes returned by every native kernel (tickgrad.h TG_OK, TG_ERR_*). */
public final class Status {
    private Status() {
    }

    /** Success (TG_OK). */
    public static final int OK = 0;
    /** A required pointer was null; nothing was written (TG_ERR_NULL). */
    public static final int ERR_NULL = 1;
    /** A size was below 1, or sizes were inconsistent; nothing was written (TG_ERR_SIZE). */
    public static final int ERR_SIZE = 2;
    /** An enum or scalar argument was out of its range (TG_ERR_ARG). */
    public static final int ERR_ARG = 3;
    /** A native allocation failed (TG_ERR_ALLOC). */
    public static final int ERR_ALLOC = 4;
    /** The instruction set or feature asked for is not available on this CPU or build (TG_ERR_UNSUPPORTED). */
    public static final int ERR_UNSUPPORTED = 5;

    /**
     * What a status code means, for the one-line error a caller raises (cold path).
     *
     * @param status a status code of tickgrad.h
     * @return the words, or "unknown status n"
     */
    public static String describe(int status) {
        switch (status) {
            case OK: return "ok";
            case ERR_NULL: return "a required pointer was null";
            case ERR_SIZE: return "a size was not positive or sizes were inconsistent";
            case ERR_ARG: return "an argument was out of range";
            case ERR_ALLOC: return "native allocation failed";
            case ERR_UNSUPPORTED: return "not supported on this CPU or build";
            default: return "unknown status " + status;
        }
    }
}
