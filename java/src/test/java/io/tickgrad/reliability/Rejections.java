package io.tickgrad.reliability;

import io.tickgrad.model.CheckpointFormatException;
import io.tickgrad.model.keras.ModelImportException;
import java.io.UncheckedIOException;

/**
 * The policy every parser is held to: a bad input is refused with one of the documented exceptions, whose message
 * names the input; anything else (NullPointerException, IndexOutOfBoundsException, ArithmeticException,
 * OutOfMemoryError, StackOverflowError, ...) is a bug, rethrown so that the fuzzer or test reports it.
 */
final class Rejections {
    private Rejections() {
    }

    /**
     * Accepts {@code t} when it is a documented, clear rejection naming {@code source}; otherwise rethrows it, or
     * throws an AssertionError when the message is unclear.
     */
    static void requireClear(Throwable t, String source) {
        Throwable documented = t;
        if (t instanceof UncheckedIOException && (t.getCause() instanceof CheckpointFormatException
            || t.getCause() instanceof ModelImportException)) {
            documented = t.getCause();
        }
        boolean allowed = documented instanceof CheckpointFormatException
            || documented instanceof ModelImportException
            || documented.getClass() == IllegalArgumentException.class;
        if (!allowed) {
            sneakyThrow(t);
        }
        String message = documented.getMessage();
        if (message == null || message.isBlank() || !message.contains(source)) {
            throw new AssertionError("rejection without a clear message naming '" + source + "': " + message, t);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
        throw (T) t;
    }
}
