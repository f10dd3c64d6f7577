package io.tickgrad.cli;

/**
 * An option's value refused by a command (it conflicts with another option, or the model or data cannot take it):
 * a usage error, reported in one line naming the option and exiting with status 2, like picocli's own.
 */
final class OptionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * @param option   the option as the user spelled it, with its value where that helps (e.g. "--batch 500000")
     * @param found    what is wrong with it
     * @param expected what would be accepted
     */
    OptionException(String option, String found, String expected) {
        super(option + ": " + found + "; " + expected);
    }
}
