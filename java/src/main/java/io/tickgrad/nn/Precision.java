package io.tickgrad.nn;

import java.util.Locale;

/**
 * The precision of the weights a {@link Network} predicts with, chosen when it is loaded
 * ({@link Network#setPrecision(Precision)}). Activations stay fp32 between layers; training always uses the fp32
 * weights.
 *
 * <ul>
 *   <li>{@link #FP32}: the weights as trained.</li>
 *   <li>{@link #BF16}: dense weights rounded to bfloat16 (8 significant bits, relative error at most 2^-8 per
 *       weight), products summed in fp32; half the weight bytes.</li>
 *   <li>{@link #INT8}: dense weights quantised per output channel (scale = max |w| / 127, error at most scale / 2
 *       per weight), each layer's input row quantised to int8 the same way on the fly, exact integer sums; a
 *       quarter of the weight bytes.</li>
 * </ul>
 */
public enum Precision {
    /** The weights as trained, 4 bytes each. */
    FP32,
    /** Dense weights rounded to bfloat16, 2 bytes each; products summed in fp32. */
    BF16,
    /** Dense weights quantised to int8 per output channel, 1 byte each plus one fp32 scale per channel. */
    INT8;

    /**
     * The lower-case name used on the command line and in reports.
     *
     * @return fp32, bf16 or int8
     */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses fp32, bf16 or int8 (any case, surrounding blanks ignored).
     *
     * @param text the text to parse; null is rejected like any other unknown text
     * @param what what the text is, for the error message (e.g. an option name)
     * @return the precision
     * @throws IllegalArgumentException naming {@code what}, the accepted values and the text found
     */
    public static Precision parse(String text, String what) {
        for (Precision p : values()) {
            if (p.label().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException(what + " must be fp32, bf16 or int8, got '" + text + "'");
    }
}
