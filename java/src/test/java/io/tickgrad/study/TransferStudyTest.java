package io.tickgrad.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickgrad.market.FeatureSpec;
import io.tickgrad.market.TransferFeatures;
import io.tickgrad.model.Checkpoint;
import io.tickgrad.nn.cpu.NativeCpuBackend;
import io.tickgrad.pretrain.BinaryTraining;
import io.tickgrad.pretrain.Pretrainer;
import io.tickgrad.pretrain.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The study on a synthetic market with a known signal that means the same on every instrument (continuation after a
 * small move, reversal after a large one, in units of each instrument's own volatility): pretrained on four
 * instruments that carry it, it detects transfer on a fifth; pretrained on four random walks (nothing to transfer),
 * it detects none on the same fifth instrument.
 */
class TransferStudyTest {
    private static final double STRENGTH = 0.6;
    private static NativeCpuBackend backend;

    @TempDir
    Path dir;

    @BeforeAll
    static void open() {
        backend = NativeCpuBackend.create();
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    private Path pretrain(double strength, String name) {
        List<Pretrainer.Instrument> instruments = new ArrayList<>();
        double[] sigmas = {0.004, 0.01, 0.02, 0.035};
        for (int k = 0; k < sigmas.length; k++) {
            instruments.add(new Pretrainer.Instrument("syn" + k,
                SyntheticMarket.source(SyntheticMarket.prices(4000, 11 + k, sigmas[k], strength))));
        }
        Path out = dir.resolve(name + ".safetensors");
        Pretrainer.Options o = new Pretrainer.Options(Target.DIRECTION, 1, new int[] {16, 8},
            new BinaryTraining(3e-3f, 15, 128, 0, 3, 0f), 0.2, 5);
        Pretrainer.run(instruments, new TransferFeatures(new int[] {1, 2, 5}, 5, 40, true, true, false, false), o, backend,
            out, s -> { });
        return out;
    }

    private StudyResult study(Path model) {
        StudyOptions d = StudyOptions.defaults(new int[] {60, 600}, 4);
        StudyOptions o = new StudyOptions(d.sizes(), 4, 300, new BinaryTraining(1e-3f, 40, 32, 0.2, 8, 0f),
            d.headLr(), d.finetuneLr(), d.logisticLr(), null, 0);
        return TransferStudy.run(model, "unseen", SyntheticMarket.source(SyntheticMarket.prices(2400, 99, 0.015,
            STRENGTH)), o, backend, System.out::println);
    }

    @Test
    void detectsTransferWhenThePretrainingDataCarryTheSignal() throws Exception {
        Path model = pretrain(STRENGTH, "signal");
        FeatureSpec spec = FeatureSpec.fromMetadata(Checkpoint.readMetadata(model), "model");
        assertTrue(spec.transfer() != null && spec.normalisation() != null, "the checkpoint carries its pipeline");
        StudyResult r = study(model);
        System.out.println(r.verdict());
        assertTrue(r.transferDetected(), r.verdict());
        Path html = StudyReport.write(r, dir.resolve("report"));
        JsonNode summary = new ObjectMapper().readTree(dir.resolve("report/summary.json").toFile());
        assertEquals(2 * 4 * 5, summary.path("runs").size(), "every arm, size and seed");
        assertTrue(summary.path("transferDetected").asBoolean());
        String page = Files.readString(html);
        assertTrue(page.contains("<svg") && page.contains(r.verdict().substring(0, 30)), "chart and verdict");
    }

    @Test
    void detectsNoTransferFromRandomWalks() {
        StudyResult r = study(pretrain(0, "noise"));
        System.out.println(r.verdict());
        assertFalse(r.transferDetected(), r.verdict());
    }
}
