package io.tickgrad.study;

/** One way of starting a model on an unseen instrument, compared by a {@link TransferStudy}. */
public enum Arm {
    /** (a) the pretrained trunk frozen, a new sigmoid head trained. */
    FROZEN("frozen", "pretrained trunk frozen + new head"),
    /** (b) the whole pretrained network fine-tuned (its own head kept). */
    FINETUNED("finetuned", "pretrained network fine-tuned"),
    /** (b') layer-wise: the pretrained first layer frozen, every later layer fine-tuned (its label says the first half). */
    PARTIAL("partial", "pretrained, first layer frozen"),
    /** (c) the same architecture from random weights. */
    SCRATCH("scratch", "same architecture from scratch"),
    /** (d) logistic regression on the same features. */
    LOGISTIC("logistic", "logistic regression (baseline)"),
    /** (d) for large-move targets: the EWMA volatility forecast (fast / slow EWMA), untrained. */
    EWMA("ewma", "EWMA volatility ratio (baseline)");

    private final String id;
    private final String label;

    Arm(String id, String label) {
        this.id = id;
        this.label = label;
    }

    /**
     * Short name in summary.json and the log.
     *
     * @return the id, lower case
     */
    public String id() {
        return id;
    }

    /**
     * What the report calls it.
     *
     * @return a short description for tables and the chart's legend
     */
    public String label() {
        return label;
    }

    /**
     * Whether the arm starts from the pretrained weights.
     *
     * @return true for {@link #FROZEN}, {@link #FINETUNED} and {@link #PARTIAL}
     */
    public boolean pretrained() {
        return this == FROZEN || this == FINETUNED || this == PARTIAL;
    }
}
