package io.tickgrad.bench.report;

import java.util.regex.Pattern;

/**
 * A comparison that RESULTS.md reports as a ratio of speeds, measured in the same run: for every
 * result of {@code engine} whose name matches {@code namePattern}, the result of {@code peerEngine}
 * named {@code peerName} (the pattern's replacement applied to the name; {@code "$0"} means the
 * same name, i.e. the same shape). A ratio above 1 means {@code engine} is faster.
 *
 * @param label       what the ratio means, shown in the table
 * @param namePattern which results of {@code engine} this rule covers
 * @param engine      numerator engine
 * @param peerEngine  denominator engine
 * @param peerName    replacement giving the peer's name from the numerator's name
 * @param target      the ratio the acceptance criteria ask for, NaN when none
 */
public record RatioRule(String label, Pattern namePattern, String engine, String peerEngine, String peerName, double target) {

    /** Same benchmark name (same shape, same parameters), two engines. */
    public static RatioRule sameName(String label, String nameRegex, String engine, String peerEngine, double target) {
        return new RatioRule(label, Pattern.compile(nameRegex), engine, peerEngine, "$0", target);
    }

    /** A different peer benchmark, named by a replacement of the numerator's name. */
    public static RatioRule mapped(String label, String nameRegex, String engine, String peerEngine, String peerName, double target) {
        return new RatioRule(label, Pattern.compile(nameRegex), engine, peerEngine, peerName, target);
    }

    public boolean covers(BenchResult result) {
        return result.engine().equals(engine) && namePattern.matcher(result.name()).matches();
    }

    public String peerNameFor(String name) {
        return namePattern.matcher(name).replaceAll(peerName);
    }
}
