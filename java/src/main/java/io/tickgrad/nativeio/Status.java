package io.tickgrad.nativeio;

/** Status codes returned by every native kernel (tickgrad.h TG_OK, TG_ERR_*). */
public final class Status {
    private Status() {
    }

    public static final int OK = 0;
    public static final int ERR_NULL = 1;
    public static final int ERR_SIZE = 2;
    public static final int ERR_ARG = 3;
    public static final int ERR_ALLOC = 4;
    public static final int ERR_UNSUPPORTED = 5;

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
